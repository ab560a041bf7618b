// The one rule for a request's headers (``requestHeaders``): the page's CSRF token on anything
// but a GET, and for a send (the Send button, or a call's fetch) the gateway and credentials of
// the send panel as the X-Playground-* headers the server names, never in the form. htmx asks it
// for each request (htmx:configRequest); the call's script asks it directly. When the server
// refuses a request for a missing or expired token, the fresh token it sends is kept, and htmx
// swaps its message into the response pane. ES module: no inline script, no eval.
import { byId, constants, store } from "./playground.js";

const HEADERS = constants.headers;
function meta() {
  return document.querySelector('meta[name="csrf-token"]');
}
// The token the page holds ("" when none).
export function csrfToken() {
  const tag = meta();
  return tag ? tag.content : "";
}
// Keep the fresh token an answer carries (``header(name)`` reads its headers): true if it had one.
export function keepFreshToken(header) {
  const fresh = header(HEADERS.freshCsrfToken);
  if (!fresh) return false;
  const tag = meta();
  if (tag) tag.content = fresh;
  document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
    input.value = fresh;
  });
  return true;
}
document.addEventListener("htmx:beforeSwap", function (event) {
  const xhr = event.detail.xhr;
  if (!xhr || !keepFreshToken(function (name) { return xhr.getResponseHeader(name); })) return;
  event.detail.shouldSwap = true;
  event.detail.isError = false;
});
const PRINTABLE = new RegExp("^" + constants.headerValueChar + "*$");
//: The send panel's inputs for each credential (static/auth.js keeps them).
export const credentialInputs = { key: "auth-key", organization: "auth-organization", project: "auth-project" };

// The configured gateway chosen in the send panel ("" for the typed URL).
export function gatewayChoice() {
  const select = byId("auth-gateway-choice");
  return select ? select.value : "";
}

function credentials(headers) {
  const named = gatewayChoice();
  if (named) {
    headers[HEADERS.gatewayName] = encodeURIComponent(named);
    return;
  }
  const gateway = byId("auth-gateway");
  headers[HEADERS.gateway] = encodeURIComponent(gateway ? gateway.value.trim() : "");
  const invalid = [];
  store.secrets.forEach(function (name) {
    const input = byId(credentialInputs[name]);
    const value = input ? input.value : "";
    if (!value) return;
    // A header cannot carry spaces, line breaks or non-ASCII: let the server say so.
    if (PRINTABLE.test(value)) headers[HEADERS[name]] = value;
    else invalid.push(name);
  });
  if (invalid.length) headers[HEADERS.invalid] = invalid[0];
}

// The headers of a request with ``verb`` ("get", "post", ...); ``send``: it goes to the gateway.
export function requestHeaders(verb, send) {
  const headers = {};
  const token = csrfToken();
  if (token && String(verb).toLowerCase() !== "get") headers[HEADERS.csrfToken] = token;
  if (send) credentials(headers);
  return headers;
}

document.addEventListener("htmx:configRequest", function (event) {
  const send = Boolean(event.detail.elt) && event.detail.elt === byId("send-button");
  Object.assign(event.detail.headers, requestHeaders(event.detail.verb, send));
});

// The call panel's first-load part: imports the call (static/call.js, which imports the rest of
// the call's modules) and its stylesheet on the first Start call or Connect click, so the page's
// first load stays light, and offers "Connect with this key" while the response pane holds an
// ek_ key. Start call waits for a gateway as Send does, with its reason beside it. It also keeps
// the transport choice (WebRTC or WebSocket) in browser storage.
// ES module: no inline script, no eval.
import { store } from "./playground.js";
import { gatewayReady } from "./request-headers.js";

function panel() { return document.getElementById("call"); }
const TRANSPORTS = ["webrtc", "websocket"];

// The transport the panel's choice names: "webrtc" (the default) or "websocket".
export function transportChoice() {
  const select = panel() && panel().querySelector("[data-call-part=call-transport]");
  const value = select ? select.value : store.get("callTransport");
  return TRANSPORTS.indexOf(value) >= 0 ? value : "webrtc";
}

// Show the remembered choice in a panel just drawn (a page load or a swap of <main>).
function restoreTransport() {
  const select = panel() && panel().querySelector("[data-call-part=call-transport]");
  const kept = store.get("callTransport");
  if (select && !select.dataset.restored && TRANSPORTS.indexOf(kept) >= 0) select.value = kept;
  if (select) select.dataset.restored = "1";
}
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("#call [data-call-part=call-transport]")) {
    store.set("callTransport", event.target.value);
  }
  if (event.target.matches && event.target.matches("#call [data-call-part=bundle-open]")) act("open");
});

// The call's module once imported: later clicks act at once, not a microtask later.
let loaded = null;

// The call's stylesheet (static/call.css, named by the panel's data-call-stylesheet), asked for once:
// resolves when it has loaded or failed (a call without its styles still works).
let styled = null;
function loadStyle() {
  if (!styled) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = panel().dataset.callStylesheet;
    styled = new Promise(function (done) {
      link.addEventListener("load", done);
      link.addEventListener("error", done);
    });
    document.head.append(link);
  }
  return styled;
}

// Resolves with the call's module (static/call.js) once it and what it imports have run, and
// its stylesheet has come.
export function load() {
  return Promise.all([import("./call.js"), loadStyle()]).then(function (both) {
    loaded = both[0];
    return loaded;
  });
}

// Start call (and its reason) as the send panel's gateway allows, out of a call.
export function startReady() {
  const here = panel();
  const start = here && here.querySelector('[data-call-part="call-start"]');
  if (!start || here.dataset.inCall === "1") return;
  const ready = gatewayReady();
  start.disabled = !ready;
  here.querySelector('[data-call-part="call-start-hint"]').hidden = ready;
}

export function keyReady() {
  startReady();
  const here = panel();
  const button = here && here.querySelector('[data-call-action="key"]');
  const key = document.getElementById("ephemeral-key");
  if (!button) return;
  button.disabled = here.dataset.inCall === "1" || !(key && /^ek_/.test(key.value));
}

// Do ``action`` with the call's module, imported first if need be.
function act(action) {
  if (loaded) { loaded.run(action); return; }
  load().then(
    function (call) { call.run(action); },
    function () {
      const status = panel().querySelector("[data-call-part=call-status]");
      status.textContent = "Could not load the call's script: reload the page and try again.";
    }
  );
}
document.addEventListener("click", function (event) {
  const button = event.target.closest && event.target.closest("#call button[data-call-action]");
  if (button) act(button.dataset.callAction);
});
function ready() { keyReady(); restoreTransport(); }
document.addEventListener("htmx:afterSettle", ready);
// The gateway is typed, chosen, restored or forgotten: each fires input or change (static/auth.js).
document.addEventListener("input", startReady);
document.addEventListener("change", startReady);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
else ready();

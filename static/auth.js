// The send panel: keeps the gateway URL and the credentials in browser storage (``store``,
// static/playground.js), never part of the form; static/request-headers.js puts them on the send
// request. ES module: no inline script, no eval.
import { byId, store } from "./playground.js";
import { credentialInputs as INPUTS, gatewayChoice as choice, gatewayReady } from "./request-headers.js";

function saveSecrets() {
  store.secrets.forEach(function (name) {
    const input = byId(INPUTS[name]);
    if (input) store.setSecret(name, input.value);
  });
}

function updateNote() {
  const note = byId("auth-storage-note");
  if (!note) return;
  note.textContent = store.remembering()
    ? "Key, organization and project are kept on this device until you press Forget."
    : "Key, organization and project are kept for this tab only.";
}

function updateSend() {
  const button = byId("send-button");
  const hint = byId("send-hint");
  const own = byId("auth-own");
  if (!button) return;
  if (own) own.hidden = Boolean(choice());
  const ready = gatewayReady();
  button.disabled = !ready;
  if (hint) hint.hidden = ready;
}

// The gateway URL changed: the snippet pane (static/snippet.js) listens for this change.
function gatewayChanged(gateway) {
  gateway.dispatchEvent(new Event("change", { bubbles: true }));
}

// What every tab shares (localStorage): the gateway, the configured choice, "Remember".
// ``announce``: after the page's first restore, a new gateway URL concerns the snippets too.
function restoreShared(announce) {
  const gateway = byId("auth-gateway");
  if (gateway && gateway.value !== store.get("gateway")) {
    gateway.value = store.get("gateway");
    if (announce) gatewayChanged(gateway);
  }
  const select = byId("auth-gateway-choice");
  if (select) {
    const saved = store.get("gatewayName");
    const known = Array.prototype.some.call(select.options, function (o) { return o.value === saved; });
    select.value = known ? saved : select.options.length ? select.options[0].value : "";
  }
  const remember = byId("auth-remember");
  if (remember) remember.checked = store.remembering();
  updateNote();
  updateSend();
}

function restore() {
  store.secrets.forEach(function (name) {
    const input = byId(INPUTS[name]);
    if (input) input.value = store.secret(name);
  });
  restoreShared(false);
}

// Empty this tab's inputs once its storage is wiped (by Forget here or in another tab).
function forgotten() {
  store.secrets.forEach(function (name) {
    const input = byId(INPUTS[name]);
    if (input) input.value = "";
  });
  restoreShared(true);
  const note = byId("auth-storage-note");
  if (note) note.textContent = "Forgotten: nothing is stored in this browser.";
}

// Another tab changed what tabs share, or pressed Forget (which must reach this tab's own
// sessionStorage too).
store.onOtherTab(
  function () {
    store.wipe();
    if (byId("send-panel")) forgotten();
  },
  function () { if (byId("send-panel")) restoreShared(true); }
);
// Back and Forward: the browser may put back what the page's inputs held; storage decides.
window.addEventListener("pageshow", function (event) {
  if (event.persisted) restore();
});

function wire() {
  const gateway = byId("auth-gateway");
  if (gateway) {
    gateway.addEventListener("input", function () {
      store.set("gateway", gateway.value.trim());
      updateSend();
    });
  }
  document.querySelectorAll("button[data-gateway]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!gateway) return;
      gateway.value = button.dataset.gateway;
      store.set("gateway", gateway.value);
      updateSend();
      gatewayChanged(gateway);
    });
  });
  const select = byId("auth-gateway-choice");
  if (select) {
    select.addEventListener("change", function () {
      store.set("gatewayName", select.value);
      updateSend();
    });
  }
  store.secrets.forEach(function (name) {
    const input = byId(INPUTS[name]);
    if (input) input.addEventListener("input", saveSecrets);
  });
  const remember = byId("auth-remember");
  if (remember) {
    remember.addEventListener("change", function () {
      store.set("remember", remember.checked ? "1" : "");
      saveSecrets(); // moves the values to the store that now applies
      updateNote();
    });
  }
  const forgetButton = byId("auth-forget");
  if (forgetButton) {
    forgetButton.addEventListener("click", function () {
      store.forget();
      forgotten();
    });
  }
  const toggle = byId("auth-key-toggle");
  const key = byId("auth-key");
  if (toggle && key) {
    toggle.addEventListener("click", function () {
      const show = key.type === "password";
      key.type = show ? "text" : "password";
      toggle.textContent = show ? "Hide" : "Show";
      toggle.setAttribute("aria-pressed", show ? "true" : "false");
    });
  }
}

// Once per panel: the page's own, and each new one a preset, an import or Back swaps in with
// <main> (its inputs are new elements: listeners and stored values must be put back).
function setup() {
  const panel = byId("send-panel");
  if (!panel || panel.dataset.ready) return;
  panel.dataset.ready = "1";
  wire();
  restore();
}
document.addEventListener("htmx:load", setup);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();

// The response pane: counts the ephemeral key down to its expiry (its Copy button is
// static/playground.js's), and says when the playground server could not be reached. It was
// static/response.js; one module with the send panel's is one request less on the first load.
let timer = null;

function tick() {
  const nodes = document.querySelectorAll(".countdown[data-expires-at]");
  if (!nodes.length) {
    clearInterval(timer);
    timer = null;
    return;
  }
  nodes.forEach(function (node) {
    // Count against the server's clock: the offset is fixed when the answer arrives.
    if (!node.dataset.offset) {
      node.dataset.offset = String(Number(node.dataset.now) - Date.now() / 1000);
    }
    const now = Date.now() / 1000 + Number(node.dataset.offset);
    const left = Math.round(Number(node.dataset.expiresAt) - now);
    node.textContent = left > 0 ? "expires in " + left + " s" : "expired: send again for a new key";
    node.classList.toggle("expired", left <= 0);
  });
}

function startCountdown() {
  tick();
  if (!timer && document.querySelector(".countdown[data-expires-at]")) {
    timer = setInterval(tick, 1000);
  }
}

// When the playground server itself cannot be reached or refuses the send, htmx swaps
// nothing: say so in the response pane instead of leaving the button silent.
function showProblem(text) {
  const pane = document.getElementById("response");
  if (!pane) return;
  const title = document.createElement("h2");
  title.id = "response-title";
  title.textContent = "Response";
  const line = document.createElement("p");
  line.className = "failure";
  line.setAttribute("role", "alert");
  line.dataset.testid = "send-failure";
  line.textContent = text;
  pane.replaceChildren(title, line);
  pane.hidden = false;
}
function fromSend(event) {
  return event.detail && event.detail.elt && event.detail.elt.id === "send-button";
}
document.addEventListener("htmx:sendError", function (event) {
  if (fromSend(event)) {
    showProblem("Could not reach the playground server: check that it is still running, then send again.");
  }
});
document.addEventListener("htmx:responseError", function (event) {
  if (fromSend(event)) {
    const status = event.detail.xhr ? event.detail.xhr.status : "?";
    showProblem("The playground server refused the send (HTTP " + status + "): reload the page and try again.");
  }
});

document.addEventListener("htmx:afterSettle", startCountdown);
document.addEventListener("DOMContentLoaded", startCountdown);

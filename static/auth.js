// The send panel: keeps the gateway URL and the credentials in browser storage (``store``,
// static/playground.js), never part of the form; static/request-headers.js puts them on the send
// request. ES module: no inline script, no eval.
import { byId, store } from "./playground.js";
import { credentialInputs as INPUTS, gatewayChoice as choice } from "./request-headers.js";

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
  const gateway = byId("auth-gateway");
  if (!button) return;
  const named = choice();
  if (own) own.hidden = Boolean(named);
  const ready = Boolean(named) || Boolean(gateway && gateway.value.trim());
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

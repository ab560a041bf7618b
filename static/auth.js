// Keeps the gateway URL and the credentials in browser storage and adds them to the send
// request only (as X-Playground-* headers, on htmx:configRequest). Never part of the form.
// Gateway URL: localStorage. Key, organization, project: sessionStorage, or localStorage when
// "Remember on this device" is on. Static file: no inline script, no eval.
(function () {
  "use strict";
  const PREFIX = "playground.";
  const GATEWAY = PREFIX + "gateway";
  const CHOICE = PREFIX + "gatewayName";
  const REMEMBER = PREFIX + "remember";
  const SECRETS = { key: "auth-key", organization: "auth-organization", project: "auth-project" };
  const HEADERS = {
    key: "X-Playground-Key",
    organization: "X-Playground-Organization",
    project: "X-Playground-Project",
  };
  const PRINTABLE = /^[\x21-\x7e]*$/;

  function byId(id) { return document.getElementById(id); }

  function store(kind) {
    try {
      return kind === "local" ? window.localStorage : window.sessionStorage;
    } catch (e) {
      return null; // storage switched off: values live only in the inputs
    }
  }
  function read(kind, name) {
    const s = store(kind);
    try { return s ? s.getItem(name) || "" : ""; } catch (e) { return ""; }
  }
  function write(kind, name, value) {
    const s = store(kind);
    try {
      if (!s) return;
      if (value) s.setItem(name, value); else s.removeItem(name);
    } catch (e) { /* quota or privacy mode: keep going without storage */ }
  }

  function remembering() { return read("local", REMEMBER) === "1"; }
  function secretStore() { return remembering() ? "local" : "session"; }

  function choice() {
    const select = byId("auth-gateway-choice");
    return select ? select.value : "";
  }

  function saveSecrets() {
    const keep = secretStore();
    const drop = keep === "local" ? "session" : "local";
    Object.keys(SECRETS).forEach(function (name) {
      const input = byId(SECRETS[name]);
      if (!input) return;
      write(keep, PREFIX + name, input.value);
      write(drop, PREFIX + name, "");
    });
  }

  function updateNote() {
    const note = byId("auth-storage-note");
    if (!note) return;
    note.textContent = remembering()
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

  function restore() {
    const gateway = byId("auth-gateway");
    if (gateway) gateway.value = read("local", GATEWAY);
    const select = byId("auth-gateway-choice");
    if (select) {
      const saved = read("local", CHOICE);
      const known = Array.prototype.some.call(select.options, function (o) { return o.value === saved; });
      if (known) select.value = saved;
    }
    const remember = byId("auth-remember");
    if (remember) remember.checked = remembering();
    const kind = secretStore();
    Object.keys(SECRETS).forEach(function (name) {
      const input = byId(SECRETS[name]);
      if (input) input.value = read(kind, PREFIX + name);
    });
    updateNote();
    updateSend();
  }

  function forget() {
    ["local", "session"].forEach(function (kind) {
      Object.keys(SECRETS).forEach(function (name) { write(kind, PREFIX + name, ""); });
      write(kind, GATEWAY, "");
      write(kind, CHOICE, "");
      write(kind, REMEMBER, "");
    });
    Object.keys(SECRETS).forEach(function (name) {
      const input = byId(SECRETS[name]);
      if (input) input.value = "";
    });
    const gateway = byId("auth-gateway");
    if (gateway) gateway.value = "";
    const remember = byId("auth-remember");
    if (remember) remember.checked = false;
    const note = byId("auth-storage-note");
    updateSend();
    if (note) note.textContent = "Forgotten: nothing is stored in this browser.";
  }

  function wire() {
    const gateway = byId("auth-gateway");
    if (gateway) {
      gateway.addEventListener("input", function () {
        write("local", GATEWAY, gateway.value.trim());
        updateSend();
      });
    }
    document.querySelectorAll("button[data-gateway]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!gateway) return;
        gateway.value = button.dataset.gateway;
        write("local", GATEWAY, gateway.value);
        updateSend();
      });
    });
    const select = byId("auth-gateway-choice");
    if (select) {
      select.addEventListener("change", function () {
        write("local", CHOICE, select.value);
        updateSend();
      });
    }
    Object.keys(SECRETS).forEach(function (name) {
      const input = byId(SECRETS[name]);
      if (input) input.addEventListener("input", saveSecrets);
    });
    const remember = byId("auth-remember");
    if (remember) {
      remember.addEventListener("change", function () {
        write("local", REMEMBER, remember.checked ? "1" : "");
        saveSecrets(); // moves the values to the store that now applies
        updateNote();
      });
    }
    const forgetButton = byId("auth-forget");
    if (forgetButton) forgetButton.addEventListener("click", forget);
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

  // The credentials go on the send request only, as headers: never into the form parameters.
  document.addEventListener("htmx:configRequest", function (event) {
    const button = byId("send-button");
    if (!button || event.detail.elt !== button) return;
    const headers = event.detail.headers;
    const named = choice();
    if (named) {
      headers["X-Playground-Gateway-Name"] = encodeURIComponent(named);
      return;
    }
    const gateway = byId("auth-gateway");
    headers["X-Playground-Gateway"] = encodeURIComponent(gateway ? gateway.value.trim() : "");
    const invalid = [];
    Object.keys(SECRETS).forEach(function (name) {
      const input = byId(SECRETS[name]);
      const value = input ? input.value : "";
      if (!value) return;
      // A header cannot carry spaces, line breaks or non-ASCII: let the server say so.
      if (PRINTABLE.test(value)) headers[HEADERS[name]] = value;
      else invalid.push(name);
    });
    if (invalid.length) headers["X-Playground-Invalid"] = invalid[0];
  });

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
})();

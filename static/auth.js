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
  // Set for a moment by Forget: the other tabs of this site forget what they hold as well.
  const FORGOTTEN = PREFIX + "forgotten";
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

  // The gateway URL changed: the snippet pane (static/snippet.js) listens for this change.
  function gatewayChanged(gateway) {
    gateway.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // What every tab shares (localStorage): the gateway, the configured choice, "Remember".
  // ``announce``: after the page's first restore, a new gateway URL concerns the snippets too.
  function restoreShared(announce) {
    const gateway = byId("auth-gateway");
    if (gateway && gateway.value !== read("local", GATEWAY)) {
      gateway.value = read("local", GATEWAY);
      if (announce) gatewayChanged(gateway);
    }
    const select = byId("auth-gateway-choice");
    if (select) {
      const saved = read("local", CHOICE);
      const known = Array.prototype.some.call(select.options, function (o) { return o.value === saved; });
      select.value = known ? saved : select.options.length ? select.options[0].value : "";
    }
    const remember = byId("auth-remember");
    if (remember) remember.checked = remembering();
    updateNote();
    updateSend();
  }

  function restore() {
    const kind = secretStore();
    Object.keys(SECRETS).forEach(function (name) {
      const input = byId(SECRETS[name]);
      if (input) input.value = read(kind, PREFIX + name);
    });
    restoreShared(false);
  }

  // Wipe this tab's credentials: its storage and its inputs.
  function wipe() {
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
    restoreShared(true);
    const note = byId("auth-storage-note");
    if (note) note.textContent = "Forgotten: nothing is stored in this browser.";
  }

  function forget() {
    wipe();
    write("local", FORGOTTEN, String(Date.now())); // tells the other tabs (a storage event)
    write("local", FORGOTTEN, "");
  }

  // Another tab changed what tabs share, or pressed Forget (which must reach this tab's own
  // sessionStorage too).
  window.addEventListener("storage", function (event) {
    if (!byId("send-panel")) return;
    if (event.key === null || (event.key === FORGOTTEN && event.newValue)) wipe();
    else if (event.key === GATEWAY || event.key === CHOICE || event.key === REMEMBER) restoreShared(true);
  });
  // Back and Forward: the browser may put back what the page's inputs held; storage decides.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) restore();
  });

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
        gatewayChanged(gateway);
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

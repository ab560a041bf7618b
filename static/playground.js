// What the page's modules share: the names the server gives (``constants``, from the JSON data
// block #playground-constants), browser storage (``store``), ``byId``, ``copy``, with one
// click handler for every button[data-copy], and the form's error slots (``fillSlot``).
// ES module: no inline script, no eval.
const block = document.getElementById("playground-constants");
export const constants = JSON.parse(block ? block.textContent : "{}");
const KEYS = constants.storage || {};
const SECRETS = ["key", "organization", "project"];

// Gateway URL, chosen gateway, "Remember" and the snippet tab: localStorage. Key,
// organization, project: sessionStorage, or localStorage while "Remember" is on.
function area(kind) {
  try {
    return kind === "local" ? window.localStorage : window.sessionStorage;
  } catch (e) {
    return null; // storage switched off: values live only in the inputs
  }
}
function read(kind, key) {
  const s = area(kind);
  try { return s ? s.getItem(key) || "" : ""; } catch (e) { return ""; }
}
function write(kind, key, value) {
  const s = area(kind);
  try {
    if (!s) return;
    if (value) s.setItem(key, value); else s.removeItem(key);
  } catch (e) { /* quota or privacy mode: keep going without storage */ }
}
function remembering() { return read("local", KEYS.remember) === "1"; }

export const store = {
  secrets: SECRETS,
  get: function (name) { return read("local", KEYS[name]); },
  set: function (name, value) { write("local", KEYS[name], value); },
  remembering: remembering,
  secret: function (name) { return read(remembering() ? "local" : "session", KEYS[name]); },
  // Kept where "Remember" says, and taken out of the other store.
  setSecret: function (name, value) {
    const keep = remembering() ? "local" : "session";
    write(keep, KEYS[name], value);
    write(keep === "local" ? "session" : "local", KEYS[name], "");
  },
  // The gateway URL the snippets use: http(s) only, without a trailing slash.
  gatewayUrl: function () {
    const value = read("local", KEYS.gateway).trim().replace(/\/+$/, "");
    return /^https?:\/\//i.test(value) ? value : "";
  },
  // Forget: this tab's credentials, gateway and choices go from both stores, and every
  // other tab of the site is told (a storage event) to forget what it holds as well.
  forget: function () {
    store.wipe();
    write("local", KEYS.forgotten, String(Date.now()));
    write("local", KEYS.forgotten, "");
  },
  wipe: function () {
    ["local", "session"].forEach(function (kind) {
      SECRETS.concat(["gateway", "gatewayName", "remember"]).forEach(function (name) {
        write(kind, KEYS[name], "");
      });
    });
  },
  // Another tab pressed Forget (forgotten) or changed what tabs share (shared).
  onOtherTab: function (forgotten, shared) {
    window.addEventListener("storage", function (event) {
      if (event.key === null || (event.key === KEYS.forgotten && event.newValue)) forgotten();
      else if ([KEYS.gateway, KEYS.gatewayName, KEYS.remember].indexOf(event.key) >= 0) shared();
    });
  },
};

// Copy: the value of the input (or the text of the element) button[data-copy] names by a
// selector. The button says how it went for a moment, and so does the status element its
// data-copy-status names; when no way of copying works, the text is left selected.
const timers = new WeakMap();
function say(button, label, status) {
  if (!button.dataset.label) button.dataset.label = button.textContent;
  button.textContent = label;
  const slot = button.dataset.copyStatus && document.querySelector(button.dataset.copyStatus);
  if (slot) slot.textContent = status;
  window.clearTimeout(timers.get(button));
  timers.set(button, window.setTimeout(function () {
    button.textContent = button.dataset.label;
  }, 2000));
}
function isField(el) { return el.tagName === "INPUT" || el.tagName === "TEXTAREA"; }
function execCopy() {
  try { return document.execCommand("copy"); } catch (e) { return false; }
}
function copyBySelection(source, text) {
  if (isField(source)) {
    source.focus();
    source.select();
    return execCopy();
  }
  const scratch = document.createElement("textarea");
  scratch.value = text;
  scratch.readOnly = true;
  scratch.className = "offscreen";
  document.body.appendChild(scratch);
  scratch.select();
  const done = execCopy();
  scratch.remove();
  if (!done) {
    const range = document.createRange();
    range.selectNodeContents(source);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
  }
  return done;
}
export function copy(button) {
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const text = isField(source) ? source.value : source.textContent;
  function copied() { say(button, "Copied", "Copied to the clipboard."); }
  function fallback() {
    if (copyBySelection(source, text)) copied();
    else say(button, "Press Ctrl+C to copy", "Selected: press Ctrl+C (⌘C on a Mac) to copy it.");
  }
  if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(copied, fallback);
  } else {
    fallback();
  }
}
document.addEventListener("click", function (event) {
  const button = event.target.closest && event.target.closest("button[data-copy]");
  if (button) copy(button);
});

// The element with ``id``, or null.
export function byId(id) { return document.getElementById(id); }

// Each field's error and warning slots come out of band with every answer to a change of the
// form (templates/partials/_problems.html). A slot whose message would not change is left alone
// (a live region would say it again at every keystroke); the field's input is marked
// aria-invalid while its error slot holds a message (a warning never marks it: the value is
// still sent as it is). fillSlot does the same for a slot the call's answer names (JSON).
function mark(slot, text) {
  const input = slot.id.indexOf("e-") === 0 ? document.getElementById(slot.id.slice(2)) : null;
  if (!input) return;
  if (text) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

// Put ``text`` in an error slot (e-…) and mark its input; a slot already saying it is left alone.
export function fillSlot(slot, text) {
  if (slot.textContent === text) return;
  slot.textContent = text;
  mark(slot, text);
}

document.addEventListener("htmx:oobBeforeSwap", function (event) {
  const slot = event.detail.target;
  if (!slot || !slot.id) return;
  if (slot.id.indexOf("e-") !== 0 && slot.id.indexOf("w-") !== 0) return;
  const text = event.detail.fragment.textContent;
  if (slot.textContent === text) {
    event.detail.shouldSwap = false;
    return;
  }
  mark(slot, text);
});

// Share link: copy the link the server made as it arrives (``copy``, as its Copy button does);
// move focus to the banner after a preset or an import has replaced the page's main content.
// (It was static/share.js: here it costs no request of its own on the first load.)
document.addEventListener("htmx:afterSettle", function (event) {
  const fresh = document.querySelector("#share-result input[data-autocopy]");
  if (fresh) {
    fresh.removeAttribute("data-autocopy");
    fresh.select();
    const button = document.querySelector('#share-result button[data-copy="#' + fresh.id + '"]');
    if (button) copy(button);
  }
  // detail.elt is the settled element; the element that asked is on the request config.
  const config = event.detail && event.detail.requestConfig;
  const source = config && config.elt;
  if (source && source.hasAttribute && source.hasAttribute("data-loads-page")) {
    const banner = document.getElementById("loaded-banner");
    if (banner) banner.focus();
  }
});

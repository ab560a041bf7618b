// The snippet pane: tabs (remembered in browser storage), and the panels that come out of band
// with every answer to a change of the form (POST /update), or of the gateway URL or the tab,
// which ask the form's request again. The gateway URL never leaves the browser here: a request
// says only that there is one (_gateway=1), and the URL then takes the place of the placeholder
// the server writes (when every language can hold it as typed: the pane's
// data-gateway-verbatim). Copy is static/playground.js's. ES module: no inline script, no eval.
import { byId, constants, store } from "./playground.js";

const FIELDS = constants.fields;
let lastGateway = null;
let requestedLang = null;
let refreshQueued = false;

function tabs() {
  return Array.prototype.slice.call(document.querySelectorAll("#snippet [role=tab]"));
}
function current() {
  const selected = document.querySelector("#snippet [role=tab][aria-selected=true]");
  return selected ? selected.dataset.lang : null;
}
// Write the gateway URL where the server wrote the placeholder, in the panels about to be
// swapped in (so the placeholder never shows), and say when it has to stay. The highlighter
// keeps the placeholder in one text node (tests/test_snippet_pane.py).
function writeGateway(panels) {
  const pane = byId("snippet");
  if (!pane) return;
  const url = store.gatewayUrl();
  const placeholder = pane.dataset.gatewayPlaceholder;
  const verbatim = Boolean(url) && new RegExp(pane.dataset.gatewayVerbatim).test(url);
  const note = pane.querySelector("[data-gateway-note]");
  if (note) note.hidden = !url || verbatim;
  if (!verbatim || !placeholder) return;
  const walker = document.createTreeWalker(panels, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue.indexOf(placeholder) >= 0) {
      node.nodeValue = node.nodeValue.split(placeholder).join(url);
    }
  }
}
// Ask the form's request again (once, however many reasons came in this turn).
function refresh() {
  if (refreshQueued) return;
  refreshQueued = true;
  window.setTimeout(function () {
    refreshQueued = false;
    const form = byId("session-form");
    if (form && window.htmx) window.htmx.trigger(form, "snippet-refresh");
  }, 0);
}
function showIn(root, lang) {
  root.querySelectorAll("[role=tabpanel]").forEach(function (panel) {
    panel.hidden = panel.dataset.lang !== lang;
  });
}
function show(lang, focus) {
  let found = false;
  tabs().forEach(function (tab) {
    const on = tab.dataset.lang === lang;
    found = found || on;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    if (on && focus) tab.focus();
  });
  if (found) showIn(byId("snippet"), lang);
  return found;
}
// Highlighting is done on the server for the visible tab only: ask again when it is plain.
function ensureHighlighted() {
  const panel = document.querySelector("#snippet [role=tabpanel]:not([hidden])");
  if (panel && panel.dataset.highlighted !== "true" && requestedLang !== panel.dataset.lang) {
    refresh();
  }
}
function choose(lang, focus) {
  if (show(lang, focus)) {
    store.set("snippetTab", lang);
    ensureHighlighted();
  }
}

document.addEventListener("click", function (event) {
  const tab = event.target.closest && event.target.closest("#snippet [role=tab]");
  if (tab) choose(tab.dataset.lang, false);
});
document.addEventListener("keydown", function (event) {
  const tab = event.target.closest && event.target.closest("#snippet [role=tab]");
  if (!tab) return;
  const all = tabs();
  const i = all.indexOf(tab);
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  choose(all[(next + all.length) % all.length].dataset.lang, true);
});

// Every request of the form (typing, a row button, a refresh) brings the panels back: say
// which tab to highlight and whether there is a gateway URL.
document.addEventListener("htmx:configRequest", function (event) {
  const form = byId("session-form");
  const elt = event.detail.elt;
  if (!form || !elt || !(elt === form || form.contains(elt))) return;
  requestedLang = current();
  if (requestedLang) event.detail.formData.set(FIELDS.snippetLang, requestedLang);
  lastGateway = store.gatewayUrl();
  if (lastGateway) event.detail.formData.set(FIELDS.gatewayFlag, "1");
});
document.addEventListener("htmx:oobBeforeSwap", function (event) {
  if (!event.detail.target || event.detail.target.id !== "snippet-panels") return;
  const panels = event.detail.fragment;
  writeGateway(panels);
  // The tab chosen while the answer was on its way stays the one shown.
  const lang = current();
  if (lang) showIn(panels, lang);
  requestedLang = null;
  window.setTimeout(ensureHighlighted, 0); // once the panels are in
});
// The gateway URL lives in the send panel, which announces each change with a change event
// on its input (typed, a button, Forget, or another tab: static/auth.js).
document.addEventListener("change", function (event) {
  const form = byId("session-form");
  if (form && form.contains(event.target)) return;
  window.setTimeout(function () {
    if (store.gatewayUrl() !== (lastGateway || "")) refresh();
  }, 0);
});

function init() {
  const stored = store.get("snippetTab");
  if (stored && stored !== current() && show(stored, false)) ensureHighlighted();
  if (store.gatewayUrl()) refresh();
}
// After htmx has processed the page: htmx (loaded first) does that on DOMContentLoaded, and a
// deferred script runs while readyState is already "interactive", before that event, so a
// timer started at once could run first and trigger a refresh htmx does not yet listen for.
// Once per pane: the page's own, and each new one a preset, an import or Back swaps in with
// <main> (rendered with the default tab and the public API's URL).
function start() {
  const pane = byId("snippet");
  if (!pane || pane.dataset.ready) return;
  pane.dataset.ready = "1";
  window.setTimeout(init, 0);
}
document.addEventListener("htmx:load", start);
if (document.readyState === "complete") start();
else {
  document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("load", start);
}

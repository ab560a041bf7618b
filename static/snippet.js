// The snippet pane: tabs (remembered in localStorage), refresh as the form or the gateway URL
// changes, and Copy. The gateway URL never leaves the browser here: a snippet request says only
// that there is one (_gateway=1), and the URL then takes the place of the placeholder the
// server writes (when every language can hold it as typed: the pane's data-gateway-verbatim).
(function () {
  "use strict";
  var TAB_KEY = "playground.snippetTab";
  var GATEWAY_KEY = "playground.gateway";
  var lastGateway = null;
  var requestedLang = null;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* storage refused */ }
  }
  function tabs() {
    return Array.prototype.slice.call(document.querySelectorAll("#snippet [role=tab]"));
  }
  function current() {
    var selected = document.querySelector("#snippet [role=tab][aria-selected=true]");
    return selected ? selected.dataset.lang : null;
  }
  // The gateway panel stores a URL, either as plain text or as JSON ({"url": ...} or a string).
  function gatewayUrl() {
    var raw = read(GATEWAY_KEY);
    if (!raw) return "";
    var value = raw;
    try {
      var parsed = JSON.parse(raw);
      if (typeof parsed === "string") value = parsed;
      else if (parsed && typeof parsed === "object") value = parsed.url || parsed.baseUrl || parsed.base_url || "";
    } catch (e) { /* plain text */ }
    value = String(value || "").trim().replace(/\/+$/, "");
    return /^https?:\/\//i.test(value) ? value : "";
  }
  function pane() { return document.getElementById("snippet"); }
  // Give the panels' HTML with the gateway URL where the server wrote the placeholder, before
  // htmx swaps it in (so the placeholder never shows), and say when it has to stay.
  function withGateway(html) {
    var el = pane();
    if (!el) return html;
    var url = gatewayUrl();
    var placeholder = el.dataset.gatewayPlaceholder;
    var verbatim = Boolean(url) && new RegExp(el.dataset.gatewayVerbatim).test(url);
    var note = el.querySelector("[data-gateway-note]");
    if (note) note.hidden = !url || verbatim;
    if (!verbatim || !placeholder) return html;
    var escaped = url.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return html.split(placeholder).join(escaped);
  }
  function panels() { return document.getElementById("snippet-panels"); }
  function refresh() {
    var el = panels();
    if (el && window.htmx) window.htmx.trigger(el, "snippet-refresh");
  }
  function show(lang, focus) {
    var found = false;
    tabs().forEach(function (tab) {
      var on = tab.dataset.lang === lang;
      found = found || on;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      if (on && focus) tab.focus();
    });
    if (!found) return false;
    document.querySelectorAll("#snippet [role=tabpanel]").forEach(function (panel) {
      panel.hidden = panel.dataset.lang !== lang;
    });
    return true;
  }
  function visiblePanel() {
    return document.querySelector("#snippet [role=tabpanel]:not([hidden])");
  }
  // Highlighting is done on the server for the visible tab only: ask again when it is plain.
  function ensureHighlighted() {
    var panel = visiblePanel();
    if (panel && panel.dataset.highlighted !== "true" && requestedLang !== panel.dataset.lang) {
      refresh();
    }
  }
  function choose(lang, focus) {
    if (show(lang, focus)) {
      write(TAB_KEY, lang);
      ensureHighlighted();
    }
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest("#snippet [role=tab]");
    if (tab) { choose(tab.dataset.lang, false); return; }
    var copy = event.target.closest && event.target.closest("#snippet [data-snippet-copy]");
    if (copy) copySnippet(copy);
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("#snippet [role=tab]");
    if (!tab) return;
    var all = tabs();
    var i = all.indexOf(tab);
    var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    choose(all[(next + all.length) % all.length].dataset.lang, true);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "snippet-panels") return;
    requestedLang = current();
    if (requestedLang) event.detail.formData.set("_snippet_lang", requestedLang);
    lastGateway = gatewayUrl();
    if (lastGateway) event.detail.formData.set("_gateway", "1");
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "snippet-panels") {
      event.detail.serverResponse = withGateway(event.detail.serverResponse);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "snippet-panels") return;
    var lang = current();
    requestedLang = null;
    if (lang) show(lang, false);
    ensureHighlighted();
  });
  // Rows added or removed: the preview comes back out of band, and so must the snippet.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "preview") refresh();
  });
  // The gateway URL lives in the send panel, which announces each change with a change event
  // on its input (typed, a button, Forget, or another tab: static/auth.js).
  function gatewayMaybeChanged() {
    if (gatewayUrl() !== (lastGateway || "")) refresh();
  }
  document.addEventListener("change", function (event) {
    var form = document.getElementById("session-form");
    if (!form || !form.contains(event.target)) window.setTimeout(gatewayMaybeChanged, 0);
  });

  function say(button, text) {
    var status = document.querySelector("#snippet [data-snippet-status]");
    button.textContent = text;
    if (status) status.textContent = text;
    window.clearTimeout(button._reset);
    button._reset = window.setTimeout(function () {
      button.textContent = "Copy";
      if (status) status.textContent = "";
    }, 2000);
  }
  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function copySnippet(button) {
    var panel = visiblePanel();
    if (!panel) return;
    var text = panel.querySelector("code").textContent;
    function fallback() {
      say(button, copyWithTextarea(text) ? "Copied" : "Press Ctrl+C to copy");
      if (!button.textContent.startsWith("Copied")) {
        var range = document.createRange();
        range.selectNodeContents(panel.querySelector("code"));
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say(button, "Copied"); }, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var stored = read(TAB_KEY);
    var server = current();
    if (stored && stored !== server && show(stored, false)) {
      ensureHighlighted();
    }
    if (gatewayUrl()) refresh();
  }
  // After htmx has processed the page: htmx (loaded first) does that on DOMContentLoaded, and a
  // deferred script runs while readyState is already "interactive", before that event, so a
  // timer started at once could run first and trigger a refresh htmx does not yet listen for.
  // Once per pane: the page's own, and each new one a preset, an import or Back swaps in with
  // <main> (rendered with the default tab and the public API's URL).
  function start() {
    var pane = document.getElementById("snippet");
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
})();

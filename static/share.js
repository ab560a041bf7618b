// Share link: copy the link the server made, with a fallback when the Clipboard API is refused;
// move focus to the banner after a preset or an import has replaced the page's main content.
// Served as a static file: the page runs no inline script and no eval.
(function () {
  "use strict";
  function say(text) {
    const slot = document.querySelector("[data-share-status]");
    if (slot) slot.textContent = text;
  }
  function copyBySelection(input) {
    input.focus();
    input.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch (err) {
      done = false;
    }
    say(done ? "Copied to the clipboard." : "Select the link and copy it (Ctrl+C or ⌘C).");
  }
  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say("Copied to the clipboard."); },
        function () { copyBySelection(input); }
      );
    } else {
      copyBySelection(input);
    }
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    const fresh = document.querySelector("#share-result input[data-autocopy]");
    if (fresh) {
      fresh.removeAttribute("data-autocopy");
      fresh.select();
      copy(fresh);
    }
    // detail.elt is the settled element; the element that asked is on the request config.
    const config = event.detail && event.detail.requestConfig;
    const source = config && config.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-loads-page")) {
      const banner = document.getElementById("loaded-banner");
      if (banner) banner.focus();
    }
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    const input = document.querySelector(button.getAttribute("data-copy"));
    if (input) copy(input);
  });
})();

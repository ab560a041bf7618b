// Share link: copy the link the server made as it arrives (window.Playground.copy, as its Copy
// button does); move focus to the banner after a preset or an import has replaced the page's
// main content. Served as a static file: the page runs no inline script and no eval.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    const fresh = document.querySelector("#share-result input[data-autocopy]");
    if (fresh) {
      fresh.removeAttribute("data-autocopy");
      fresh.select();
      const button = document.querySelector('#share-result button[data-copy="#' + fresh.id + '"]');
      if (button) window.Playground.copy(button);
    }
    // detail.elt is the settled element; the element that asked is on the request config.
    const config = event.detail && event.detail.requestConfig;
    const source = config && config.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-loads-page")) {
      const banner = document.getElementById("loaded-banner");
      if (banner) banner.focus();
    }
  });
})();

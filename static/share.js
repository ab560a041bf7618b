// Share link: copy the link the server made as it arrives (``copy``, as its Copy button does);
// move focus to the banner after a preset or an import has replaced the page's main content.
// ES module: no inline script, no eval.
import { copy } from "./playground.js";

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

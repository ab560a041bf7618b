// Sends the page's CSRF token with every htmx request (in the header the server names), and when
// the server refuses one for a missing or expired token, shows its message in the response pane
// and keeps the fresh token it sent. Static file: the page runs no inline script and no eval.
(function () {
  "use strict";
  const HEADERS = window.Playground.constants.headers;
  function meta() {
    return document.querySelector('meta[name="csrf-token"]');
  }
  document.addEventListener("htmx:configRequest", function (event) {
    const tag = meta();
    if (tag && event.detail.verb !== "get") event.detail.headers[HEADERS.csrfToken] = tag.content;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    const fresh = xhr && xhr.getResponseHeader(HEADERS.freshCsrfToken);
    if (!fresh) return;
    const tag = meta();
    if (tag) tag.content = fresh;
    document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
      input.value = fresh;
    });
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  });
})();

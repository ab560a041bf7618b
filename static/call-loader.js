// The call panel's first-load part: loads the call's scripts (static/call-session.js,
// call-inspector.js, call.js) on the first Start call or Connect click, so the page's first
// load stays light, and offers "Connect with this key" while the response pane holds an ek_ key.
// Static file: no inline script, no eval.
(function () {
  "use strict";
  let loading = null;

  function panel() { return document.getElementById("call"); }

  // Resolves with window.PlaygroundCall once every script ran (in order: async = false).
  function load() {
    const here = panel();
    if (!loading && here) {
      loading = new Promise(function (resolve, reject) {
        const urls = here.dataset.scripts.split(" ");
        let left = urls.length;
        urls.forEach(function (url) {
          const script = document.createElement("script");
          script.src = url;
          script.async = false;
          script.onload = function () { if (--left === 0) resolve(window.PlaygroundCall); };
          script.onerror = function () {
            loading = null;
            reject(new Error("could not load " + url));
          };
          document.head.append(script);
        });
      });
    }
    return loading || Promise.reject(new Error("no call panel"));
  }

  function keyReady() {
    const here = panel();
    const button = here && here.querySelector('[data-call-action="key"]');
    const key = document.getElementById("ephemeral-key");
    if (!button) return;
    button.disabled = here.dataset.inCall === "1" || !(key && /^ek_/.test(key.value));
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("#call button[data-call-action]");
    if (!button) return;
    load().then(
      function (call) { call.run(button.dataset.callAction); },
      function () {
        const status = panel().querySelector('[data-testid="call-status"]');
        status.textContent = "Could not load the call's script: reload the page and try again.";
      }
    );
  });
  document.addEventListener("htmx:afterSettle", keyReady);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", keyReady);
  else keyReady();
  window.PlaygroundCallLoader = { load: load, keyReady: keyReady };
})();

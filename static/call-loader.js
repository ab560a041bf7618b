// The call panel's first-load part: imports the call (static/call.js, which imports the rest of
// the call's modules) on the first Start call or Connect click, so the page's first load stays
// light, and offers "Connect with this key" while the response pane holds an ek_ key.
// ES module: no inline script, no eval.
function panel() { return document.getElementById("call"); }

// The call's module once imported: later clicks act at once, not a microtask later.
let loaded = null;

// Resolves with the call's module (static/call.js) once it and what it imports have run.
export function load() {
  return import("./call.js").then(function (call) { loaded = call; return call; });
}

export function keyReady() {
  const here = panel();
  const button = here && here.querySelector('[data-call-action="key"]');
  const key = document.getElementById("ephemeral-key");
  if (!button) return;
  button.disabled = here.dataset.inCall === "1" || !(key && /^ek_/.test(key.value));
}

document.addEventListener("click", function (event) {
  const button = event.target.closest && event.target.closest("#call button[data-call-action]");
  if (!button) return;
  if (loaded) { loaded.run(button.dataset.callAction); return; }
  load().then(
    function (call) { call.run(button.dataset.callAction); },
    function () {
      const status = panel().querySelector("[data-call-part=call-status]");
      status.textContent = "Could not load the call's script: reload the page and try again.";
    }
  );
});
document.addEventListener("htmx:afterSettle", keyReady);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", keyReady);
else keyReady();

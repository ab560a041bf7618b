// Copies the error messages that come with each preview into the slots next to the fields.
// Served as a static file: the page runs no inline script and no eval.
(function () {
  "use strict";
  function applyErrors(source) {
    const messages = new Map();
    source.querySelectorAll("[data-for]").forEach(function (el) {
      messages.set(el.dataset.for, el.textContent);
    });
    document.querySelectorAll("#session-form .error[id^='e-']").forEach(function (slot) {
      const text = messages.get(slot.id) || "";
      if (slot.textContent !== text) slot.textContent = text;
      const input = document.getElementById(slot.id.slice(2));
      if (input) {
        if (text) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function () {
    const source = document.getElementById("error-slots");
    if (source && source.dataset.fresh !== undefined) {
      delete source.dataset.fresh;
      applyErrors(source);
    }
  });
})();

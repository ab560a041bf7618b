// Copies the error messages and deprecation warnings that come with each preview into the
// slots next to the fields. Served as a static file: the page runs no inline script and no eval.
(function () {
  "use strict";
  function apply(source, selector, invalidates) {
    const messages = new Map();
    source.querySelectorAll("[data-for]").forEach(function (el) {
      messages.set(el.dataset.for, el.textContent);
    });
    document.querySelectorAll(selector).forEach(function (slot) {
      const text = messages.get(slot.id) || "";
      if (slot.textContent !== text) slot.textContent = text;
      const input = invalidates ? document.getElementById(slot.id.slice(2)) : null;
      if (input) {
        if (text) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    });
  }
  function applyFresh(id, selector, invalidates) {
    const source = document.getElementById(id);
    if (source && source.dataset.fresh !== undefined) {
      delete source.dataset.fresh;
      apply(source, selector, invalidates);
    }
  }
  document.addEventListener("htmx:afterSettle", function () {
    applyFresh("error-slots", "#session-form .error[id^='e-']", true);
    // A warning never marks the input invalid: the value is still sent as it is.
    applyFresh("warning-slots", "#session-form .warning[id^='w-']", false);
  });
})();

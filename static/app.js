// Each field's error and warning slots come out of band with every answer to a change of the
// form (templates/partials/_problems.html). A slot whose message would not change is left alone
// (a live region would say it again at every keystroke); the field's input is marked
// aria-invalid while its error slot holds a message (a warning never marks it: the value is
// still sent as it is). Static file: no inline script, no eval.
(function () {
  "use strict";
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const slot = event.detail.target;
    if (!slot || !slot.id) return;
    const error = slot.id.indexOf("e-") === 0;
    if (!error && slot.id.indexOf("w-") !== 0) return;
    const text = event.detail.fragment.textContent;
    if (slot.textContent === text) {
      event.detail.shouldSwap = false;
      return;
    }
    const input = error ? document.getElementById(slot.id.slice(2)) : null;
    if (!input) return;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  });
})();

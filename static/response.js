// The response viewer: counts the ephemeral key down to its expiry (its Copy button is
// static/playground.js's), and says when the playground server could not be reached.
// ES module: no inline script, no eval.
let timer = null;

function tick() {
  const nodes = document.querySelectorAll(".countdown[data-expires-at]");
  if (!nodes.length) {
    clearInterval(timer);
    timer = null;
    return;
  }
  nodes.forEach(function (node) {
    // Count against the server's clock: the offset is fixed when the answer arrives.
    if (!node.dataset.offset) {
      node.dataset.offset = String(Number(node.dataset.now) - Date.now() / 1000);
    }
    const now = Date.now() / 1000 + Number(node.dataset.offset);
    const left = Math.round(Number(node.dataset.expiresAt) - now);
    node.textContent = left > 0 ? "expires in " + left + " s" : "expired: send again for a new key";
    node.classList.toggle("expired", left <= 0);
  });
}

function startCountdown() {
  tick();
  if (!timer && document.querySelector(".countdown[data-expires-at]")) {
    timer = setInterval(tick, 1000);
  }
}

// When the playground server itself cannot be reached or refuses the send, htmx swaps
// nothing: say so in the response pane instead of leaving the button silent.
function showProblem(text) {
  const pane = document.getElementById("response");
  if (!pane) return;
  const title = document.createElement("h2");
  title.id = "response-title";
  title.textContent = "Response";
  const line = document.createElement("p");
  line.className = "failure";
  line.setAttribute("role", "alert");
  line.dataset.testid = "send-failure";
  line.textContent = text;
  pane.replaceChildren(title, line);
  pane.hidden = false;
}
function fromSend(event) {
  return event.detail && event.detail.elt && event.detail.elt.id === "send-button";
}
document.addEventListener("htmx:sendError", function (event) {
  if (fromSend(event)) {
    showProblem("Could not reach the playground server: check that it is still running, then send again.");
  }
});
document.addEventListener("htmx:responseError", function (event) {
  if (fromSend(event)) {
    const status = event.detail.xhr ? event.detail.xhr.status : "?";
    showProblem("The playground server refused the send (HTTP " + status + "): reload the page and try again.");
  }
});

document.addEventListener("htmx:afterSettle", startCountdown);
document.addEventListener("DOMContentLoaded", startCountdown);

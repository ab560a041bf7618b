// A call's refusal shown from its JSON (playground/web/json_answers.py) in the response pane, as
// templates/partials/_response.html draws a send's (imported by static/call.js, loaded late).
// ES module: no inline script, no eval.
import { byId, fillSlot } from "./playground.js";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
  node.append(...children);
  return node;
}

// The lines of a gateway's answer: status, failure or hint,
// the API's error, headers, body; as templates/partials/_response.html draws a send's.
function answerLines(answer) {
  const status = answer.status === null
    ? el("span", { class: "status sfail", "data-testid": "response-status" }, "No response")
    : el("span", { class: "status s" + Math.floor(answer.status / 100) + "xx", "data-testid": "response-status" },
      answer.status + " " + answer.reason);
  const lines = [el("p", { class: "status-line" }, status, " · ",
    el("span", { "data-testid": "response-elapsed" }, answer.elapsed_ms + " ms"), " · ",
    el("span", { class: "method" }, answer.method), " ", el("code", {}, answer.path), " via " + answer.via)];
  if (answer.form_errors) {
    lines.push(el("p", { class: "hint" }, "Sent anyway, with " + answer.form_errors + " problem" +
      (answer.form_errors === 1 ? "" : "s") + " in the form."));
  }
  if (answer.failure) lines.push(el("p", { class: "failure", role: "alert", "data-testid": "send-failure" }, answer.failure));
  else if (answer.hint) lines.push(el("p", { class: "explain", "data-testid": "response-hint" }, answer.hint));
  const error = answer.error;
  if (error) {
    const param = error.param ? [el("code", {}, error.param)] : ["none"];
    if (error.param && answer.field) param.push(" — ", el("a", { href: "#" + answer.field }, "marked in the form"));
    const list = el("dl", { class: "api-error", "data-testid": "api-error" },
      el("dt", {}, "message"), el("dd", {}, error.message || ""),
      el("dt", {}, "type"), el("dd", {}, el("code", {}, error.type || "")),
      el("dt", {}, "param"), el("dd", {}, ...param));
    if (error.code) list.append(el("dt", {}, "code"), el("dd", {}, el("code", {}, error.code)));
    lines.push(list);
  }
  if (answer.headers.length) {
    const table = el("table", { class: "headers", "data-testid": "response-headers" }, el("caption", { class: "sr" }, "Response headers"));
    answer.headers.forEach(function (pair) {
      table.append(el("tr", {}, el("th", { scope: "row" }, el("code", {}, pair[0])), el("td", {}, el("code", {}, pair[1]))));
    });
    lines.push(table);
  }
  if (answer.body) lines.push(el("pre", { class: "json", "data-testid": "response-body" }, answer.body));
  return lines;
}

// Show a refusal the call routes answered (JSON) in the response pane, and the form's error
// slots it names (every other slot emptied), as a send's answer does.
export function showRefusal(answer) {
  const pane = byId("response");
  if (!pane) return;
  const title = el("h2", { id: "response-title" }, "Response");
  if (answer.refused) {
    pane.replaceChildren(title, el("p", { class: "failure", role: "alert", "data-testid": "send-failure" },
      answer.title + " " + answer.refused));
  } else {
    pane.replaceChildren(title, ...answerLines(answer));
  }
  pane.hidden = false;
  if (!answer.slots) return;
  document.querySelectorAll("#form-fields .error[id^=e-]").forEach(function (slot) {
    fillSlot(slot, answer.slots[slot.id] || "");
  });
}

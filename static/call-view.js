// What the live call draws (imported by static/call.js): the in-call area, transcript lines, a
// function call's result box, the effective configuration, and the answers to live updates (in
// the panel and next to the form's field). DOM only: the call itself (static/call.js) hands in
// what to do on a submit. Parts are found by their data-call-part. ES module: no inline script, no eval.
import { el, visible } from "./call-inspector.js";
import { describe, effective, fieldFor } from "./call-session.js";

function panel() { return document.getElementById("call"); }
// The panel's element named ``name`` (its data-call-part), or null.
export function part(name) {
  const here = panel();
  return here && here.querySelector('[data-call-part="' + name + '"]');
}
// An element that is one of the panel's parts: found by ``name``, its test id the same.
function partEl(tag, name, attrs, text) {
  return el(tag, Object.assign({ "data-call-part": name, "data-testid": name }, attrs), text);
}

// The in-call area, drawn once per panel: microphone note, transcript, message box, function
// calls, live updates, effective configuration, events. ``onMessage(text)`` sends a message.
export function liveArea(onMessage) {
  const live = document.getElementById("call-live");
  if (live.dataset.drawn) return live;
  live.dataset.drawn = "1";
  const message = el("form", { class: "call-message", "data-testid": "call-message-form" });
  message.append(
    el("label", { for: "call-message", class: "sr" }, "Message"),
    el("input", { id: "call-message", type: "text", "data-testid": "call-message", placeholder: "Type a message to the model", autocomplete: "off" }),
    el("button", { type: "submit", "data-testid": "call-message-send" }, "Send message")
  );
  message.addEventListener("submit", function (event) {
    event.preventDefault();
    const input = document.getElementById("call-message");
    if (input.value.trim() && onMessage(input.value)) input.value = "";
  });
  function section(title, name, tag) {
    const details = el("details", { class: "call-section", open: "" });
    details.append(el("summary", {}, title), partEl(tag || "div", name));
    return details;
  }
  live.replaceChildren(
    partEl("p", "call-mic-note", { class: "hint", hidden: "" }),
    partEl("ol", "call-transcript", { class: "call-transcript", "aria-live": "polite" }),
    message,
    partEl("div", "call-functions"),
    section("Live updates", "call-updates", "ol"),
    section("Effective configuration", "call-effective"),
    section("Events", "call-events-panel")
  );
  return live;
}

// A transcript line (role: user or assistant); a delta appends to its item's line (``key``).
export function line(role, text, key) {
  const list = part("call-transcript");
  let item = key ? list.querySelector('[data-key="' + CSS.escape(key) + '"]') : null;
  if (!item) {
    item = el("li", { "data-role": role }, "");
    if (key) item.dataset.key = key;
    list.append(item);
  }
  item.textContent += visible(text);
}

// A function the model called (once per call_id): its name and arguments, and a box for the
// result; ``onResult(call_id, output)`` sends it.
export function functionCall(item, onResult) {
  const list = part("call-functions");
  if (!item.call_id || list.querySelector('[data-call-id="' + CSS.escape(item.call_id) + '"]')) return;
  const box = el("form", { class: "call-function", "data-call-id": item.call_id, "data-testid": "call-function" });
  const id = "call-fn-" + list.children.length;
  const said = el("p", {}, "The model called ");
  said.append(el("code", { "data-testid": "call-function-name" }, item.name || "(no name)"), ":");
  box.append(
    said,
    el("pre", { class: "json", "data-testid": "call-function-arguments" }, item.arguments || ""),
    el("label", { for: id }, "Result to send back"),
    el("input", { id: id, type: "text", "data-testid": "call-function-output", autocomplete: "off" }),
    el("button", { type: "submit", "data-testid": "call-function-send" }, "Send result")
  );
  box.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!onResult(item.call_id, box.querySelector("input").value)) return;
    box.querySelector("button").disabled = true;
    box.dataset.sent = "1";
  });
  list.append(box);
}

// The effective configuration: the server's session against what the form asks, key by key.
export function effectiveView(asked, server) {
  const rows = effective(asked, server);
  const counts = { match: 0, changed: 0, default: 0, missing: 0, info: 0 };
  const list = el("ul", { class: "call-effective" });
  rows.forEach(function (row) {
    counts[row.kind] += 1;
    list.append(el("li", { "data-kind": row.kind, "data-path": row.path }, describe(row)));
  });
  part("call-effective").replaceChildren(
    el("p", { class: "meta" }, counts.match + " as asked, " + counts.changed + " changed by the server, " +
      counts.default + " filled in from defaults, " + counts.missing + " not reported."),
    list
  );
}

// What became of a live update of the session's ``path``: a line in the panel, and the same
// words next to the form's field (its nearest field; none when the form has no such field).
export function updated(path, text, state) {
  part("call-updates").append(el("li", { "data-path": path, "data-state": state }, path + ": " + text));
  const wrapper = fieldFor(document.getElementById("session-form"), "session." + path);
  if (!wrapper) return;
  let slot = wrapper.querySelector(':scope > .call-note[data-path="' + CSS.escape(path) + '"]');
  if (!slot) {
    slot = el("p", { class: "call-note", "data-path": path, "data-testid": "call-field-note", "aria-live": "polite" });
    wrapper.append(slot);
  }
  slot.textContent = "Live call: " + visible(text);
  slot.dataset.state = state;
}

// A line in the live updates that concerns no field.
export function said(text) {
  part("call-updates").append(el("li", { "data-state": "refused" }, text));
}

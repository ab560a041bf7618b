// The live call's turn controls and usage (imported by static/call.js, which calls begin, heard
// and finish): push-to-talk when the session's turn detection is off (the microphone is live
// only while call-ptt is held with the pointer or Space; on release input_audio_buffer.commit,
// then a response), Interrupt (response.cancel, and the output audio cleared: over WebRTC
// output_audio_buffer.clear, over WebSocket the playback worklet's queue), and the usage of
// every response.done (static/call-usage.js). ES module: no inline script, no eval.
import { el } from "./call-inspector.js";
import { part } from "./call-view.js";
import * as Usage from "./call-usage.js";

let active = null; // { c, send, respond } of the call in progress

// Whether ``session`` (as the server reports it, GA or beta) has turn detection off.
function turnDetectionOff(session) {
  const input = session && session.audio && session.audio.input ? session.audio.input : session || {};
  return Object.prototype.hasOwnProperty.call(input, "turn_detection") && input.turn_detection === null;
}
function model(c) { return (c.server && c.server.model) || (c.asked && c.asked.model) || ""; }
function muted() { return part("call-mute") && part("call-mute").getAttribute("aria-pressed") === "true"; }

// The microphone live or not: always outside push-to-talk, only while held in it.
function micLive(c) {
  const live = !c.ptt || Boolean(c.held);
  c.micClosed = !live; // the WebSocket transport sends no audio then (static/call-socket.js)
  if (c.mic && (c.ptt || !muted())) c.mic.getAudioTracks().forEach(function (track) { track.enabled = live; });
}

function drawTurn(c) {
  const ptt = part("call-ptt");
  ptt.hidden = !c.ptt;
  part("call-ptt-hint").hidden = !c.ptt;
  ptt.disabled = !c.mic;
  ptt.title = c.mic ? "" : "No microphone: type a message instead";
  ptt.setAttribute("aria-pressed", String(Boolean(c.held)));
  ptt.textContent = c.held ? "Talking… release to send" : "Hold to talk";
  part("call-interrupt").disabled = !(c.responding || c.speaking);
  // Push-to-talk opens and closes the microphone itself: Mute has nothing to do meanwhile.
  const mute = part("call-mute");
  if (c.ptt) {
    mute.setAttribute("aria-pressed", "false");
    mute.textContent = "Mute";
  }
  mute.disabled = c.ptt || !(c.open && c.mic);
}

// Push-to-talk, Interrupt and the usage section, drawn under the call bar when the first call
// begins or a bundle opens (the page's first load does not carry them; the listeners below are
// delegated).
export function draw() {
  if (part("call-turn")) return;
  const turn = el("div", { class: "call-turn", "data-call-part": "call-turn", hidden: "" });
  turn.append(
    el("button", { type: "button", class: "call-ptt", "data-testid": "call-ptt", "data-call-part": "call-ptt",
      "aria-pressed": "false", "aria-keyshortcuts": "Space", "aria-describedby": "call-ptt-hint", hidden: "" }, "Hold to talk"),
    el("button", { type: "button", "data-testid": "call-interrupt", "data-call-part": "call-interrupt", disabled: "",
      title: "Stop the model's answer (response.cancel) and the sound of it" }, "Interrupt"),
    el("span", { class: "hint", id: "call-ptt-hint", "data-call-part": "call-ptt-hint", hidden: "" },
      "Turn detection is off: hold the button, or Space outside a text field, while you speak; release to send.")
  );
  const usage = el("section", { class: "call-usage", "data-testid": "call-usage", "data-call-part": "call-usage",
    "data-total-tokens": "0", "aria-labelledby": "call-usage-title", hidden: "" });
  const title = el("h3", { id: "call-usage-title" }, "Usage (summed from ");
  title.append(el("code", {}, "response.done"), ")");
  usage.append(title, el("dl", { "data-call-part": "call-usage-counts" }),
    el("p", { class: "hint", "data-testid": "call-cost", "data-call-part": "call-cost" }));
  part("call-status").closest(".call-bar").after(turn, usage);
}

// A call starts: ``send(event)`` sends a client event, ``respond()`` asks for a response.
export function begin(c, send, respond) {
  draw();
  active = { c: c, send: send, respond: respond };
  c.usage = Usage.empty();
  Usage.loadPrices();
  c.ptt = turnDetectionOff(c.asked);
  part("call-turn").hidden = false;
  Usage.show(c.usage, model(c));
  drawTurn(c);
}

// A server event of the call ``c`` (after static/call.js has read it).
export function heard(c, event) {
  const type = event.type || "";
  if (type === "session.created" || type === "session.updated") {
    c.ptt = turnDetectionOff(c.server);
    if (!c.ptt) c.held = false;
    micLive(c);
  } else if (type === "output_audio_buffer.started") {
    c.speaking = true;
  } else if (type === "output_audio_buffer.stopped" || type === "output_audio_buffer.cleared") {
    c.speaking = false;
  } else if (type === "response.done") {
    c.usage = Usage.add(c.usage, event.response && event.response.usage);
    Usage.show(c.usage, model(c));
  }
  drawTurn(c);
}

// The call ended: the controls wait for the next one; the usage stays to be read.
export function finish(c) {
  if (active && active.c === c) active = null;
  const turn = part("call-turn");
  if (!turn) return;
  c.held = false;
  turn.hidden = true;
}

function press() {
  const c = active && active.c;
  if (!c || !c.open || !c.ptt || c.held || !c.mic) return;
  c.held = true;
  active.send({ type: "input_audio_buffer.clear" }); // what was heard before the press is not the turn
  micLive(c);
  drawTurn(c);
}
function release() {
  const c = active && active.c;
  if (!c || !c.held) return;
  c.held = false;
  micLive(c);
  drawTurn(c);
  if (!c.open) return;
  active.send({ type: "input_audio_buffer.commit" });
  active.respond();
}
function interrupt() {
  const c = active && active.c;
  if (!c || !c.open) return;
  if (c.responding) active.send({ type: "response.cancel" });
  if (c.transport === "webrtc") active.send({ type: "output_audio_buffer.clear" });
  else if (c.clearPlayback) c.clearPlayback();
}

function isPtt(target) { return Boolean(target && target.closest && target.closest('#call [data-call-part="call-ptt"]')); }
// Space talks unless the visitor is typing or on a control that Space works itself.
function spaceTalks(target) {
  if (isPtt(target)) return true;
  return !(target && target.closest && target.closest(
    'input, textarea, select, button, a[href], summary, [contenteditable]:not([contenteditable="false"]), [role=textbox], [role=button]'));
}
function isSpace(event) { return event.code === "Space" || event.key === " "; }

document.addEventListener("pointerdown", function (event) {
  if (!isPtt(event.target) || event.button !== 0) return;
  event.preventDefault();
  if (event.target.setPointerCapture) event.target.setPointerCapture(event.pointerId);
  press();
});
["pointerup", "pointercancel", "lostpointercapture"].forEach(function (name) {
  document.addEventListener(name, function (event) { if (isPtt(event.target)) release(); });
});
document.addEventListener("keydown", function (event) {
  const c = active && active.c;
  if (!c || !c.ptt || !isSpace(event) || !spaceTalks(event.target)) return;
  event.preventDefault(); // no scroll, no click
  if (!event.repeat) press();
});
document.addEventListener("keyup", function (event) {
  if (isSpace(event) && active && active.c.held) { event.preventDefault(); release(); }
});
window.addEventListener("blur", release); // a hold the page no longer sees ends
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest('#call [data-call-part="call-interrupt"]')) interrupt();
});

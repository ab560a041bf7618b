// The live call (static/call-loader.js imports it on the first Start call click), over the
// transport chosen in the panel: WebRTC (static/call-webrtc.js) or WebSocket through the
// server's bridge (static/call-socket.js), each a link with send(text) and close(atGateway).
// In the call, whatever carries it: mute and level, text messages, function results, the event
// inspector, the effective configuration, every change of the form sent as a
// session.update, both sides' audio recorded for the call's bundle (static/call-bundle.js),
// and a bundle opened when no call runs (static/call-bundle-open.js).
// ES module: no inline script, no eval.
import { keyReady, startReady } from "./call-loader.js";
import { Inspector } from "./call-inspector.js";
import { Timeline } from "./call-timeline.js";
import { Runs } from "./call-runs.js";
import * as Input from "./call-input.js";
import * as Bundle from "./call-bundle.js";
import * as Opened from "./call-bundle-open.js";
import { Recorder } from "./call-recording.js";
import * as Controls from "./call-controls.js";
import * as S from "./call-session.js";
import * as V from "./call-view.js";
import { byId } from "./playground.js";
import * as WebRTC from "./call-webrtc.js";
import * as Socket from "./call-socket.js";
import { transportChoice } from "./call-loader.js";

const DEBOUNCE_MS = 400;
const TRANSPORTS = { webrtc: WebRTC, websocket: Socket };

let call = null; // the call in progress (one per page)
let last = null; // the call begun last (its bundle is offered until the next one begins)
let events = 0;

function panel() { return byId("call"); }
const part = V.part;
function say(text, state) {
  const status = part("call-status");
  status.textContent = text;
  status.dataset.state = state;
}
// The call's buttons for being in a call or not. A focused button that disables itself hands
// focus on: Start call to Hang up, Hang up to Start call (focus never falls to <body>).
function buttons(inCall) {
  const focused = document.activeElement;
  panel().dataset.inCall = inCall ? "1" : "";
  part("call-start").disabled = inCall;
  part("call-transport").disabled = inCall; // shown, not changed, while a call runs
  part("call-hangup").disabled = !inCall;
  part("call-mute").disabled = !(inCall && call && call.mic);
  Input.ready(inCall ? call : null);
  V.inCallControls(inCall);
  keyReady();
  startReady();
  if (focused && focused.disabled && panel().contains(focused)) {
    const next = [part(inCall ? "call-hangup" : "call-start"), part("call-status")];
    const target = next.find(function (n) { return n && !n.disabled; });
    if (target === part("call-status")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
}
// The session the form asks for: the preview's body.session.
function askedSession() {
  try {
    const body = JSON.parse(byId("request-body").textContent);
    return body && typeof body.session === "object" ? body.session : {};
  } catch (e) { return {}; }
}
// ``text`` with the call ``c``'s secrets masked: its ephemeral key, and the visitor's own key.
function hide(text, c) {
  const own = byId("auth-key");
  const secrets = [[c && c.key, "[the ephemeral key]"], [own && own.value, "[your key]"]];
  return secrets.reduce(function (out, pair) {
    return pair[0] ? out.split(pair[0]).join(pair[1]) : out;
  }, text);
}

function send(event) {
  if (!call || !call.open || !call.link) return "";
  event.event_id = "evt_pg_" + ++events;
  call.link.send(JSON.stringify(event));
  call.inspector.add("client", event);
  return event.event_id;
}

// Ask for a response: at once, or when the one in progress is done (the API refuses a second
// active response, and a function's result often comes before its call's response.done).
function respond(c) {
  if (c.responding) c.respondAfter = true;
  else send({ type: "response.create" });
}
// A typed message, then a response to it: false when there is no call to send it in.
function message(text) {
  if (!call || !call.open) return false;
  V.line("user", text);
  send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: text }] } });
  respond(call);
  return true;
}
// A function's result, then a response to it.
function functionResult(callId, output) {
  if (!call || !call.open) return false;
  send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: callId, output: output } });
  respond(call);
  return true;
}

// --- Starting and ending ---------------------------------------------------------------
function meter(c, stream) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  c.audio = new Context();
  const analyser = c.audio.createAnalyser();
  analyser.fftSize = 1024;
  c.audio.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const level = part("call-level");
  function draw() {
    if (c.ended) return;
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
    level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    if (c.timeline) c.timeline.mic(level.value);
    c.frame = window.requestAnimationFrame(draw);
  }
  draw();
}

async function start(withKey) {
  if (call) return;
  const keyInput = byId("ephemeral-key");
  const key = withKey && keyInput ? keyInput.value.trim() : "";
  if (withKey && !/^ek_/.test(key)) {
    say("No ephemeral key to connect with: send the client secret first.", "error");
    return;
  }
  // Drawn now (the inspector lives there), shown once the call is
  // answered: a start that fails draws no in-call panels.
  const live = V.liveArea(message);
  live.hidden = true;
  const c = { key: key, pending: [], deferred: [], asked: askedSession(), open: false, ended: false };
  c.started = c.asked;
  c.startedAt = new Date().toISOString();
  c.inspector = Inspector(part("call-events-panel"), function (text) { return hide(text, c); });
  c.timeline = Timeline(live);
  c.runs = Runs(live);
  c.transport = transportChoice();
  c.recorder = Recorder(Bundle.capped); // in the click: its AudioContext may start
  Bundle.offer(live);
  call = c;
  last = c;
  Controls.begin(c, send, function () { respond(c); });
  buttons(true);
  say("connecting… (" + (c.transport === "websocket" ? "WebSocket, through this server" : "WebRTC") + ")", "connecting");
  const on = {
    // Shown once the call is up: a start that fails draws no in-call panels.
    opened: function () { c.open = true; live.hidden = false; say("connected", "connected"); },
    message: function (data) { receive(c, data); },
    closed: function (reason, text) { end(c, reason, text); },
    // What the call sends (static/call-input.js): the microphone, or the recording then silence;
    // recorded for the call's bundle as sent.
    mic: function (stream) { c.mic = c.outgoing = stream; meter(c, stream); c.recorder.mic(stream); buttons(true); },
    remote: function (stream) { c.recorder.remote(stream); }, // the model's audio over WebRTC
    said: function (text) { if (!call) say(part("call-status").textContent + " " + text, "ended"); },
  };
  try {
    c.link = await TRANSPORTS[c.transport].open(c, on);
  } catch (error) {
    end(c, "", "Not started: " + (error && error.message ? error.message : String(error)), true);
  }
}

// End the call here: the microphone stops at once. ``atGateway``: the visitor (or the page)
// ended it, so POST /call/hangup first, then close the connection (closing first would end
// the call under the gateway's feet); a call the other side ended just closes.
function end(c, reason, text, atGateway) {
  if (c.ended) return;
  c.ended = true;
  c.open = false;
  if (call === c) call = null;
  window.cancelAnimationFrame(c.frame);
  if (c.timeline) c.timeline.stop();
  if (c.mic) c.mic.getTracks().forEach(function (track) { track.stop(); });
  Input.close(c);
  if (c.audio) c.audio.close();
  c.recorder.stop();
  Controls.finish(c);
  if (c.link) c.link.close(Boolean(atGateway));
  if (!panel()) return;
  part("call-level").value = 0;
  const mute = part("call-mute");
  mute.setAttribute("aria-pressed", "false");
  mute.textContent = "Mute";
  buttons(false);
  say(text || "Call ended" + (reason ? ": " + reason + "." : "."), text ? "error" : "ended");
}

// --- Events from the server ------------------------------------------------------------
function receive(c, data) {
  // Hung up here: what the gateway still sends while the hang-up is said is not taken, so the
  // inspector, the timeline and the bundle hold the same call.
  if (c.ended) return;
  let event;
  try { event = JSON.parse(data); } catch (e) { event = { type: "(not JSON)", text: String(data).slice(0, 200) }; }
  // The model's audio over WebSocket, recorded before the inspector shows its size only.
  if (event.type === "response.output_audio.delta" && c.transport === "websocket" && typeof event.delta === "string") {
    c.recorder.delta(event.delta);
  }
  c.inspector.add("server", event);
  if (c.timeline) c.timeline.event(event);
  c.runs.event(event);
  if (call !== c) return;
  const type = event.type || "";
  if (type === "session.created" || type === "session.updated") {
    c.server = event.session || {};
    if (type === "session.created") Input.begin(c); // the session hears: a chosen recording plays
    V.effectiveView(c.asked, c.server);
    if (type === "session.updated") settle(c, c.pending.shift());
  } else if (type === "error") {
    refused(c, event.error || {});
  } else if (type === "response.created") {
    c.responding = true;
  } else if (type === "response.done") {
    c.responding = false;
    ((event.response && event.response.output) || []).forEach(function (item) {
      if (item.type === "function_call") V.functionCall(item, functionResult);
      if ((item.content || []).some(function (p) { return p.type === "output_audio"; })) c.answeredWithAudio = true;
    });
    const later = c.deferred;
    c.deferred = [];
    if (later.length) update(c, later);
    if (c.respondAfter) {
      c.respondAfter = false;
      send({ type: "response.create" });
    }
  } else if (type === "response.output_audio.delta" || type === "output_audio_buffer.started") {
    c.answeredWithAudio = true;
  } else if (type === "response.output_audio_transcript.delta" || type === "response.output_text.delta") {
    if (type === "response.output_audio_transcript.delta") c.answeredWithAudio = true;
    V.line("assistant", event.delta || "", event.item_id || event.response_id || "");
  } else if (type === "conversation.item.input_audio_transcription.completed") {
    V.line("user", event.transcript || "");
  } else if (type === "response.function_call_arguments.done") {
    V.functionCall(event, functionResult);
  }
  Controls.heard(c, event); // push-to-talk, interrupt, usage (static/call-controls.js)
}

// --- Live tuning: the form's changes as session.update -----------------------------------
function update(c, picked) {
  if (c.responding && picked.some(function (ch) { return ch.path === "audio.output.speed"; })) {
    c.deferred = c.deferred.concat(picked);
    picked.forEach(function (ch) { V.updated(ch.path, "waits for the model's turn to end", "waiting"); });
    return;
  }
  // Each change goes as the value at its update path (once for changes that share it).
  const units = picked.filter(function (ch, i) {
    return picked.findIndex(function (other) { return other.unit === ch.unit; }) === i;
  }).map(function (ch) { return { path: ch.unit, value: ch.sent }; });
  const session = S.patch(units, (c.asked && c.asked.type) || (c.server && c.server.type) || "realtime");
  const id = send({ type: "session.update", session: session });
  c.pending.push({ id: id, changes: picked });
  c.runs.changed(picked);
  picked.forEach(function (ch) { V.updated(ch.path, "sent " + JSON.stringify(ch.value) + ", waiting for session.updated", "sent"); });
}

function tune() {
  const c = call;
  if (!c || !c.open) return;
  const now = askedSession();
  const form = byId("session-form");
  const picked = [];
  S.changes(c.asked, now).forEach(function (change) {
    if (change.path === "type" && change.value === c.started.type) return;
    const unit = S.updatePath(form, change.path);
    const sent = S.valueAt(now, unit);
    const why = S.refusal({ path: change.path, value: sent }, c);
    if (why) V.updated(change.path, why, "refused");
    else picked.push({ path: change.path, value: change.value, unit: unit, sent: sent });
  });
  c.asked = now;
  if (picked.length) update(c, picked);
}

function settle(c, pending) {
  if (!pending) return;
  pending.changes.forEach(function (change) {
    let value = c.server;
    change.path.split(".").forEach(function (key) { value = value == null ? undefined : value[key]; });
    if (S.covers(change.value, value)) V.updated(change.path, "applied (session.updated)", "applied");
    else V.updated(change.path, "session.updated has " + JSON.stringify(value) + " (asked " + JSON.stringify(change.value) + ")", "changed");
  });
}

function refused(c, error) {
  const index = c.pending.findIndex(function (p) { return error.event_id && p.id === error.event_id; });
  const pending = index >= 0 ? c.pending.splice(index, 1)[0] : null;
  const message = "refused: " + (error.message || "the API gave no message");
  const param = typeof error.param === "string" ? error.param.replace(/\[(\d+)\]/g, ".$1").replace(/^session\./, "") : "";
  if (param) V.updated(param, message, "refused");
  else if (pending) pending.changes.forEach(function (ch) { V.updated(ch.path, message, "refused"); });
  else V.said("Error: " + (error.message || ""));
  V.announce("The server refused: " + (error.message || "no message") + (param ? " (" + param + ")" : ""), true);
}

let timer = 0;
document.addEventListener("htmx:afterSettle", function () {
  if (!call || !call.open) return;
  window.clearTimeout(timer);
  timer = window.setTimeout(tune, DEBOUNCE_MS);
});
// A preset or an import swaps <main>, and with it this panel: the call cannot go on without it.
document.addEventListener("htmx:load", function () {
  const here = panel();
  if (call && !(here && here.dataset.inCall)) end(call, "the page's form was replaced", "", true);
});

// Open the bundle chosen in the panel's bundle-open, when no call runs.
function openBundle() {
  const input = part("bundle-open");
  const file = input && input.files && input.files[0];
  if (!file) return;
  input.value = ""; // the same file chosen again opens again
  if (call) Opened.said("Not opened: " + file.name + " opens when no call runs (hang up first).", "error");
  else Opened.open(file, function (text) { return hide(text, null); });
}

// Do what a panel control asks: start, key (start with the ek_ key), hangup, mute, replay,
// the input the sample select or the file input now names, bundle (download the last call's),
// open (a bundle).
export function run(action) {
  if (action === "sample" || action === "file") Input.choose(call, action);
  else if (action === "replay") Input.replay(call);
  else if (action === "start") start(false);
  else if (action === "bundle" && last) Bundle.download(last, function (text) { return hide(text, last); });
  else if (action === "open") openBundle();
  else if (action === "key") start(true);
  else if (action === "hangup" && call) end(call, "", "", true);
  else if (action === "mute" && call && call.mic) {
    const track = call.mic.getAudioTracks()[0];
    track.enabled = !track.enabled;
    const mute = part("call-mute");
    mute.setAttribute("aria-pressed", String(!track.enabled));
    mute.textContent = track.enabled ? "Mute" : "Unmute";
  }
}

// The call in progress, or null.
export function current() { return call; }

// The live call (static/call-loader.js imports it on the first Start call click): one RTCPeerConnection with the microphone (or receive-only audio when there is none),
// the "oai-events" data channel, the remote audio in the panel's <audio>. The offer goes to
// POST /call (the form, the headers of requestHeaders as for a send, or the ek_ key a client
// secret send gave); a refusal (JSON) is shown in the response pane as a send's. In the call:
// mute and level, text messages, function results, the event inspector, the effective
// configuration, and every change of the form sent as a session.update.
// ES module: no inline script, no eval.
import { keyReady } from "./call-loader.js";
import { Inspector } from "./call-inspector.js";
import * as S from "./call-session.js";
import * as V from "./call-view.js";
import { byId, constants } from "./playground.js";
import { showRefusal } from "./call-refusal.js";
import { keepFreshToken, requestHeaders } from "./request-headers.js";

const HEADERS = constants.headers;
const DEBOUNCE_MS = 400;
const GATHER_MS = 3000;
const HANGUP_MS = 3000;

let call = null; // the call in progress (one per page)
let events = 0;

function panel() { return byId("call"); }
const part = V.part;
function say(text, state) {
  const status = part("call-status");
  status.textContent = text;
  status.dataset.state = state;
}
function buttons(inCall) {
  panel().dataset.inCall = inCall ? "1" : "";
  part("call-start").disabled = inCall;
  part("call-hangup").disabled = !inCall;
  part("call-mute").disabled = !(inCall && call && call.mic);
  keyReady();
}
// The session the form asks for: the preview's body.session.
function askedSession() {
  try {
    const body = JSON.parse(byId("request-body").textContent);
    return body && typeof body.session === "object" ? body.session : {};
  } catch (e) { return {}; }
}
// ``text`` with the call's secrets masked: its ephemeral key, and the visitor's own key.
function hide(text) {
  const own = byId("auth-key");
  const secrets = [[call && call.key, "[the ephemeral key]"], [own && own.value, "[your key]"]];
  return secrets.reduce(function (out, pair) {
    return pair[0] ? out.split(pair[0]).join(pair[1]) : out;
  }, text);
}

function send(event) {
  if (!call || !call.channel || call.channel.readyState !== "open") return "";
  event.event_id = "evt_pg_" + ++events;
  call.channel.send(JSON.stringify(event));
  call.inspector.add("client", event);
  return event.event_id;
}

// The headers a send gets: the CSRF token, the gateway and credentials (one rule for both).
function sendHeaders() {
  const headers = requestHeaders("post", true);
  headers.Accept = "application/json";
  return headers;
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
function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise(function (resolve) {
    const done = function () { if (pc.iceGatheringState === "complete") resolve(); };
    pc.addEventListener("icegatheringstatechange", done);
    window.setTimeout(resolve, GATHER_MS); // what was gathered by then is enough on one host
  });
}

async function microphone(c) {
  const note = part("call-mic-note");
  try {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error("this page cannot reach a microphone (it needs https or localhost)");
    }
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    c.mic = stream;
    stream.getAudioTracks().forEach(function (track) { c.pc.addTrack(track, stream); });
    meter(c, stream);
    note.hidden = true;
  } catch (error) {
    const why = error && error.name === "NotAllowedError" ? "microphone access was denied"
      : error && error.name === "NotFoundError" ? "no microphone was found" : String(error && error.message || error);
    c.pc.addTransceiver("audio", { direction: "recvonly" });
    note.textContent = "No microphone (" + why + "): the call listens only; text messages still work.";
    note.hidden = false;
  }
}

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
    c.frame = window.requestAnimationFrame(draw);
  }
  draw();
}

// POST /call: the answer {sdp, call_id}; a refusal (JSON, playground/web/json_answers.py) is
// shown in the response pane, and thrown to say in the call's status.
async function exchange(c, sdp) {
  const body = new URLSearchParams(new FormData(byId("session-form")));
  body.set("_sdp", sdp);
  const headers = sendHeaders();
  if (c.key) headers[HEADERS.ephemeralKey] = c.key;
  let response;
  try {
    response = await fetch(panel().dataset.callUrl, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
  } catch (e) {
    throw new Error("could not reach the playground server: check that it is still running");
  }
  keepFreshToken(function (name) { return response.headers.get(name); });
  let answer = null;
  try { answer = await response.json(); } catch (e) { /* not JSON: said below */ }
  if (answer && answer.ok) return answer;
  if (!answer) throw new Error("the playground server answered HTTP " + response.status + ", not JSON");
  showRefusal(answer);
  throw new Error(answer.message + " (see the response pane)");
}

async function start(withKey) {
  if (call) return;
  const keyInput = byId("ephemeral-key");
  const key = withKey && keyInput ? keyInput.value.trim() : "";
  if (withKey && !/^ek_/.test(key)) {
    say("No ephemeral key to connect with: send the client secret first.", "error");
    return;
  }
  panel().querySelector("#call-live").hidden = false;
  V.liveArea(message);
  const c = { key: key, pending: [], deferred: [], asked: askedSession(), open: false, ended: false };
  c.started = c.asked;
  c.inspector = Inspector(part("call-events-panel"), hide);
  call = c;
  buttons(true);
  say("connecting…", "connecting");
  try {
    c.pc = new RTCPeerConnection({ iceServers: [] });
    c.pc.addEventListener("track", function (event) {
      part("call-audio").srcObject = event.streams[0] || new MediaStream([event.track]);
    });
    c.pc.addEventListener("connectionstatechange", function () {
      if (c.pc.connectionState === "failed") end(c, "the connection failed");
    });
    await microphone(c);
    buttons(true);
    c.channel = c.pc.createDataChannel("oai-events");
    c.channel.addEventListener("open", function () { c.open = true; say("connected", "connected"); });
    c.channel.addEventListener("message", function (message) { receive(c, message.data); });
    c.channel.addEventListener("close", function () { end(c, "the server closed the call"); });
    await c.pc.setLocalDescription(await c.pc.createOffer());
    await gathered(c.pc);
    if (c.ended) return;
    const answer = await exchange(c, c.pc.localDescription.sdp);
    if (c.ended) return;
    c.id = answer.call_id || "";
    await c.pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
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
  if (c.mic) c.mic.getTracks().forEach(function (track) { track.stop(); });
  if (c.audio) c.audio.close();
  function close() {
    try { if (c.channel) c.channel.close(); } catch (e) { /* already closed */ }
    if (c.pc) c.pc.close();
  }
  if (atGateway && c.id) hangUpAtGateway(c).then(close);
  else close();
  const audio = part("call-audio");
  if (audio) audio.srcObject = null;
  if (!panel()) return;
  part("call-level").value = 0;
  const mute = part("call-mute");
  mute.setAttribute("aria-pressed", "false");
  mute.textContent = "Mute";
  buttons(false);
  say(text || "Call ended" + (reason ? ": " + reason + "." : "."), text ? "error" : "ended");
}

// POST /call/hangup, so the gateway ends the call too; what it says joins the status. The
// promise settles when it answered, or after HANGUP_MS.
function hangUpAtGateway(c) {
  const form = byId("session-form");
  const body = new URLSearchParams({ op: form.elements.op.value, call_id: c.id });
  const headers = sendHeaders();
  if (c.key) headers[HEADERS.ephemeralKey] = c.key;
  const asked = fetch(panel().dataset.hangupUrl, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (answer) {
      if (!answer.ok && answer.message && !call) say(part("call-status").textContent + " The gateway said: " + answer.message, "ended");
    }, function () { /* the call is over here; nothing more to do */ });
  return Promise.race([asked, new Promise(function (resolve) { window.setTimeout(resolve, HANGUP_MS); })]);
}

// --- Events from the server ------------------------------------------------------------
function receive(c, data) {
  let event;
  try { event = JSON.parse(data); } catch (e) { event = { type: "(not JSON)", text: String(data).slice(0, 200) }; }
  c.inspector.add("server", event);
  if (call !== c) return;
  const type = event.type || "";
  if (type === "session.created" || type === "session.updated") {
    c.server = event.session || {};
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

// Do what a panel button asks: start, key (start with the ek_ key), hangup, mute.
export function run(action) {
  if (action === "start") start(false);
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

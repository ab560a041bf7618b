// The call's outgoing audio (imported by static/call.js; both transports take their stream from
// outgoing()): one MediaStream per call, from an AudioContext's MediaStreamAudioDestinationNode.
// The microphone goes into it while no recording is the input; a chosen recording (an audio
// file, or a sample of static/samples/, decoded with Web Audio) plays into it once from its
// start, then silence; Replay plays it again. Each play is a run (static/call-runs.js). Mute and
// push-to-talk switch that stream's track, so they hold for a recording too. The choice is the
// panel's Input select and file input (partials/_call.html), taken when either changes, before
// or during a call. ES module: no inline script, no eval.
import { el } from "./call-inspector.js";
import { part } from "./call-view.js";

const MAX_BYTES = 20 * 1024 * 1024; // a longer recording is not what a run compares
const FILE = "file"; // the select's value while a file is the input
// The first run starts this long into the session, so that its first speech has audio before
// it, as a replay's has: the VAD cannot report a start (less prefix_padding_ms) before the
// session's audio began, which made run 1 start later than the same audio replayed.
const LEAD_MS = 1000;

let chosen = null; // the recording that is the input: { name, value, buffer }, or null (microphone)
let decoding = Promise.resolve(); // the last choice's decoding: a call starting waits for it
let choices = 0; // counts choices: a slower decode of an earlier one is dropped

function field(action) {
  const here = document.getElementById("call");
  return here && here.querySelector('[data-call-action="' + action + '"]');
}

// The panel's note on the microphone, drawn under the input the first time it is needed.
function micNote() {
  let note = part("call-mic-note");
  if (!note) {
    note = el("p", { class: "hint", "data-call-part": "call-mic-note", "data-testid": "call-mic-note", hidden: "" });
    field("file").closest(".call-input").after(note);
  }
  return note;
}

// The microphone's stream, or null with the reason said in the panel (the call then sends the
// recording, or listens only).
async function microphone() {
  const note = micNote();
  try {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error("this page cannot reach a microphone (it needs https or localhost)");
    }
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    note.hidden = true;
    return stream;
  } catch (error) {
    const why = error && error.name === "NotAllowedError" ? "microphone access was denied"
      : error && error.name === "NotFoundError" ? "no microphone was found" : String(error && error.message || error);
    await decoding;
    note.textContent = "No microphone (" + why + "): " +
      (chosen ? "the call sends " + chosen.name + " and silence." : "the call listens only; text messages still work.");
    note.hidden = false;
    return null;
  }
}

// The select may name another input than the one taken (the browser restored the form on a
// reload, or a swap drew the panel afresh): what it shows is what the call sends.
function taken() {
  const named = field("sample") ? field("sample").value : "";
  if (named === (chosen ? chosen.value : "")) return;
  if (named && named !== FILE) {
    choose(null, "sample");
  } else {
    chosen = null;
    decoding = Promise.resolve();
  }
}

// The call's outgoing stream, or null when it has neither a microphone nor a recording (it then
// listens only). A chosen recording waits for the call to be heard (begin); until then, silence.
export async function outgoing(c) {
  taken();
  const mic = await microphone();
  await decoding;
  if (c.ended || (!mic && !chosen)) {
    if (mic) mic.getTracks().forEach(function (track) { track.stop(); });
    return null;
  }
  const context = new AudioContext();
  const out = context.createMediaStreamDestination();
  // Silence that keeps the track sending: Chromium sends no audio at all from a destination
  // with nothing playing into it, and the VAD then never hears the end of the last turn.
  const silence = context.createConstantSource();
  silence.offset.value = 0;
  silence.connect(out);
  silence.start();
  c.input = { context: context, out: out, mic: mic, from: mic ? context.createMediaStreamSource(mic) : null, playing: null };
  if (!chosen && c.input.from) c.input.from.connect(out);
  if (context.state === "suspended") context.resume().catch(function () { /* no gesture: it starts on the next */ });
  return out.stream;
}

function stopPlaying(input) {
  if (!input.playing) return;
  input.playing.onended = null;
  try { input.playing.stop(); } catch (e) { /* never started */ }
  input.playing.disconnect();
  input.playing = null;
}

// Play the recording from its start into the call ``c``: a new run.
function play(c) {
  const input = c.input;
  stopPlaying(input);
  if (input.from) input.from.disconnect();
  const source = input.context.createBufferSource();
  source.buffer = chosen.buffer;
  source.connect(input.out);
  source.onended = function () { if (input.playing === source) input.playing = null; };
  source.start();
  input.playing = source;
  input.played = true;
  if (c.runs) c.runs.start(chosen.name);
}

// Back to the microphone in the call ``c`` (silence when it has none): the run in progress ends.
function toMicrophone(c) {
  stopPlaying(c.input);
  if (c.input.from) {
    c.input.from.disconnect();
    c.input.from.connect(c.input.out);
  }
  if (c.runs) c.runs.end();
}

// The session of ``c`` can hear: a chosen recording plays LEAD_MS later (unless one played
// already), the first run.
export function begin(c) {
  window.setTimeout(function () {
    if (c.open && c.input && chosen && !c.input.played) play(c);
  }, LEAD_MS);
  ready(c);
}

// Replay: the recording again from its start in the running call ``c``.
export function replay(c) {
  if (c && c.open && c.input && chosen) play(c);
}

// The call ``c`` ended: the microphone stops, the outgoing audio with it.
export function close(c) {
  if (!c.input) return;
  stopPlaying(c.input);
  if (c.input.mic) c.input.mic.getTracks().forEach(function (track) { track.stop(); });
  c.input.context.close();
}

// Replay, its reason when it cannot, and the line a choice that failed writes: drawn once.
function draw() {
  if (field("replay")) return;
  field(FILE).after(
    el("button", { type: "button", "data-testid": "call-replay", "data-call-action": "replay",
      "aria-describedby": "call-replay-hint", disabled: "" }, "Replay"),
    el("span", { class: "hint", id: "call-replay-hint", "data-call-part": "call-replay-hint" }),
    el("span", { class: "error", role: "alert", "data-testid": "call-input-error", "data-call-part": "call-input-error" })
  );
}

// Replay enabled or not, with the reason, for the call ``c`` (null: none).
export function ready(c) {
  draw();
  const why = !c || !c.open ? "start a call to play the input again"
    : !c.input ? "this call sends no audio (it began without a microphone or a recording)"
      : !chosen ? "choose a recording or a sample as the input" : "";
  field("replay").disabled = Boolean(why);
  part("call-replay-hint").textContent = why ? "Replay: " + why + "."
    : "Replay plays " + chosen.name + " again from its start: a new run.";
}

// The select names the recording that is the input (a file by its name).
function show(select, recording) {
  let option = select.querySelector('option[value="' + FILE + '"]');
  if (recording && recording.value === FILE) {
    if (!option) option = select.appendChild(el("option", { value: FILE }));
    option.textContent = "File: " + recording.name;
  } else if (option) {
    option.remove();
  }
  select.value = recording ? recording.value : "";
}

function decode(bytes) {
  return new OfflineAudioContext(1, 1, 48000).decodeAudioData(bytes);
}

// What the select or the file input (``action``: "sample" or "file") now asks for, taken as the
// input: in the call ``c`` at once (a recording plays, a new run), else for the next call. A
// file or sample that does not decode is said next to them; the input stays what it was.
export function choose(c, action) {
  ready(c);
  const select = field("sample");
  const file = field(FILE);
  const mine = ++choices;
  const picked = action === FILE ? file.files && file.files[0] : null;
  const value = action === FILE ? (picked ? FILE : "") : select.value;
  part("call-input-error").textContent = "";
  if (value === FILE && !picked) { show(select, chosen); return; } // the file already chosen
  if (value !== FILE) file.value = "";
  if (!value) {
    chosen = null;
    show(select, null);
    decoding = Promise.resolve();
    if (c && c.input) toMicrophone(c);
    ready(c);
    return;
  }
  const name = picked ? picked.name : value;
  const bytes = picked
    ? (picked.size > MAX_BYTES ? Promise.reject(new Error("it is over 20 MB")) : picked.arrayBuffer())
    : fetch(new URL("../../samples/" + value, import.meta.url)).then(function (response) { // from /static/m/<version>/
      if (!response.ok) throw new Error("the server answered HTTP " + response.status);
      return response.arrayBuffer();
    });
  decoding = bytes.then(decode).then(function (buffer) {
    if (mine !== choices) return;
    chosen = { name: name, value: value, buffer: buffer };
    show(select, chosen);
    if (c && c.open && c.input) play(c);
    ready(c);
  }, function (error) {
    if (mine !== choices) return;
    const why = error && error.name === "EncodingError" ? "it is not audio this browser can decode"
      : String(error && error.message || error);
    part("call-input-error").textContent = "Could not use " + name + " as the input (" + why + "): " +
      (c && c.open ? "the call goes on with " : "the input stays ") + (chosen ? chosen.name : "the microphone") + ".";
    if (picked) file.value = "";
    show(select, chosen);
  });
}

// A call bundle opened without a call (imported by static/call.js, which hands it the file
// chosen in the panel's bundle-open): the in-call area drawn as the call left it, from the
// bundle's files: the events in an inspector, the timeline from its snapshot, the transcript,
// the effective configuration, the usage summed from its response.done events, and both sides'
// audio to play. A file that is not a bundle is refused with what is wrong, in the panel.
// ES module: no inline script, no eval.
import * as Bundle from "./call-bundle.js";
import * as Controls from "./call-controls.js";
import { el, Inspector } from "./call-inspector.js";
import { Timeline } from "./call-timeline.js";
import * as Usage from "./call-usage.js";
import * as V from "./call-view.js";
import { unzip, ZipError } from "./call-zip.js";

const MAX_BYTES = 256 * 1048576; // a bundle of two 30-minute recordings is about 180 MB
const MAX_ENTRY = 128 * 1048576;

class NotBundle extends Error {}

// Say ``text`` under the panel's bundle-open (state "error", "opening" or "opened").
export function said(text, state) {
  const input = V.part("bundle-open");
  let line = V.part("bundle-said");
  if (!line) {
    line = el("p", { class: "hint", role: "status", "data-call-part": "bundle-said", "data-testid": "bundle-said" });
    input.after(line);
  }
  line.textContent = text;
  line.dataset.state = state;
}

function json(files, name) {
  try { return JSON.parse(new TextDecoder().decode(files.get(name))); } catch (e) { throw new NotBundle(name + " is not JSON"); }
}

// The bundle's parts, read from the zip ``bytes``; NotBundle or ZipError says what is wrong.
async function read(bytes) {
  const files = await unzip(bytes, MAX_ENTRY);
  const missing = Bundle.FILES.filter(function (name) { return !files.has(name); });
  if (missing.length) throw new NotBundle("it has no " + missing.join(", "));
  const events = new TextDecoder().decode(files.get("events.jsonl")).split("\n").filter(Boolean).map(function (text, i) {
    let line;
    try { line = JSON.parse(text); } catch (e) { throw new NotBundle("line " + (i + 1) + " of events.jsonl is not JSON"); }
    if (!line || typeof line.event !== "object" || !line.event || typeof line.direction !== "string") {
      throw new NotBundle("line " + (i + 1) + " of events.jsonl is not an event of a call");
    }
    return line;
  });
  const session = json(files, "session.json");
  const timeline = json(files, "timeline.json");
  if (!session || typeof session !== "object" || !timeline || typeof timeline !== "object") {
    throw new NotBundle("session.json or timeline.json is not an object");
  }
  ["input.wav", "output.wav"].forEach(function (name) {
    const head = new TextDecoder().decode(files.get(name).subarray(0, 12));
    if (!(head.startsWith("RIFF") && head.endsWith("WAVE"))) throw new NotBundle(name + " is not a WAV file");
  });
  return { events: events, session: session, timeline: timeline, input: files.get("input.wav"), output: files.get("output.wav") };
}

let urls = []; // the audio of the bundle shown (revoked when another opens)

// Draw the bundle ``b`` into the in-call area; ``hide`` masks the visitor's key.
function show(b, name, hide) {
  const live = V.liveArea(function () { return false; });
  live.hidden = false;
  V.inCallControls(false);
  ["call-transcript", "call-functions", "call-updates"].forEach(function (n) { V.part(n).replaceChildren(); });
  const inspector = Inspector(V.part("call-events-panel"), hide);
  b.events.forEach(inspector.restore);
  b.events.forEach(transcript);
  Timeline(live).restore(b.timeline);
  const session = b.session;
  V.effectiveView(object(session.asked_at_end), object(session.effective));
  let totals = Usage.empty();
  b.events.forEach(function (line) {
    if (line.event.type === "response.done" && line.event.response) totals = Usage.add(totals, line.event.response.usage);
  });
  Controls.draw();
  Usage.loadPrices();
  const model = typeof session.model === "string" ? session.model : "";
  Usage.show(totals, model);
  urls.forEach(URL.revokeObjectURL);
  urls = [b.input, b.output].map(function (wav) { return URL.createObjectURL(new Blob([wav], { type: "audio/wav" })); });
  const box = Bundle.section(live);
  box.querySelectorAll(".call-bundle-opened").forEach(function (node) { node.remove(); });
  const opened = el("div", { class: "call-bundle-opened" });
  opened.append(el("h3", {}, "Opened: " + name + " (" + (session.transport || "?") + ", " + (model || "no model") + ", " +
    String(session.started_at || "").slice(0, 19).replace("T", " ") + ")"));
  [["bundle-input-audio", "What was sent (input.wav)", urls[0]], ["bundle-output-audio", "The model's audio (output.wav)", urls[1]]]
    .forEach(function (side) {
      const id = side[0];
      opened.append(el("label", { for: id }, side[1]),
        el("audio", { id: id, controls: "", preload: "metadata", src: side[2], "data-testid": id }));
    });
  box.prepend(opened);
}
function object(value) { return value && typeof value === "object" ? value : {}; }

// A line of the transcript again, from the events that drew it in the call.
function transcript(line) {
  const e = line.event;
  if (line.direction === "server" && (e.type === "response.output_audio_transcript.delta" || e.type === "response.output_text.delta")) {
    V.line("assistant", String(e.delta || ""), String(e.item_id || e.response_id || ""));
  } else if (line.direction === "server" && e.type === "conversation.item.input_audio_transcription.completed") {
    V.line("user", String(e.transcript || ""));
  } else if (line.direction === "client" && e.type === "conversation.item.create" && e.item && Array.isArray(e.item.content)) {
    e.item.content.forEach(function (part) { if (part && part.type === "input_text") V.line("user", String(part.text || "")); });
  }
}

// Open the bundle ``file`` (a File) into the panel, or say why not.
export async function open(file, hide) {
  const refused = "Not opened: " + file.name + " is not a call bundle: ";
  if (file.size > MAX_BYTES) {
    said(refused + "it is larger than " + MAX_BYTES / 1048576 + " MB.", "error");
    return;
  }
  said("Opening " + file.name + "…", "opening");
  let bundle;
  try {
    bundle = await read(new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    const known = error instanceof ZipError || error instanceof NotBundle;
    said(known ? refused + error.message + "." : "Not opened: " + file.name + " could not be read (" + error + ").", "error");
    return;
  }
  try {
    show(bundle, file.name, hide);
  } catch (error) {
    said("Not opened: " + file.name + " could not be shown (" + (error && error.message || error) + ").", "error");
    return;
  }
  said("Opened " + file.name + ": " + bundle.events.length + " events.", "opened");
}

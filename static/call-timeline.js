// The live call's timeline (imported by static/call.js, which hands it every server event and
// the microphone's level, whatever the transport): one SVG with lanes for the microphone level,
// the VAD speech segments, the model's audio, the responses and each answered turn's latency
// (end of the user's speech, on this page's clock, to the response's first audio or text delta).
// Marks are focusable; focus or hover shows the events behind one in a details line.
// Cheap for long calls: at most one redraw a frame, and a redraw touches only what is still
// open (the last level chunk, a running segment or response); the SVG grows in 10 s steps and
// scrolls inside its own box. snapshot() gives what is drawn as data (a call bundle's
// timeline.json) and restore(snapshot) draws it again. ES module: no inline script, no eval.
import { el, visible } from "./call-inspector.js";

const NS = "http://www.w3.org/2000/svg";
const PX_PER_S = 24;
const GROW_MS = 10000; // the SVG widens by this much call time at once
const BUCKET_MS = 100; // one level point per bucket (its loudest frame)
const CHUNK = 100; // level points per polyline: only the last one is rewritten
const LANES = { mic: [2, 22], speech: [26, 12], audio: [42, 12], response: [58, 12], latency: [74, 12] };
const HEIGHT = 90;
// The events that are a response's first output, when first: a turn's latency ends at one
// (static/call-runs.js measures runs by the same rule).
export const FIRST_OUTPUT = new Set(["response.output_audio.delta", "response.output_audio_transcript.delta",
  "response.output_text.delta", "output_audio_buffer.started"]);
// Whether a response that began at ``began`` (page ms; undefined: not seen) answers the turn
// whose speech ended at ``stopAt``: one begun before (a typed message's) answers an earlier ask.
export function answers(began, stopAt) { return !(began !== undefined && began < Math.floor(stopAt)); }
const MAX_LINES = 8; // events listed behind one mark (the rest counted)

function svg(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
  return node;
}
function x(ms) { return ((Math.max(0, ms) * PX_PER_S) / 1000).toFixed(1); }
function finite(value) { return typeof value === "number" && isFinite(value) ? Math.max(0, value) : 0; }
function seconds(ms) { return (ms / 1000).toFixed(2) + " s"; }

// The panel's timeline section, drawn afresh for each call into the in-call area ``live``.
function section(live) {
  let details = live.querySelector('[data-call-part="call-timeline-panel"]');
  if (!details) {
    details = el("details", { class: "call-section", open: "", "data-call-part": "call-timeline-panel" });
    const anchor = live.querySelector('[data-testid="call-message-form"]');
    if (anchor) anchor.after(details);
    else live.append(details);
  }
  return details;
}

// A timeline drawn into the in-call area ``live``; ``clock()`` gives the page's time in ms
// (performance.now by default). Gives event(event), mic(level), flush() and stop().
export function Timeline(live, clock) {
  const now = clock || function () { return performance.now(); };
  let origin = null; // page time of the first event: the timeline's 0 (and the mic audio's, near enough)
  let widthMs = 0;
  let frame = 0;
  let stopped = false;
  const open = new Set(); // marks still running: redrawn to ``now`` each flush
  const speech = new Map(); // item_id -> open speech mark
  const responses = new Map(); // response_id -> mark
  let audio = null; // the model's audio interval in progress
  let offset = null; // page time minus the input audio's clock (audio_start_ms, audio_end_ms)
  let aligned = false; // the offset comes from an end of speech
  let turn = null; // {stopAt, mark}: the user's last speech, not answered yet
  const levels = []; // loudest mic level per bucket
  const chunks = []; // one polyline per CHUNK levels
  let dirty = Infinity; // the first bucket changed since the last flush

  const details = section(live);
  const box = el("div", { class: "call-timeline-box" });
  const root = svg("svg", { "data-testid": "call-timeline", "data-call-part": "call-timeline", role: "group",
    "aria-label": "Timeline: microphone level, speech, the model's audio, responses, latency",
    height: HEIGHT, width: 0, viewBox: "0 0 0 " + HEIGHT, class: "call-timeline" });
  const layers = {};
  ["mic", "speech", "audio", "response", "latency"].forEach(function (lane) {
    layers[lane] = root.appendChild(svg("g", { "data-lane": lane }));
  });
  box.append(root);
  const said = el("p", { class: "meta call-timeline-details", "data-testid": "timeline-details", "aria-live": "polite" },
    "Focus or point at a mark to see the events behind it.");
  details.replaceChildren(el("summary", {}, "Timeline"),
    el("p", { class: "meta" }, "Lanes, top to bottom: microphone level, speech (VAD), the model's audio, responses, latency."),
    box, said);
  function show(event) {
    const mark = event.target.closest && event.target.closest("[data-events]");
    if (mark) said.textContent = mark.getAttribute("aria-label") + ": " + mark.dataset.events;
  }
  root.addEventListener("focusin", show);
  root.addEventListener("mouseover", show);

  function at() { return origin === null ? 0 : now() - origin; }
  // A focusable mark on ``lane`` from ``start`` ms (``end`` null: still running).
  function mark(lane, testid, start, end, name) {
    const [y, h] = LANES[lane];
    const node = svg("rect", { "data-testid": testid, y: y, height: h, x: x(start), width: 0, tabindex: "0",
      role: "img", "aria-label": name, "data-events": "", class: "mark-" + lane });
    node.timeline = { start: start, end: end, lines: [], more: 0, audio: lane === "speech" };
    node.append(svg("title", {}));
    layers[lane].append(node);
    if (end === null) open.add(node);
    else place(node);
    return node;
  }
  function place(node) {
    const t = node.timeline;
    const shift = t.audio ? offset || 0 : 0; // speech is on the audio's clock
    const end = t.end === null ? Math.max(t.start + shift, at()) : t.end + shift;
    node.setAttribute("x", x(t.start + shift));
    node.setAttribute("width", Math.max(2, (Number(x(end)) - Number(x(t.start + shift)))).toFixed(1));
  }
  function close(node, end) {
    node.timeline.end = Math.max(node.timeline.start, end);
    open.delete(node);
    place(node);
  }
  // Note ``event`` behind ``node`` (its type and when it came).
  function behind(node, event, extra) {
    const t = node.timeline;
    if (t.lines.length < MAX_LINES) t.lines.push(visible(event.type) + (extra ? " (" + extra + ")" : "") + " at " + seconds(at()));
    else t.more += 1;
    const text = t.lines.join("; ") + (t.more ? "; and " + t.more + " more" : "");
    node.dataset.events = text;
    node.firstChild.textContent = node.getAttribute("aria-label") + ": " + text;
  }

  function schedule() {
    if (!frame && !stopped) frame = window.requestAnimationFrame(flush);
  }
  // Draw what changed since the last flush.
  function flush() {
    frame = 0;
    const t = at();
    if (t > widthMs) {
      widthMs = Math.ceil((t + 1) / GROW_MS) * GROW_MS;
      root.setAttribute("width", x(widthMs));
      root.setAttribute("viewBox", "0 0 " + x(widthMs) + " " + HEIGHT);
      // Follows the call's end, unless the visitor scrolled back to look (read once a growth).
      if (box.scrollWidth - box.clientWidth - box.scrollLeft < GROW_MS * PX_PER_S / 1000 + 80) {
        box.scrollLeft = Math.max(0, Number(x(t)) - box.clientWidth + 40);
      }
    }
    open.forEach(place);
    if (dirty < levels.length) drawLevels();
  }
  // Rewrite the level polylines from the one holding bucket ``dirty`` on (the last, mostly).
  function drawLevels() {
    const [y, h] = LANES.mic;
    for (let k = Math.floor(dirty / CHUNK); k * CHUNK < levels.length; k++) {
      if (!chunks[k]) chunks[k] = layers.mic.appendChild(svg("polyline", { class: "level", "aria-hidden": "true" }));
      const points = [];
      const last = Math.min(levels.length, (k + 1) * CHUNK);
      for (let i = Math.max(0, k * CHUNK - 1); i < last; i++) {
        points.push(x(i * BUCKET_MS) + "," + (y + h - levels[i] * h).toFixed(1));
      }
      chunks[k].setAttribute("points", points.join(" "));
    }
    dirty = Infinity;
  }

  // Line the audio's clock up with the page's: VAD reports the end of speech as soon as it
  // has heard it, so the earliest arrival after audio_end_ms is the best guess (a start is
  // reported prefix_padding_ms late: a first guess only). Speech already drawn moves with it.
  function align(audioMs, t, stop) {
    const guess = t - audioMs;
    if (offset !== null && !(stop && (guess < offset || !aligned))) return;
    offset = guess;
    aligned = aligned || stop;
    layers.speech.childNodes.forEach(place);
  }

  // A server event.
  function event(e) {
    if (stopped || !e || typeof e.type !== "string") return;
    if (origin === null) origin = now();
    const type = e.type;
    const t = at();
    if (type === "input_audio_buffer.speech_started") {
      const start = Number(e.audio_start_ms) || 0;
      align(start, t, false);
      const node = mark("speech", "timeline-speech", start, null, "Speech from " + seconds(start));
      node.dataset.startMs = String(start);
      speech.set(e.item_id || "", node);
      behind(node, e, "audio_start_ms " + start);
      turn = null; // the user speaks again: an earlier turn not answered yet stays unanswered
    } else if (type === "input_audio_buffer.speech_stopped") {
      const end = Number(e.audio_end_ms) || 0;
      align(end, t, true);
      const node = speech.get(e.item_id || "") || mark("speech", "timeline-speech", end, null, "Speech");
      speech.delete(e.item_id || "");
      node.dataset.endMs = String(end);
      node.setAttribute("aria-label", "Speech " + seconds(node.timeline.start) + " to " + seconds(end));
      close(node, end);
      behind(node, e, "audio_end_ms " + end);
      turn = { stopAt: t, speech: node };
    } else if (type === "response.created") {
      const id = (e.response && e.response.id) || "";
      const node = mark("response", "timeline-response", t, null, "Response " + id);
      node.dataset.startMs = String(Math.round(t));
      node.dataset.responseId = id;
      responses.set(id, node);
      behind(node, e);
    } else if (type === "response.done") {
      const id = (e.response && e.response.id) || "";
      const node = responses.get(id);
      const status = (e.response && e.response.status) || "";
      if (node) {
        node.dataset.endMs = String(Math.round(t));
        node.dataset.status = status;
        close(node, Math.round(t));
        behind(node, e, status);
      }
      if (audio && !audio.dataset.webrtc) endAudio(e, t);
    } else if (type === "output_audio_buffer.stopped" || type === "output_audio_buffer.cleared") {
      if (audio) endAudio(e, t);
    }
    if (FIRST_OUTPUT.has(type)) output(e, t);
    schedule();
  }
  function output(e, t) {
    const id = e.response_id || "";
    const response = responses.get(id);
    if (response && !response.dataset.firstMs) {
      response.dataset.firstMs = String(Math.round(t));
      behind(response, e, "first output");
    }
    // A response begun before the end of speech (a typed message's, still streaming) answers
    // an earlier ask, not this turn.
    if (turn && answers(response ? Number(response.dataset.startMs) : undefined, turn.stopAt)) {
      const ms = Math.round(t - turn.stopAt);
      const node = mark("latency", "turn-latency", turn.stopAt, t, "Latency " + ms + " ms");
      node.dataset.ms = String(ms);
      if (id) node.dataset.responseId = id;
      behind(node, { type: "input_audio_buffer.speech_stopped" }, "end of speech at " + seconds(turn.stopAt));
      behind(node, e, "first output");
      turn = null;
    }
    const audible = e.type === "output_audio_buffer.started" || e.type === "response.output_audio.delta";
    if (audible && !audio) {
      audio = mark("audio", "timeline-audio", t, null, "The model's audio from " + seconds(t));
      if (e.type === "output_audio_buffer.started") audio.dataset.webrtc = "1";
      behind(audio, e);
    }
  }
  function endAudio(e, t) {
    audio.setAttribute("aria-label", "The model's audio " + seconds(audio.timeline.start) + " to " + seconds(t));
    close(audio, t);
    behind(audio, e);
    audio = null;
  }

  // The microphone's level now (0 to 1): the loudest of its bucket is drawn.
  function mic(level) {
    if (stopped || origin === null) return;
    const i = Math.floor(at() / BUCKET_MS);
    dirty = Math.min(dirty, levels.length, i);
    while (levels.length <= i) levels.push(0);
    if (level > levels[i]) levels[i] = Math.min(1, level);
    schedule();
  }
  // The call is over: what still runs ends now, and nothing more is drawn.
  function stop() {
    if (stopped) return;
    const t = at();
    open.forEach(function (node) { close(node, t); });
    window.cancelAnimationFrame(frame);
    flush();
    stopped = true;
  }
  // What is drawn, as plain data (a call bundle's timeline.json): the marks with their place,
  // name and data-*, and the microphone's level per bucket.
  function snapshot() {
    if (!stopped) flush();
    const marks = [];
    Object.keys(LANES).forEach(function (lane) {
      layers[lane].querySelectorAll("rect").forEach(function (node) {
        marks.push({ lane: lane, x: Number(node.getAttribute("x")), width: Number(node.getAttribute("width")),
          label: node.getAttribute("aria-label"), data: Object.assign({}, node.dataset) });
      });
    });
    return { width_ms: widthMs, bucket_ms: BUCKET_MS, px_per_s: PX_PER_S, marks: marks,
      levels: levels.map(function (v) { return Math.round(v * 1000) / 1000; }) };
  }
  // Draw ``snap`` (a snapshot(), read back from a bundle) instead of a call: nothing moves after.
  function restore(snap) {
    stopped = true;
    widthMs = finite(snap.width_ms);
    root.setAttribute("width", x(widthMs));
    root.setAttribute("viewBox", "0 0 " + x(widthMs) + " " + HEIGHT);
    (Array.isArray(snap.levels) ? snap.levels : []).forEach(function (v) { levels.push(Math.min(1, finite(v))); });
    dirty = 0;
    drawLevels();
    (Array.isArray(snap.marks) ? snap.marks : []).forEach(function (m) {
      if (!m || !Object.prototype.hasOwnProperty.call(LANES, m.lane) || m.lane === "mic") return;
      const [y, h] = LANES[m.lane];
      const node = svg("rect", { y: y, height: h, x: finite(m.x), width: finite(m.width), tabindex: "0", role: "img",
        "aria-label": String(m.label || m.lane), class: "mark-" + m.lane });
      Object.keys(m.data || {}).forEach(function (key) {
        if (/^[a-z][a-zA-Z0-9]*$/.test(key)) node.dataset[key] = String(m.data[key]);
      });
      node.append(svg("title", {}));
      node.firstChild.textContent = node.getAttribute("aria-label") + ": " + (node.dataset.events || "");
      layers[m.lane].append(node);
    });
  }
  return { event: event, mic: mic, flush: flush, stop: stop, root: root, snapshot: snapshot, restore: restore };
}

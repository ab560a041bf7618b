// The runs of a recording (imported by static/call.js, which hands it every server event and
// the live updates it sends; static/call-input.js starts a run at each play of the recording):
// each run's turns, its VAD speech segments in ms from the run's start, and each answered
// turn's latency, beside the run before, with the session settings changed between the two, so
// a setting can be compared on the same audio. Computed from the events, as the timeline
// (static/call-timeline.js) measures them: a latency is the end of speech (the arrival of
// speech_stopped) to the first audio or text delta of a response begun after it.
// ES module: no inline script, no eval.
import { el } from "./call-inspector.js";
import { FIRST_OUTPUT, answers } from "./call-timeline.js";

// A run's times: the VAD's (audio_start_ms, audio_end_ms, on the input audio's clock) less the
// clock's value when the run began. That value is the run's start on this page's clock less
// the offset of the two clocks, read as the earliest arrival of a speech_stopped after its
// audio_end_ms (the VAD says it as soon as it has heard it), the run's own or an earlier one.
function since(run, audioMs, offset) {
  return offset === null ? null : Math.round(audioMs + offset - run.at);
}
function span(segment) {
  if (segment.start === null) return "…";
  return segment.start + (segment.end === null ? " ms, still speaking" : " to " + segment.end + " ms");
}
function latency(segment) { return segment.latency === null ? "not answered" : segment.latency + " ms"; }

// The runs drawn into the in-call area ``live`` (once the first begins). Gives start(name),
// end(), changed(changes), event(event).
export function Runs(live, clock) {
  const now = clock || function () { return performance.now(); };
  const origin = now(); // the call's start: a run is said to begin so long after it
  const runs = [];
  let current = null; // the run in progress
  let changes = []; // live updates sent since the last run began: [{path, value}]
  const speaking = new Map(); // item_id -> its open segment (null outside a run)
  const created = new Map(); // response_id -> when response.created came
  let turn = null; // {segment, stopAt}: the last end of speech, not answered yet
  let list = null;

  const old = live.querySelector('[data-call-part="call-runs-panel"]');
  if (old) old.remove(); // a new call: the last call's runs go

  function offsetOf(run) {
    for (let i = run.n - 1; i >= 0; i--) if (runs[i].offset !== null) return runs[i].offset;
    return null;
  }
  function draw() {
    if (!list) {
      const details = el("details", { class: "call-section", open: "", "data-call-part": "call-runs-panel" });
      list = el("div", { "data-testid": "call-runs", "data-call-part": "call-runs" });
      details.append(el("summary", {}, "Runs of the recording"),
        el("p", { class: "meta" }, "Each play of the recording is a run: its turns (speech as the VAD heard it, in ms from " +
          "the run's start; a start includes prefix_padding_ms) and each answered turn's latency, beside the run before."),
        list);
      const timeline = live.querySelector('[data-call-part="call-timeline-panel"]');
      if (timeline) timeline.after(details);
      else live.append(details);
    }
    list.replaceChildren.apply(list, runs.slice().reverse().map(drawRun));
  }
  function drawRun(run) {
    const before = run.n > 1 ? runs[run.n - 2] : null;
    const box = el("section", { class: "call-run", "data-run": String(run.n), "data-turns": String(run.segments.length),
      "data-changed": run.changes.map(function (ch) { return ch.path; }).join(" ") });
    box.append(el("h4", {}, "Run " + run.n + ": " + run.name + ", " + ((run.at - origin) / 1000).toFixed(1) + " s into the call"));
    if (before) {
      box.append(el("p", { class: "meta" }, run.changes.length
        ? "Changed since run " + before.n + ": " + run.changes.map(function (ch) { return ch.path + " = " + JSON.stringify(ch.value); }).join("; ") + "."
        : "No setting changed since run " + before.n + "."));
    }
    const head = el("tr");
    ["Turn", "Speech", "Latency"].concat(before ? ["Run " + before.n + ": speech", "Run " + before.n + ": latency"] : [])
      .forEach(function (name) { head.append(el("th", { scope: "col" }, name)); });
    const body = el("tbody");
    const rows = Math.max(run.segments.length, before ? before.segments.length : 0);
    for (let i = 0; i < rows; i++) body.append(drawTurn(run, i, before));
    const table = el("table", { class: "call-runs-table" });
    table.append(el("thead"), body);
    table.firstChild.append(head);
    const scroll = el("div", { class: "call-runs-box", tabindex: "0", role: "group", "aria-label": "Run " + run.n + ", turn by turn" });
    scroll.append(table);
    box.append(scroll);
    return box;
  }
  function drawTurn(run, i, before) {
    const mine = run.segments[i];
    const row = el("tr", { "data-run": String(run.n), "data-turn": String(i + 1) });
    const cells = [String(i + 1)];
    if (mine) {
      const shown = seen(run, mine);
      if (shown.start !== null) row.dataset.startMs = String(shown.start);
      if (shown.start !== null && shown.end !== null) row.dataset.endMs = String(shown.end);
      if (mine.latency !== null) row.dataset.latencyMs = String(mine.latency);
      cells.push(span(shown), latency(mine));
    } else {
      cells.push("no turn", "");
    }
    if (before) {
      const theirs = before.segments[i];
      cells.push(theirs ? span(seen(before, theirs)) : "no turn", theirs ? latency(theirs) : "");
    }
    cells.forEach(function (text, k) { row.append(el(k ? "td" : "th", k ? {} : { scope: "row" }, text)); });
    return row;
  }
  function seen(run, segment) {
    const offset = offsetOf(run);
    return { start: since(run, segment.start, offset), end: segment.end === null ? null : since(run, segment.end, offset),
      latency: segment.latency };
  }

  // A run begins (a play of the recording ``name``), with the changes sent since the last.
  function start(name) {
    current = { n: runs.length + 1, name: name, at: now(), changes: changes, segments: [], offset: null };
    runs.push(current);
    changes = [];
    draw();
  }
  // The recording is no longer the input: speech from now on is in no run.
  function end() { current = null; }
  // Live updates sent (static/call.js update: each change's path and value).
  function changed(sent) {
    sent.forEach(function (ch) { changes.push({ path: ch.path, value: ch.value }); });
  }

  function event(e) {
    if (!e || typeof e.type !== "string") return;
    const t = now();
    const type = e.type;
    if (type === "input_audio_buffer.speech_started") {
      turn = null; // the user speaks again: an earlier turn not answered yet stays unanswered
      const segment = current ? { run: current, start: Number(e.audio_start_ms) || 0, end: null, latency: null } : null;
      if (segment) current.segments.push(segment);
      speaking.set(e.item_id || "", segment);
      if (segment) draw();
    } else if (type === "input_audio_buffer.speech_stopped") {
      const end = Number(e.audio_end_ms) || 0;
      const segment = speaking.get(e.item_id || "") || null;
      speaking.delete(e.item_id || "");
      turn = { segment: segment, stopAt: t };
      if (!segment) return;
      segment.end = end;
      const run = segment.run;
      run.offset = run.offset === null ? t - end : Math.min(run.offset, t - end);
      draw();
    } else if (type === "response.created") {
      created.set((e.response && e.response.id) || "", t);
    } else if (FIRST_OUTPUT.has(type) && turn) {
      // A response begun before the end of speech (a typed message's) answers an earlier ask.
      if (!answers(created.get(e.response_id || ""), turn.stopAt)) return;
      const answered = turn.segment;
      if (answered) answered.latency = Math.round(t - turn.stopAt);
      turn = null;
      if (answered) draw();
    }
  }
  return { start: start, end: end, changed: changed, event: event };
}

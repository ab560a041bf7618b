// A call's bundle (imported by static/call.js): one zip with events.jsonl (the inspector's
// Download .jsonl), input.wav and output.wav (static/call-recording.js), session.json (asked at
// the start and at the end, effective, model, transport) and timeline.json (the timeline's
// snapshot). The in-call area's bundle section offers it from a call's start until the next
// call's; static/call-bundle-open.js draws an opened bundle into the same section.
// ES module: no inline script, no eval.
import { el, saveAs } from "./call-inspector.js";
import { CAP_MINUTES } from "./call-recording.js";
import { zip } from "./call-zip.js";

// Every file of a bundle, in the order it is written.
export const FILES = ["events.jsonl", "input.wav", "output.wav", "session.json", "timeline.json"];

// The bundle section of the in-call area ``live`` (drawn once, at its end).
export function section(live) {
  let found = live.querySelector('[data-call-part="call-bundle"]');
  if (!found) {
    found = el("section", { class: "call-section call-bundle", "data-call-part": "call-bundle", "aria-label": "Call bundle" });
    live.append(found);
  }
  return found;
}

// Offer the bundle of the call beginning now (Download calls static/call.js's run("bundle")).
export function offer(live) {
  const button = el("button", { type: "button", "data-testid": "call-download-bundle", "data-call-action": "bundle" },
    "Download call bundle (.zip)");
  section(live).replaceChildren(button, el("span", { class: "hint", "data-call-part": "call-bundle-note" },
    " The events, both sides' audio (up to " + CAP_MINUTES + " min each), the session and the timeline of this call."));
}

// Say in the section that ``side`` ("input" or "output") stopped recording at the cap.
export function capped(side) {
  const note = document.querySelector('#call [data-call-part="call-bundle-note"]');
  const what = side === "input" ? "What was sent" : "The model's audio";
  if (note) note.textContent += " " + what + " was recorded for its first " + CAP_MINUTES + " min only (the bundle's cap).";
}

// The session.json of the call ``c``.
function session(c) {
  return {
    model: (c.server && c.server.model) || (c.asked && c.asked.model) || "",
    transport: c.transport,
    started_at: c.startedAt,
    asked_at_start: c.started,
    asked_at_end: c.asked,
    effective: c.server || null,
  };
}

// The bundle of the call ``c`` (its inspector, recorder and timeline), a zip Blob; ``hide``
// masks the call's secrets in what is text.
export function build(c, hide) {
  const texts = {
    "events.jsonl": c.inspector.jsonl(),
    "session.json": hide(JSON.stringify(session(c), null, 2)) + "\n",
    "timeline.json": hide(JSON.stringify(c.timeline.snapshot())) + "\n",
  };
  return zip(FILES.map(function (name) {
    if (name === "input.wav") return { name: name, data: c.recorder.input.wav() };
    if (name === "output.wav") return { name: name, data: c.recorder.output.wav() };
    return { name: name, data: texts[name] };
  }), new Date(c.startedAt));
}

// The bundle's file name: call-<start, UTC>.zip (no colons: some systems refuse them).
export function fileName(c) {
  return "call-" + c.startedAt.slice(0, 19).replace(/:/g, "-") + "Z.zip";
}

// Download the bundle of the call ``c``.
export function download(c, hide) {
  saveAs(build(c, hide), fileName(c));
}

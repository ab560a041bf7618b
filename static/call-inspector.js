// The live call's event inspector (imported by static/call.js): every client and server event in
// order, one element each (time, direction, type, the JSON folded in a <details>), with a type
// filter, pause, clear and a JSON Lines download. Audio payloads are summarised by their size,
// never dumped; secrets are masked (``hide``) in what is shown and downloaded, and hidden
// characters shown as <U+XXXX> (the download keeps them exact). ES module: no inline script, no eval.

// Characters that change how text reads without being seen: every format character (Cf: bidi
// controls, zero-width, tags U+E0000-E007F), and variation selectors (U+FE00-FE0F,
// U+E0100-E01EF). ``visible`` writes each as <U+XXXX>, as the server's visible rule does.
const HIDDEN = /[\p{Cf}\uFE00-\uFE0F\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
export function visible(text) {
  return String(text).replace(HIDDEN, function (c) {
    return "<U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + ">";
  });
}

// The events whose base64 audio is replaced by its size, and the key holding it.
const AUDIO = { "response.output_audio.delta": "delta", "input_audio_buffer.append": "audio" };

function base64Bytes(text) {
  const padding = (text.match(/=*$/) || [""])[0].length;
  return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
}

// The event as shown and downloaded: an audio payload becomes "[N bytes of audio]".
function summarise(event) {
  const key = event && AUDIO[event.type];
  if (!key || typeof event[key] !== "string") return event;
  const copy = Object.assign({}, event);
  copy[key] = "[" + base64Bytes(event[key]) + " bytes of audio]";
  return copy;
}

// An element with ``attrs`` and ``text``, hidden characters shown (every text the call draws
// comes through here or through ``visible``: what the model or a gateway says included).
export function el(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
  if (text !== undefined) node.textContent = visible(text);
  return node;
}

// Download ``blob`` as the file ``name``.
export function saveAs(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, class: "offscreen" });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000); // the download has begun by then
}

// An inspector drawn into ``root``. ``hide(text)`` gives the text with anything secret
// masked (the call's ephemeral key and the visitor's own key, should a server ever echo them).
export function Inspector(root, hide) {
  const recorded = [];
  let paused = false;
  let held = [];
  const bar = el("div", { class: "call-events-bar" });
  const filter = el("input", {
    type: "search", "data-testid": "call-events-filter", placeholder: "Filter by type",
    "aria-label": "Filter events by type", autocomplete: "off", spellcheck: "false",
  });
  const pause = el("button", { type: "button", "data-testid": "call-events-pause", "aria-pressed": "false" }, "Pause");
  const clear = el("button", { type: "button", "data-testid": "call-events-clear" }, "Clear");
  const save = el("button", { type: "button", "data-testid": "call-events-download" }, "Download .jsonl");
  const count = el("span", { class: "meta", "data-testid": "call-events-count", "aria-live": "off" }, "0 events");
  bar.append(filter, pause, clear, save, count);
  const list = el("ol", { class: "call-events", "data-testid": "call-events" });
  root.replaceChildren(bar, list);

  function matches(item) {
    const wanted = filter.value.trim().toLowerCase();
    return !wanted || item.dataset.eventType.toLowerCase().indexOf(wanted) >= 0;
  }
  function draw(entry) {
    const item = el("li", { "data-event-type": entry.type, "data-direction": entry.direction });
    const details = el("details");
    const summary = el("summary");
    summary.append(
      el("time", { datetime: entry.time }, entry.time.slice(11, 23)), " ",
      el("span", { class: "dir " + entry.direction }, entry.direction === "client" ? "→ client" : "← server"), " ",
      el("code", {}, visible(entry.type))
    );
    // Focusable and named: a long event scrolls, and a keyboard must reach it (axe).
    details.append(summary, el("pre", { class: "json", tabindex: "0", "aria-label": "JSON of " + visible(entry.type) }, visible(entry.text)));
    item.append(details);
    item.hidden = !matches(item);
    list.append(item);
  }
  function counted() {
    count.textContent = recorded.length + " events" + (held.length ? ", " + held.length + " held while paused" : "");
  }

  filter.addEventListener("input", function () {
    Array.prototype.forEach.call(list.children, function (item) { item.hidden = !matches(item); });
  });
  pause.addEventListener("click", function () {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume" : "Pause";
    if (!paused) { held.forEach(draw); held = []; }
    counted();
  });
  clear.addEventListener("click", function () {
    recorded.length = 0;
    held = [];
    list.replaceChildren();
    counted();
  });
  // The events as JSON Lines (Download .jsonl, and a call bundle's events.jsonl).
  function jsonl() {
    const lines = recorded.map(function (entry) {
      return hide(JSON.stringify({ time: entry.time, direction: entry.direction, event: entry.event }));
    });
    return lines.join("\n") + (lines.length ? "\n" : "");
  }
  function show(entry) {
    recorded.push(entry);
    if (paused) held.push(entry); else draw(entry);
    counted();
  }
  save.addEventListener("click", function () {
    saveAs(new Blob([jsonl()], { type: "application/jsonl" }), "call-events.jsonl");
  });

  // An entry as shown: ``shownEvent`` (audio summarised) masked.
  function entry(time, direction, shownEvent) {
    return {
      time: time,
      direction: direction,
      type: String((shownEvent && shownEvent.type) || "(no type)"),
      event: JSON.parse(hide(JSON.stringify(shownEvent))),
      text: hide(JSON.stringify(shownEvent, null, 2)),
    };
  }
  return {
    add: function (direction, event) { show(entry(new Date().toISOString(), direction, summarise(event))); },
    // A line of a Download .jsonl again, {time, direction, event}: from a call bundle opened.
    restore: function (line) {
      show(entry(String(line.time), line.direction === "client" ? "client" : "server", line.event));
    },
    all: function () { return recorded.slice(); },
    jsonl: jsonl,
  };
}

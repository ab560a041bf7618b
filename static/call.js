// The live call, as window.PlaygroundCall (static/call-loader.js loads it on the first Start
// call): one RTCPeerConnection with the microphone (or receive-only audio when there is none),
// the "oai-events" data channel, the remote audio in the panel's <audio>. The offer goes to
// POST /call (the form, the credentials as static/auth.js sends them, or the ek_ key a client
// secret send gave); a refusal is shown in the response pane exactly as a send's. In the call:
// mute and level, text messages, function results, the event inspector, the effective
// configuration, and every change of the form sent as a session.update.
// Static file: no inline script, no eval.
(function () {
  "use strict";
  const P = window.Playground;
  const S = window.PlaygroundCallSession;
  const HEADERS = P.constants.headers;
  const DEBOUNCE_MS = 400;
  const GATHER_MS = 3000;

  let call = null; // the call in progress (one per page)
  let events = 0;

  function byId(id) { return document.getElementById(id); }
  function panel() { return byId("call"); }
  function part(testid) { const here = panel(); return here && here.querySelector('[data-testid="' + testid + '"]'); }
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
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
    window.PlaygroundCallLoader.keyReady();
  }
  // The session the form asks for: the preview's body.session.
  function askedSession() {
    try {
      const body = JSON.parse(byId("request-body").textContent);
      return body && typeof body.session === "object" ? body.session : {};
    } catch (e) { return {}; }
  }
  function hide(text) {
    return call && call.key ? text.split(call.key).join("[the ephemeral key]") : text;
  }

  // The in-call area, drawn once per panel: microphone note, transcript, message box, function
  // calls, live updates, effective configuration, events.
  function liveArea() {
    const live = byId("call-live");
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
      const input = byId("call-message");
      if (!call || !call.open || !input.value.trim()) return;
      line("user", input.value);
      send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: input.value }] } });
      send({ type: "response.create" });
      input.value = "";
    });
    function section(title, testid, tag) {
      const details = el("details", { class: "call-section", open: "" });
      details.append(el("summary", {}, title), el(tag || "div", { "data-testid": testid }));
      return details;
    }
    live.replaceChildren(
      el("p", { class: "hint", "data-testid": "call-mic-note", hidden: "" }),
      el("ol", { class: "call-transcript", "data-testid": "call-transcript", "aria-live": "polite" }),
      message,
      el("div", { "data-testid": "call-functions" }),
      section("Live updates", "call-updates", "ol"),
      section("Effective configuration", "call-effective"),
      section("Events", "call-events-panel")
    );
    return live;
  }

  // A transcript line (role: user or assistant); a delta appends to its response's line.
  function line(role, text, key) {
    const list = part("call-transcript");
    let item = key ? list.querySelector('[data-key="' + CSS.escape(key) + '"]') : null;
    if (!item) {
      item = el("li", { "data-role": role }, "");
      if (key) item.dataset.key = key;
      list.append(item);
    }
    item.textContent += text;
  }

  function send(event) {
    if (!call || !call.channel || call.channel.readyState !== "open") return "";
    event.event_id = "evt_pg_" + ++events;
    call.channel.send(JSON.stringify(event));
    call.inspector.add("client", event);
    return event.event_id;
  }

  // The headers a send gets (the credentials, static/auth.js; the CSRF token, static/csrf.js):
  // asked of their own listeners, as htmx asks them for the Send button, so the rules stay theirs.
  function sendHeaders() {
    const detail = { elt: byId("send-button"), headers: {}, verb: "post", parameters: {} };
    document.dispatchEvent(new CustomEvent("htmx:configRequest", { detail: detail }));
    return detail.headers;
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

  // POST /call: the answer {sdp, call_id}, or null once the refusal is in the response pane.
  async function exchange(c, sdp) {
    const body = new URLSearchParams(new FormData(byId("session-form")));
    body.set("_sdp", sdp);
    const headers = sendHeaders();
    headers["HX-Request"] = "true";
    if (c.key) headers[HEADERS.ephemeralKey] = c.key;
    let response;
    try {
      response = await fetch(panel().dataset.callUrl, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
    } catch (e) {
      throw new Error("could not reach the playground server: check that it is still running");
    }
    // A refusal's fresh CSRF token: static/csrf.js keeps it, as for a send.
    document.dispatchEvent(new CustomEvent("htmx:beforeSwap", {
      detail: { xhr: { getResponseHeader: function (name) { return response.headers.get(name); } } },
    }));
    if (response.ok && (response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
      return response.json();
    }
    window.htmx.swap(byId("response"), await response.text(), { swapStyle: "outerHTML" });
    const pane = byId("response");
    const said = function (testid) {
      const node = pane && pane.querySelector('[data-testid="' + testid + '"]');
      return node ? node.textContent.trim() : "";
    };
    const error = pane && pane.querySelector('[data-testid="api-error"] dd');
    const reason = [said("response-status"), said("send-failure") || (error ? error.textContent.trim() : "")];
    throw new Error((reason.filter(Boolean).join(": ") || "HTTP " + response.status) + " (see the response pane)");
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
    liveArea();
    const c = { key: key, pending: [], deferred: [], asked: askedSession(), open: false, ended: false };
    c.started = c.asked;
    c.inspector = window.PlaygroundCallInspector.Inspector(part("call-events-panel"), hide);
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
      end(c, "", "Not started: " + (error && error.message ? error.message : String(error)));
    }
  }

  function end(c, reason, text) {
    if (c.ended) return;
    c.ended = true;
    c.open = false;
    if (call === c) call = null;
    window.cancelAnimationFrame(c.frame);
    try { if (c.channel) c.channel.close(); } catch (e) { /* already closed */ }
    if (c.pc) c.pc.close();
    if (c.mic) c.mic.getTracks().forEach(function (track) { track.stop(); });
    if (c.audio) c.audio.close();
    const audio = part("call-audio");
    if (audio) audio.srcObject = null;
    if (!panel()) return;
    part("call-level").value = 0;
    const mute = part("call-mute");
    mute.setAttribute("aria-pressed", "false");
    mute.textContent = "Mute";
    buttons(false);
    say(text || "Call ended" + (reason ? ": " + reason + "." : "."), text ? "error" : "ended");
    if (c.id) hangUpAtGateway(c);
  }

  // POST /call/hangup, so the gateway ends the call too; what it says joins the status.
  function hangUpAtGateway(c) {
    const form = byId("session-form");
    const body = new URLSearchParams({ op: form.elements.op.value, call_id: c.id });
    const headers = sendHeaders();
    if (c.key) headers[HEADERS.ephemeralKey] = c.key;
    fetch(panel().dataset.hangupUrl, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.ok && answer.message && !call) say(part("call-status").textContent + " The gateway said: " + answer.message, "ended");
      }, function () { /* the call is over here; nothing more to do */ });
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
      effectiveView(c);
      if (type === "session.updated") settle(c, c.pending.shift());
    } else if (type === "error") {
      refused(c, event.error || {});
    } else if (type === "response.created") {
      c.responding = true;
    } else if (type === "response.done") {
      c.responding = false;
      ((event.response && event.response.output) || []).forEach(function (item) {
        if (item.type === "function_call") functionCall(item);
        if ((item.content || []).some(function (p) { return p.type === "output_audio"; })) c.answeredWithAudio = true;
      });
      const later = c.deferred;
      c.deferred = [];
      if (later.length) update(c, later);
    } else if (type === "response.output_audio.delta" || type === "output_audio_buffer.started") {
      c.answeredWithAudio = true;
    } else if (type === "response.output_audio_transcript.delta" || type === "response.output_text.delta") {
      if (type === "response.output_audio_transcript.delta") c.answeredWithAudio = true;
      line("assistant", event.delta || "", event.item_id || event.response_id || "");
    } else if (type === "conversation.item.input_audio_transcription.completed") {
      line("user", event.transcript || "");
    } else if (type === "response.function_call_arguments.done") {
      functionCall(event);
    }
  }

  // A function the model called: its name and arguments, and a box for the result.
  function functionCall(item) {
    const list = part("call-functions");
    if (!item.call_id || list.querySelector('[data-call-id="' + CSS.escape(item.call_id) + '"]')) return;
    const box = el("form", { class: "call-function", "data-call-id": item.call_id, "data-testid": "call-function" });
    const id = "call-fn-" + list.children.length;
    box.append(
      el("p", {}, ""),
      el("pre", { class: "json", "data-testid": "call-function-arguments" }, item.arguments || ""),
      el("label", { for: id }, "Result to send back"),
      el("input", { id: id, type: "text", "data-testid": "call-function-output", autocomplete: "off" }),
      el("button", { type: "submit", "data-testid": "call-function-send" }, "Send result")
    );
    box.firstChild.append("The model called ", el("code", { "data-testid": "call-function-name" }, item.name || "(no name)"), ":");
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      const output = box.querySelector("input").value;
      send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: item.call_id, output: output } });
      send({ type: "response.create" });
      box.querySelector("button").disabled = true;
      box.dataset.sent = "1";
    });
    list.append(box);
  }

  function effectiveView(c) {
    const root = part("call-effective");
    const rows = S.effective(c.asked, c.server);
    const counts = { match: 0, changed: 0, default: 0, missing: 0, info: 0 };
    const list = el("ul", { class: "call-effective" });
    rows.forEach(function (row) {
      counts[row.kind] += 1;
      list.append(el("li", { "data-kind": row.kind, "data-path": row.path }, S.describe(row)));
    });
    root.replaceChildren(
      el("p", { class: "meta" }, counts.match + " as asked, " + counts.changed + " changed by the server, " +
        counts.default + " filled in from defaults, " + counts.missing + " not reported."),
      list
    );
  }

  // --- Live tuning: the form's changes as session.update -----------------------------------
  function note(path, text, state) {
    const wrapper = S.fieldFor(byId("session-form"), "session." + path);
    if (!wrapper) return;
    let slot = wrapper.querySelector(':scope > .call-note[data-path="' + CSS.escape(path) + '"]');
    if (!slot) {
      slot = el("p", { class: "call-note", "data-path": path, "data-testid": "call-field-note", "aria-live": "polite" });
      wrapper.append(slot);
    }
    slot.textContent = "Live call: " + text;
    slot.dataset.state = state;
  }
  function logUpdate(path, text, state) {
    const list = part("call-updates");
    list.append(el("li", { "data-path": path, "data-state": state }, path + ": " + text));
    note(path, text, state);
  }

  function update(c, picked) {
    if (c.responding && picked.some(function (ch) { return ch.path === "audio.output.speed"; })) {
      c.deferred = c.deferred.concat(picked);
      picked.forEach(function (ch) { logUpdate(ch.path, "waits for the model's turn to end", "waiting"); });
      return;
    }
    const session = S.patch(picked, (c.asked && c.asked.type) || (c.server && c.server.type) || "realtime");
    const id = send({ type: "session.update", session: session });
    c.pending.push({ id: id, changes: picked });
    picked.forEach(function (ch) { logUpdate(ch.path, "sent " + JSON.stringify(ch.value) + ", waiting for session.updated", "sent"); });
  }

  function tune() {
    const c = call;
    if (!c || !c.open) return;
    const now = askedSession();
    const picked = [];
    S.changes(c.asked, now).forEach(function (change) {
      if (change.path === "type" && change.value === c.started.type) return;
      const why = S.refusal(change, c);
      if (why) logUpdate(change.path, why, "refused");
      else picked.push(change);
    });
    c.asked = now;
    if (picked.length) update(c, picked);
  }

  function settle(c, pending) {
    if (!pending) return;
    pending.changes.forEach(function (change) {
      let value = c.server;
      change.path.split(".").forEach(function (key) { value = value == null ? undefined : value[key]; });
      if (S.same(value, change.value)) logUpdate(change.path, "applied (session.updated)", "applied");
      else logUpdate(change.path, "session.updated has " + JSON.stringify(value) + " (asked " + JSON.stringify(change.value) + ")", "changed");
    });
  }

  function refused(c, error) {
    const index = c.pending.findIndex(function (p) { return error.event_id && p.id === error.event_id; });
    const pending = index >= 0 ? c.pending.splice(index, 1)[0] : null;
    const message = "refused: " + (error.message || "the API gave no message");
    const param = typeof error.param === "string" ? error.param.replace(/\[(\d+)\]/g, ".$1").replace(/^session\./, "") : "";
    if (param) logUpdate(param, message, "refused");
    else if (pending) pending.changes.forEach(function (ch) { logUpdate(ch.path, message, "refused"); });
    else part("call-updates").append(el("li", { "data-state": "refused" }, "Error: " + (error.message || "")));
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
    if (call && !(here && here.dataset.inCall)) end(call, "the page's form was replaced");
  });

  window.PlaygroundCall = {
    run: function (action) {
      if (action === "start") start(false);
      else if (action === "key") start(true);
      else if (action === "hangup" && call) end(call, "");
      else if (action === "mute" && call && call.mic) {
        const track = call.mic.getAudioTracks()[0];
        track.enabled = !track.enabled;
        const mute = part("call-mute");
        mute.setAttribute("aria-pressed", String(!track.enabled));
        mute.textContent = track.enabled ? "Mute" : "Unmute";
      }
    },
    current: function () { return call; },
  };
})();

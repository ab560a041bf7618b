// The live call's WebSocket transport (imported by static/call.js), for gateways that carry the
// Realtime API as a WebSocket and not WebRTC: the page talks only to this server's bridge
// (/call/socket, playground/web/call_socket.py), which calls the gateway with the key kept
// server-side. The handshake carries the page's CSRF token as a subprotocol; the first message
// the operation, the form and the send panel's credentials (the headers requestHeaders gives a
// send). The call's outgoing audio (static/call-input.js: the microphone or a recording) goes
// through an AudioWorklet (static/call-worklet.js) as PCM16 24 kHz mono in
// input_audio_buffer.append about every 100 ms; response.output_audio.delta plays from
// a worklet queue that an interruption clears. G.711 formats are refused, said clearly.
// ES module: no inline script, no eval.
import { byId, constants } from "./playground.js";
import { showRefusal } from "./call-refusal.js";
import { csrfToken, requestHeaders } from "./request-headers.js";
import { outgoing } from "./call-input.js";

const SOCKET = constants.socket;
const RATE = 24000;
const PCM = "audio/pcm";

// Base64 of an ArrayBuffer, and an ArrayBuffer of base64.
function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
function fromBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes.buffer;
}

// What is said when the session asks for an audio format this transport does not carry.
function formatRefusal(session) {
  const audio = (session && session.audio) || {};
  const formats = [["input", audio.input], ["output", audio.output]].map(function (pair) {
    const format = pair[1] && pair[1].format;
    return [pair[0], format && format.type];
  }).filter(function (pair) { return pair[1] && pair[1] !== PCM; });
  if (!formats.length) return "";
  return "the WebSocket call sends and plays audio/pcm (PCM16, 24 kHz) only, and the session asks for " +
    formats.map(function (pair) { return pair[1] + " " + pair[0]; }).join(" and ") +
    ": choose audio/pcm, or call over WebRTC";
}

function socketUrl() {
  const url = new URL(byId("call").dataset.socketUrl, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

// The credentials of the send panel, as the headers a send carries (no CSRF token: it goes in
// the handshake).
function credentials(c) {
  const headers = requestHeaders("get", true);
  if (c.key) headers[constants.headers.ephemeralKey] = c.key;
  return headers;
}

// The microphone and the speaker: an AudioContext at 24 kHz with the two worklets.
async function audioPath(c, stream, append) {
  const context = new AudioContext({ sampleRate: RATE });
  c.socketAudio = context;
  await context.audioWorklet.addModule(new URL("./call-worklet.js", import.meta.url));
  const player = new AudioWorkletNode(context, "pcm-player", { outputChannelCount: [1] });
  player.connect(context.destination);
  if (stream) {
    const capture = new AudioWorkletNode(context, "pcm-capture");
    capture.port.onmessage = function (event) { append(event.data); };
    context.createMediaStreamSource(stream).connect(capture);
  }
  if (context.state === "suspended") context.resume().catch(function () { /* no gesture yet */ });
  return player;
}

// Open the call ``c`` over the bridge. ``on``: opened(), message(text), closed(reason, text),
// mic(stream). Gives the link: send(text), close(atGateway).
export async function open(c, on) {
  const refusal = formatRefusal(c.asked);
  if (refusal) throw new Error(refusal);
  const stream = await outgoing(c);
  if (c.ended) return null;
  let ws = null;
  let notice = ""; // what the server said of the end
  const link = {
    send: function (text) { if (ws && ws.readyState === WebSocket.OPEN) ws.send(text); },
    close: function () {
      if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, "hang-up");
      if (c.socketAudio) c.socketAudio.close();
    },
  };
  c.link = link;
  const player = await audioPath(c, stream, function (pcm) {
    if (!c.open || c.micClosed) return; // not in the inspector: ten a second; none outside a push-to-talk hold
    link.send(JSON.stringify({ type: "input_audio_buffer.append", audio: toBase64(pcm) }));
  });
  if (stream) on.mic(stream);
  // Interrupt empties the queue; the worklet answers with what it dropped (c.playbackCleared).
  c.clearPlayback = function () { player.port.postMessage("clear"); };
  player.port.onmessage = function (event) {
    if (event.data && typeof event.data.cleared === "number") c.playbackCleared = (c.playbackCleared || []).concat([event.data.cleared]);
  };
  if (c.ended) return link;
  ws = new WebSocket(socketUrl(), [SOCKET.protocol, SOCKET.csrfPrefix + csrfToken()]);
  function hear(text) {
    let event;
    try { event = JSON.parse(text); } catch (e) { on.message(text); return; }
    const type = event.type || "";
    if (type === "playground.connected") {
      on.opened();
    } else if (type === "playground.refused") {
      notice = "Not started: " + event.message;
      showRefusal({ refused: event.message, title: "Not started." });
    } else if (type === "playground.closed") {
      notice = "Call ended: " + event.message;
    } else {
      if (type === "response.output_audio.delta" && event.delta) player.port.postMessage(fromBase64(event.delta), []);
      if (type === "input_audio_buffer.speech_started" ||
          (type === "response.done" && event.response && event.response.status === "cancelled")) {
        player.port.postMessage("clear"); // interrupted: what was queued is not played
      }
      on.message(text);
    }
  }
  ws.addEventListener("open", function () {
    const form = byId("session-form");
    ws.send(JSON.stringify({
      type: SOCKET.start,
      op: form.elements.op.value,
      form: new URLSearchParams(new FormData(form)).toString(),
      auth: credentials(c),
    }));
  });
  ws.addEventListener("message", function (message) { hear(String(message.data)); });
  ws.addEventListener("close", function (event) {
    if (notice) on.closed("", notice);
    else if (event.code === 1009) on.closed("", "Call ended: a message was larger than the server relays.");
    else on.closed(c.open ? "the server closed the WebSocket" : "", c.open ? "" : "Not started: the WebSocket to this server closed (" + event.code + ").");
  });
  return link;
}

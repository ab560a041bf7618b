// The live call's WebRTC transport (imported by static/call.js): one RTCPeerConnection with the
// call's outgoing audio (static/call-input.js: the microphone or a recording; receive-only audio
// when there is neither), the "oai-events" data channel, the remote audio in the panel's
// <audio>. The offer goes to POST /call (the form, the headers of
// requestHeaders as for a send, or the ek_ key a client secret send gave); a refusal (JSON) is
// shown in the response pane as a send's. Hang-up posts /call/hangup, then closes.
// ES module: no inline script, no eval.
import { byId, constants } from "./playground.js";
import { showRefusal } from "./call-refusal.js";
import { keepFreshToken, requestHeaders } from "./request-headers.js";
import { part } from "./call-view.js";
import { outgoing } from "./call-input.js";

const HEADERS = constants.headers;
const GATHER_MS = 3000;
const HANGUP_MS = 3000;

function panel() { return byId("call"); }

// The headers a send gets: the CSRF token, the gateway and credentials (one rule for both).
function sendHeaders() {
  const headers = requestHeaders("post", true);
  headers.Accept = "application/json";
  return headers;
}

function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise(function (resolve) {
    const done = function () { if (pc.iceGatheringState === "complete") resolve(); };
    pc.addEventListener("icegatheringstatechange", done);
    window.setTimeout(resolve, GATHER_MS); // what was gathered by then is enough on one host
  });
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

// POST /call/hangup, so the gateway ends the call too; what it says joins the status. The
// promise settles when it answered, or after HANGUP_MS.
function hangUpAtGateway(c, said) {
  const form = byId("session-form");
  const body = new URLSearchParams({ op: form.elements.op.value, call_id: c.id });
  const headers = sendHeaders();
  if (c.key) headers[HEADERS.ephemeralKey] = c.key;
  const asked = fetch(panel().dataset.hangupUrl, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (answer) {
      if (!answer.ok && answer.message) said("The gateway said: " + answer.message);
    }, function () { /* the call is over here; nothing more to do */ });
  return Promise.race([asked, new Promise(function (resolve) { window.setTimeout(resolve, HANGUP_MS); })]);
}

// Open the call ``c`` over WebRTC. ``on``: opened(), message(text), closed(reason), mic(stream),
// said(text). Gives the link: send(text), close(atGateway).
export async function open(c, on) {
  const pc = new RTCPeerConnection({ iceServers: [] });
  c.pc = pc; // the call's connection (its stats, for the tests)
  let channel = null;
  const link = {
    send: function (text) { if (channel && channel.readyState === "open") channel.send(text); },
    close: function (atGateway) {
      function shut() {
        try { if (channel) channel.close(); } catch (e) { /* already closed */ }
        pc.close();
        const audio = part("call-audio");
        if (audio) audio.srcObject = null;
      }
      if (atGateway && c.id) hangUpAtGateway(c, on.said).then(shut);
      else shut();
    },
  };
  c.link = link;
  pc.addEventListener("track", function (event) {
    part("call-audio").srcObject = event.streams[0] || new MediaStream([event.track]);
    on.remote(part("call-audio").srcObject);
  });
  pc.addEventListener("connectionstatechange", function () {
    if (pc.connectionState === "failed") on.closed("the connection failed");
  });
  const stream = await outgoing(c);
  if (stream) {
    stream.getAudioTracks().forEach(function (track) { pc.addTrack(track, stream); });
    on.mic(stream);
  } else {
    pc.addTransceiver("audio", { direction: "recvonly" });
  }
  channel = pc.createDataChannel("oai-events");
  channel.addEventListener("open", on.opened);
  channel.addEventListener("message", function (message) { on.message(message.data); });
  channel.addEventListener("close", function () { on.closed("the server closed the call"); });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  if (c.ended) return link;
  const answer = await exchange(c, pc.localDescription.sdp);
  if (c.ended) return link;
  c.id = answer.call_id || "";
  await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  return link;
}

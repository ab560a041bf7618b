// The browser half of the call: a page script (no build step) for a page with
//   <button id="start-call">Start call</button>
//   <button id="hang-up" disabled>Hang up</button>
//   <audio id="remote-audio" autoplay></audio>
//   <script src="call.js"></script>
//
// GET /session is your server's half: it sends
//   POST BASE_URL + '/realtime/client_secrets'
// with your API key (Authorization: Bearer $OPENAI_API_KEY: it never reaches the page) and
// the JSON body below, the one the other tabs send, and returns the answer's JSON, whose `value`
// (or `client_secret.value`) is an ephemeral key. The key carries the session: the page sets
// nothing of it.
//   {
//     "session": {
//       "type": "realtime",
//       "model": "gpt-realtime-2.1",
//       "instructions": "Answer questions about our product. Search the docs before answering.",
//       "tools": [
//         {
//           "type": "function",
//           "name": "lookup_order",
//           "description": "Find an order by its number.",
//           "parameters": {
//             "type": "object",
//             "properties": {
//               "order_number": {
//                 "type": "string"
//               }
//             },
//             "required": [
//               "order_number"
//             ]
//           }
//         },
//         {
//           "type": "mcp",
//           "server_label": "docs",
//           "server_url": "https://mcp.example.com/sse",
//           "allowed_tools": [
//             "search"
//           ],
//           "require_approval": "never"
//         }
//       ],
//       "tool_choice": "auto"
//     }
//   }
const BASE_URL = 'https://api.openai.com/v1';

let peer = null;
let microphone = null;

async function startCall() {
  const minted = await fetch('/session');
  if (!minted.ok) throw new Error(`/session: ${minted.status} ${await minted.text()}`);
  const secret = await minted.json();
  const key = secret.value ?? secret.client_secret?.value;

  const pc = new RTCPeerConnection();
  peer = pc;
  pc.ontrack = (event) => {
    document.getElementById('remote-audio').srcObject = event.streams[0];
  };
  const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  microphone = mic;
  for (const track of mic.getTracks()) pc.addTrack(track, mic);

  // Server events arrive here, one JSON object a message (session.created first).
  const events = pc.createDataChannel('oai-events');
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    console.log(event.type, event);
  };

  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const answer = await fetch(BASE_URL + '/realtime/calls', {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/sdp' },
    body: offer.sdp,
  });
  if (!answer.ok) throw new Error(`${answer.status} ${await answer.text()}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: await answer.text() });
}

// Closing the connection ends the call (the data channel and the audio with it).
function hangUp() {
  microphone?.getTracks().forEach((track) => track.stop());
  peer?.close();
  peer = microphone = null;
  document.getElementById('start-call').disabled = false;
  document.getElementById('hang-up').disabled = true;
}

document.getElementById('start-call').addEventListener('click', async () => {
  document.getElementById('start-call').disabled = true;
  document.getElementById('hang-up').disabled = false;
  try {
    await startCall();
  } catch (error) {
    console.error(error);
    hangUp();
  }
});
document.getElementById('hang-up').addEventListener('click', hangUp);
window.addEventListener('pagehide', hangUp);

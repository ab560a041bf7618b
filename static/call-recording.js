// A call's two recordings for its bundle (imported by static/call.js): what was sent (the
// stream the transport sends: the microphone, or a file) and the model's audio as received
// (over WebRTC the remote track, over WebSocket the response.output_audio.delta payloads), each
// PCM16 24 kHz mono, capped at CAP_MINUTES, and written as WAV. The streams go through the
// "pcm-capture" worklet (static/call-worklet.js) in one AudioContext at 24 kHz.
// ES module: no inline script, no eval.
export const RATE = 24000;
export const CAP_MINUTES = 30;
const CAP = CAP_MINUTES * 60 * RATE; // samples per side
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1; // WAV is little-endian

// One side's audio: push(Int16Array) until the cap, then ``onCapped()`` once; wav() gives it.
export function Side(onCapped) {
  const pieces = [];
  let samples = 0;
  let capped = false;
  return {
    push: function (pcm) {
      if (capped) return;
      if (pcm.length >= CAP - samples) {
        pcm = pcm.subarray(0, CAP - samples);
        capped = true;
        if (onCapped) onCapped();
      }
      pieces.push(pcm);
      samples += pcm.length;
    },
    samples: function () { return samples; },
    capped: function () { return capped; },
    wav: function () { return wav(pieces, samples); },
  };
}

// A WAV file (PCM16 mono at RATE) of ``pieces`` (Int16Arrays holding ``samples`` in all).
export function wav(pieces, samples) {
  const out = new Uint8Array(44 + samples * 2);
  const view = new DataView(out.buffer);
  const text = function (at, word) { for (let i = 0; i < 4; i++) out[at + i] = word.charCodeAt(i); };
  text(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true); // the format chunk's size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, RATE, true);
  view.setUint32(28, RATE * 2, true); // bytes a second
  view.setUint16(32, 2, true); // bytes a frame
  view.setUint16(34, 16, true); // bits a sample
  text(36, "data");
  view.setUint32(40, samples * 2, true);
  const data = new Int16Array(out.buffer, 44, samples); // the page's own byte order
  let at = 0;
  pieces.forEach(function (pcm) { data.set(pcm, at); at += pcm.length; });
  if (!LITTLE) for (let i = 0; i < samples; i++) view.setInt16(44 + 2 * i, data[i], true);
  return out;
}

// PCM16 samples of a base64 payload (an odd last byte is dropped).
function samplesOf(base64) {
  const raw = atob(base64);
  const pcm = new Int16Array(raw.length >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = raw.charCodeAt(2 * i) | (raw.charCodeAt(2 * i + 1) << 8);
  return pcm;
}

// Both sides of a call. Made in the Start call click (the AudioContext may start then);
// ``onCapped(side)`` is told once a side reached the cap ("input" or "output").
export function Recorder(onCapped) {
  const input = Side(function () { onCapped("input"); });
  const output = Side(function () { onCapped("output"); });
  let context = null;
  let ready = null; // the capture worklet loaded; a rejection made only when there is none
  try {
    context = new AudioContext({ sampleRate: RATE });
    ready = context.audioWorklet.addModule(new URL("./call-worklet.js", import.meta.url));
  } catch (e) { /* no recording: the bundle's WAVs stay empty */ }
  if (!ready) ready = Promise.reject(new Error("no Web Audio"));
  ready.catch(function () { /* said by the empty recording */ });
  let stopped = false;
  function tap(side, stream) {
    ready.then(function () {
      if (stopped) return;
      const capture = new AudioWorkletNode(context, "pcm-capture");
      capture.port.onmessage = function (event) { if (!stopped) side.push(new Int16Array(event.data)); };
      context.createMediaStreamSource(stream).connect(capture);
      if (context.state === "suspended") context.resume().catch(function () { /* no gesture */ });
    }, function () { /* no worklet: nothing recorded */ });
  }
  return {
    input: input,
    output: output,
    mic: function (stream) { tap(input, stream); },
    remote: function (stream) { tap(output, stream); },
    // A response.output_audio.delta's payload (the WebSocket transport's audio).
    delta: function (base64) { if (!stopped) { try { output.push(samplesOf(base64)); } catch (e) { /* not base64 */ } } },
    stop: function () {
      stopped = true;
      if (context) context.close().catch(function () { /* closed already */ });
    },
  };
}

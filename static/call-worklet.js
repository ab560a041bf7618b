// The WebSocket call's audio worklets (static/call-socket.js adds this module to its
// AudioContext): "pcm-capture" turns the microphone into PCM16 24 kHz mono pieces of about
// 100 ms, posted to the page; "pcm-player" plays the PCM16 24 kHz pieces the page posts, from a
// queue that "clear" empties (an interruption). Both resample linearly when the context does not
// run at 24 kHz. ES module: no inline script, no eval.
const RATE = 24000;
const PIECE = RATE / 10; // samples of 24 kHz audio in a piece: 100 ms

class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / RATE; // input samples per output sample
    this.at = 0; // where the next output sample falls in the input seen so far
    this.seen = 0;
    this.last = 0;
    this.piece = new Int16Array(PIECE);
    this.filled = 0;
  }
  process(inputs) {
    const channels = inputs[0];
    if (!channels || !channels.length) return true;
    const input = channels[0]; // mono: the first channel
    const end = this.seen + input.length; // input samples seen, this block's included
    const sample = (g) => (g < this.seen ? this.last : input[g - this.seen]);
    while (this.at <= end - 1) {
      const first = Math.floor(this.at);
      const a = sample(first);
      const b = first + 1 <= end - 1 ? sample(first + 1) : a;
      const value = Math.max(-1, Math.min(1, a + (b - a) * (this.at - first)));
      this.piece[this.filled++] = value < 0 ? value * 0x8000 : value * 0x7fff;
      this.at += this.step;
      if (this.filled === PIECE) {
        this.port.postMessage(this.piece.buffer, [this.piece.buffer]);
        this.piece = new Int16Array(PIECE);
        this.filled = 0;
      }
    }
    this.seen = end;
    this.last = input[input.length - 1];
    return true;
  }
}

class PcmPlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = []; // Float32Array pieces at 24 kHz
    this.offset = 0; // read position in queue[0], in 24 kHz samples (fractional)
    this.step = RATE / sampleRate;
    this.port.onmessage = (event) => {
      if (event.data === "clear") {
        const left = this.queue.reduce((sum, piece) => sum + piece.length, 0) - this.offset;
        this.port.postMessage({ cleared: Math.max(0, Math.round(left)) }); // samples not played
        this.queue = [];
        this.offset = 0;
        return;
      }
      const pcm = new Int16Array(event.data);
      const piece = new Float32Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) piece[i] = pcm[i] / 0x8000;
      this.queue.push(piece);
    };
  }
  process(inputs, outputs) {
    const out = outputs[0][0];
    for (let i = 0; i < out.length; i++) {
      while (this.queue.length && this.offset >= this.queue[0].length) {
        this.offset -= this.queue[0].length;
        this.queue.shift();
      }
      out[i] = this.queue.length ? this.queue[0][Math.floor(this.offset)] : 0;
      if (this.queue.length) this.offset += this.step;
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    return true;
  }
}

registerProcessor("pcm-capture", PcmCapture);
registerProcessor("pcm-player", PcmPlayer);

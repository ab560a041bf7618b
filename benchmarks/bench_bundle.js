// The page's side of benchmarks/bench_bundle.py (evaluated by Playwright, not served): makes up
// a call of ``minutes`` with the page's own modules and gives
// {events, size, json: [ms...], copy: [ms...], build: [ms...], read: [ms...]} over ``runs``.
async ([minutes, runs]) => {
  const loader = document.querySelector('script[type=module][src*="/call-loader.js"]').src;
  const load = (name) => import(new URL(name, loader).href);
  const [{ Inspector }, Rec, { Timeline }, Bundle, Zip] = await Promise.all(
    ['call-inspector.js', 'call-recording.js', 'call-timeline.js', 'call-bundle.js', 'call-zip.js'].map(load));
  const root = document.createElement('div');
  const inspector = Inspector(root, (t) => t);
  let clock = 0;
  const timeline = Timeline(document.createElement('div'), () => clock);
  const events = [];
  const end = minutes * 60000;
  const delta = btoa(String.fromCharCode(...new Uint8Array(4800))); // 100 ms of 24 kHz audio
  function hear(direction, event) {
    events.push(event);
    inspector.add(direction, event);
    if (direction === 'server') timeline.event(event);
  }
  hear('server', { type: 'session.created', session: { model: 'gpt-realtime', instructions: 'Answer briefly.' } });
  for (let t = 0; t < end; t += 100) {
    clock = t;
    timeline.mic((t % 500) < 100 ? 0.8 : 0.02);
    const n = Math.floor(t / 10000), at = t % 10000, rid = 'resp_' + n, item = 'item_' + n;
    if (at === 1000) hear('server', { type: 'input_audio_buffer.speech_started', audio_start_ms: t - 300, item_id: item });
    if (at === 3000) {
      hear('server', { type: 'input_audio_buffer.speech_stopped', audio_end_ms: t, item_id: item });
      hear('server', { type: 'input_audio_buffer.committed', item_id: item });
      hear('server', { type: 'response.created', response: { id: rid, status: 'in_progress' } });
    }
    if (at > 3000 && at <= 8000) {
      hear('server', { type: 'response.output_audio.delta', response_id: rid, item_id: 'out_' + n, delta: delta });
      hear('server', { type: 'response.output_audio_transcript.delta', response_id: rid, item_id: 'out_' + n, delta: 'word ' });
    }
    if (at === 8000) {
      hear('server', { type: 'response.done', response: { id: rid, status: 'completed', usage: {
        total_tokens: 300, input_tokens: 120, output_tokens: 180,
        input_token_details: { text_tokens: 20, audio_tokens: 100, cached_tokens: 0 },
        output_token_details: { text_tokens: 30, audio_tokens: 150 } } } });
    }
  }
  timeline.stop();
  const sides = [Rec.Side(), Rec.Side()];
  const piece = 2400;
  for (let s = 0; s < (end / 1000) * Rec.RATE; s += piece) {
    sides.forEach((side, k) => {
      const pcm = new Int16Array(piece);
      for (let i = 0; i < piece; i++) pcm[i] = Math.round(8000 * Math.sin((s + i) * (k + 1) * 0.05));
      side.push(pcm);
    });
  }
  const c = { inspector, timeline, recorder: { input: sides[0], output: sides[1] }, transport: 'websocket',
    startedAt: new Date().toISOString(), started: {}, asked: {}, server: { model: 'gpt-realtime' } };
  const timed = { json: [], copy: [], build: [], read: [] };
  let size = 0;
  let bytes = null;
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    const text = JSON.stringify(events);
    timed.json.push(performance.now() - t0);
    t0 = performance.now();
    const copies = sides.map((side) => side.wav().slice());
    timed.copy.push(performance.now() - t0);
    t0 = performance.now();
    const blob = Bundle.build(c, (t) => t);
    timed.build.push(performance.now() - t0);
    size = blob.size;
    bytes = new Uint8Array(await blob.arrayBuffer());
    t0 = performance.now();
    const files = await Zip.unzip(bytes);
    timed.read.push(performance.now() - t0);
    if (files.size !== 5 || !text.length || !copies.length) throw new Error('the bundle is not whole');
  }
  return Object.assign({ events: events.length, size: size }, timed);
}

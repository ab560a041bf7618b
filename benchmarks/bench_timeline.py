"""The call timeline's drawing cost over a long call (one section of the table).

In headless Chromium, static/call-timeline.js is fed a 10-minute call made up in the page on a
fake clock: the microphone's level every 16 ms, and every 10 s a turn (speech_started and
speech_stopped, response.created, transcript and audio deltas, output_audio_buffer.started and
stopped, response.done). An update is 100 ms of call time: its events, a redraw (``flush``) and a
forced layout, timed ten at a time (the page's clock is coarse). The baseline is the same update
in the call's first 30 seconds, in the same page, against the last 30 seconds:
the ratio says whether an update costs more as the call grows (it should not).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from benchmarks.bench_call import _served

Row = tuple[str, str, str, str]
#: In the page: give [first-10-s update ms..., last-10-s update ms..., total ms, marks drawn].
_DRAW = """async (minutes) => {
  const loader = document.querySelector('script[type=module][src*="/call-loader.js"]').src;
  const { Timeline } = await import(new URL('call-timeline.js', loader).href);
  const live = document.createElement('div');
  document.body.append(live);
  let clock = 0;
  const timeline = Timeline(live, () => clock);
  const turn = 10000, step = 100, end = minutes * 60000, window = 30000, batch = 10;
  const early = [], late = [];
  let batchStart = 0;
  const started = performance.now();
  timeline.event({ type: 'session.created' });
  for (let t = 0; t < end; t += step) {
    if ((t / step) % batch === 0) batchStart = performance.now();
    for (let f = t; f < t + step; f += 16) {
      clock = f;
      timeline.mic((f % 500) < 100 ? 0.8 : 0.02);
    }
    clock = t + step;
    const n = Math.floor(t / turn), at = t % turn, rid = 'resp_' + n, item = 'item_' + n;
    const events = [];
    const vad = 'input_audio_buffer.speech_';
    if (at === 1000) events.push({ type: vad + 'started', audio_start_ms: t - 300, item_id: item });
    if (at === 3000) events.push({ type: vad + 'stopped', audio_end_ms: t, item_id: item });
    if (at === 3100) events.push({ type: 'response.created', response: { id: rid } });
    if (at === 3400) events.push({ type: 'output_audio_buffer.started', response_id: rid });
    if (at >= 3400 && at < 8000) {
      const type = 'response.output_audio_transcript.delta';
      events.push({ type: type, response_id: rid, delta: 'word ' });
    }
    if (at === 8000) {
      events.push({ type: 'response.done', response: { id: rid, status: 'completed' } });
      events.push({ type: 'output_audio_buffer.stopped', response_id: rid });
    }
    events.forEach((e) => timeline.event(e));
    timeline.flush();
    void timeline.root.getBoundingClientRect().width; // the layout the redraw asks for
    if ((t / step) % batch === batch - 1) {
      // Timed by the batch: the page's clock is coarse (0.1 ms) next to one update.
      const took = (performance.now() - batchStart) / batch;
      if (t < window) early.push(took);
      else if (t >= end - window) late.push(took);
    }
  }
  const total = performance.now() - started;
  timeline.stop();
  return [early, late, total, timeline.root.querySelectorAll('rect').length];
}"""


def _draw(pw: Any, origin: str, minutes: float) -> list[Any]:
    """Give what :data:`_DRAW` measures, in headless Chromium launched from ``pw``."""
    return list(in_page(pw, origin, _DRAW, minutes))


def in_page(pw: Any, origin: str, script: str, arg: Any) -> Any:
    """Give what ``script`` (a function of ``arg``) gives in the GA page served at ``origin``,
    in headless Chromium launched from ``pw``."""
    chromium = Path("/usr/bin/chromium")
    browser = pw.chromium.launch(
        executable_path=str(chromium) if chromium.exists() else None,
        args=["--no-sandbox", "--disable-gpu"],
    )
    try:
        page = browser.new_page(base_url=origin)
        page.goto("/?op=client-secrets")
        return page.evaluate(script, arg)
    finally:
        browser.close()


def timeline_rows(minutes: float = 10.0, driver: Any = None) -> list[Row]:
    """Give the median time of a timeline update late in a ``minutes`` call against one in its
    first 30 s (the baseline). ``driver``: a running Playwright, else one is started."""
    with _served() as (origin, _):
        if driver is not None:
            early, late, total, marks = _draw(driver, origin, minutes)
        else:
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                return [("timeline update", "skipped", "playwright not installed", "")]
            with sync_playwright() as pw:
                early, late, total, marks = _draw(pw, origin, minutes)
    first, last = statistics.median(early), statistics.median(late)
    return [
        ("update in the call's first 30 s (baseline), median ms", f"{first:.3f}", "1.0x", ""),
        (
            f"update in its last 30 s ({minutes:g} min, {marks} marks), median ms",
            f"{last:.3f}",
            f"{last / first:.1f}x" if first else "n/a",
            "under 2x, under 4 ms",
        ),
        (f"the whole {minutes:g} min drawn (one update per 100 ms)", f"{total:.0f}", "ms", ""),
    ]

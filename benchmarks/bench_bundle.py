"""A call bundle's size and the time to build it (one section of the table).

In headless Chromium, the page's own modules make up a 5-minute call: its events in a real
Inspector (static/call-inspector.js; a turn every 10 s: speech, a response with transcript and
audio deltas, usage), 5 minutes of audio per side in static/call-recording.js, and a timeline
(static/call-timeline.js) fed the same events and a level every 100 ms. Timed, interleaved in
the same page: ``build`` (static/call-bundle.js: events.jsonl, two WAVs, session.json,
timeline.json, CRC-32, the zip) against two baselines, ``JSON.stringify`` of the same events
and one copy of both sides' audio; and reading the bundle back (static/call-zip.js ``unzip``,
every CRC checked) against the same copy.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from benchmarks.bench_call import _served
from benchmarks.bench_timeline import in_page

Row = tuple[str, str, str, str]
#: In the page: the script that makes up a call and times its bundle.
_BUILD = (Path(__file__).resolve().parent / "bench_bundle.js").read_text(encoding="utf-8")


def _build(pw: Any, origin: str, minutes: float, runs: int) -> dict[str, Any]:
    """Give what :data:`_BUILD` measures, in headless Chromium launched from ``pw``."""
    return dict(in_page(pw, origin, _BUILD, [minutes, runs]))


def bundle_rows(minutes: float = 5.0, runs: int = 5, driver: Any = None) -> list[Row]:
    """Give the size of a ``minutes`` call's bundle and the median time to build and read it,
    against JSON.stringify of its events and one copy of its audio (the baselines).
    ``driver``: a running Playwright, else one is started."""
    with _served() as (origin, _):
        if driver is not None:
            got = _build(driver, origin, minutes, runs)
        else:
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                return [("call bundle", "skipped", "playwright not installed", "")]
            with sync_playwright() as pw:
                got = _build(pw, origin, minutes, runs)
    json_ms, copy_ms = statistics.median(got["json"]), statistics.median(got["copy"])
    build, read = statistics.median(got["build"]), statistics.median(got["read"])

    def ratio(ms: float, base: float, name: str) -> str:
        return f"{ms / base:.1f}x {name}" if base else "n/a"

    return [
        (f"JSON.stringify of its {got['events']} events (baseline)", f"{json_ms:.1f}", "1.0x", ""),
        ("one copy of both sides' audio as WAV (baseline)", f"{copy_ms:.1f}", "1.0x", ""),
        (
            f"bundle of a {minutes:g} min call built, median ms",
            f"{build:.1f}",
            f"{ratio(build, json_ms, 'JSON')}, {ratio(build, copy_ms, 'copy')}",
            "",
        ),
        (
            "  read back (unzip, every CRC-32 checked)",
            f"{read:.1f}",
            ratio(read, copy_ms, "copy"),
            "",
        ),
        (
            f"  its size ({minutes:g} min of audio per side)",
            f"{got['size'] / 1048576:.1f}",
            "MB",
            "",
        ),
    ]

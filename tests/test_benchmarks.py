"""The benchmark command keeps working (no timings asserted here), and the page keeps its weight
budget: bytes are deterministic, so the 41 KB first load is checked on every run."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import load_script

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """Give ``benchmarks/run.py``."""
    return load_script("benchmarks/run.py")


def _kb(text: str) -> float:
    return float(re.match(r"([\d.]+) KB", text).group(1))  # type: ignore[union-attr]


def test_first_load_weighs_every_asset_and_stays_under_41_kb_sent(bench, client) -> None:
    rows = bench.weight_rows()
    html = client.get("/").get_data(as_text=True)
    linked = re.findall(r'(?:src|href)="(/static/[^"?]+)', html)
    names = [what.strip() for what, *_ in rows[:-1]]
    assert names == ["HTML /", *linked]
    total = rows[-1]
    raw, sent = _kb(total[1]), _kb(total[2])
    assert sent < raw / 2  # everything is sent compressed
    # 41 KB, not the beta page's 40: / is the GA form (issue 21), whose union panes draw about
    # 1.7 times the beta form's HTML. Under 40 would take the help texts or the unpicked union
    # branches out of the first HTML, which the page without JavaScript still needs. Counted in
    # bytes: a total rounded to 41.0 KB may be over it (each page's CSRF token packs a byte or
    # two differently, so the row and this count need not agree to the byte).
    sent_bytes = bench.first_load_sent()
    assert abs(int(re.sub(r"\D", "", total[2].split("(")[1])) - sent_bytes) < 64
    assert sent_bytes <= bench.FIRST_LOAD_BUDGET == 41 * 1024, f"first load is {sent_bytes} bytes"


def test_proxy_rows_time_real_sends(bench) -> None:
    rows = bench.proxy_rows(runs=4)  # exits if /send did not reach the upstream
    assert [what for what, *_ in rows][0].startswith("direct requests call")
    assert all(float(value) > 0 for _, value, *_ in rows[:2])


def test_paste_rows_time_every_adversarial_paste_against_plain_ones(bench) -> None:
    rows = bench.paste_rows(runs=1)
    names = [what.strip() for what, *_ in rows]
    assert names[2:-1] == list(bench.ADVERSARIAL_PASTES)
    assert "baseline" in names[0] and "baseline" in names[1]
    assert names[-1].removeprefix("worst: ") in bench.ADVERSARIAL_PASTES
    assert all(float(ms) > 0 and "x JSON" in ratio for _, ms, ratio, _ in rows)


def test_in_flight_rows_time_every_store(redis_url) -> None:
    rows = load_script("benchmarks/bench_in_flight.py").in_flight_rows(runs=20)
    names = [what for what, *_ in rows]
    assert names[0].startswith("this process") and names[1].startswith("instance file")
    assert names[2].startswith("Redis on loopback (every instance)")  # redis-server is installed
    assert all(float(cost) > 0 for _, cost, *_ in rows)


@pytest.fixture(scope="module")
def bench_call() -> Any:
    """Give ``benchmarks/bench_call.py`` loaded alone, as ``python -m benchmarks`` runs it."""
    return load_script("benchmarks/bench_call.py")


def test_call_rows_time_a_real_call(bench_call) -> None:
    rows = bench_call.call_rows(runs=1, seconds=1.0)  # exits if the call carried no audio
    assert [what for what, *_ in rows][1].startswith("offer POST to session.created")
    assert float(rows[1][1]) > 0 and float(rows[2][1].split()[0]) > 0


@pytest.mark.browser
def test_click_rows_time_a_call_started_in_the_page(bench_call, playwright_driver) -> None:
    """The page's Start call reaches session.created in the event list over either transport
    (it exits otherwise)."""
    rows = bench_call.click_rows(runs=1, driver=playwright_driver)
    assert rows[1][0].startswith("page over webrtc: click to session.created")
    assert rows[2][0].startswith("page over websocket: click to session.created")
    assert all(float(value) > 0 for _, value, *_ in rows)


def test_offer_rows_answer_a_flooded_offer(bench_call) -> None:
    rows = bench_call.offer_rows(runs=1)
    statuses = [what.rsplit(": ", 1)[1] for what, *_ in rows]
    assert statuses == ["201", "201", "400", "201"]  # 8,000 candidates: over 64 KB, refused
    assert all(float(ms) > 0 and ratio.endswith("x") for _, ms, ratio, _ in rows)


def test_socket_rows_time_the_bridge_against_a_direct_client() -> None:
    from benchmarks.bench_socket import socket_rows

    rows = socket_rows(events=5, seconds=1.0)
    assert [what for what, *_ in rows][0].startswith("direct client")
    assert all(float(value.split()[0]) >= 0 for _, value, *_ in rows)


@pytest.mark.browser
def test_timeline_rows_draw_a_call_late_against_early(playwright_driver) -> None:
    """The timeline is drawn for a made-up call in the page (it fails otherwise)."""
    from benchmarks.bench_timeline import timeline_rows

    rows = timeline_rows(minutes=1.0, driver=playwright_driver)
    assert "baseline" in rows[0][0] and rows[1][0].startswith("update in its last 30 s")
    assert "24 marks" in rows[1][0]  # 6 turns: a speech, response, audio, latency each
    assert all(float(value) > 0 for _, value, *_ in rows)


@pytest.mark.browser
def test_bundle_rows_build_and_read_a_calls_bundle(playwright_driver) -> None:
    """A made-up call's bundle is built and read back whole in the page (it fails otherwise)."""
    from benchmarks.bench_bundle import bundle_rows

    rows = bundle_rows(minutes=0.5, runs=1, driver=playwright_driver)
    names = [what for what, *_ in rows]
    assert "baseline" in names[0] and "baseline" in names[1]
    assert names[2].startswith("bundle of a 0.5 min call built")
    assert all(float(value) > 0 for _, value, *_ in rows)
    # 30 s of PCM16 24 kHz per side, with headers and the events: a little over 2.7 MB.
    assert 2.7 < float(rows[-1][1]) < 3.5

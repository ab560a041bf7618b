"""The call mock's cost: call set-up time and server CPU per call-minute (one section of the table).

The playground runs in a child process (werkzeug, threaded, 127.0.0.1), so its CPU time is read
from ``/proc`` apart from the Python caller's (:class:`playground.mock.webrtc_client.CallClient`).
Set-up is timed from the offer's POST to ``session.created`` on the data channel, as a ratio to
a POST to the mock's client-secrets route on the same server. CPU is measured over a call with
mic audio flowing (a tone, so turn detection runs) and one reply spoken, scaled to a minute.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from playground.mock.webrtc_client import CallClient

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, str, str, str]
_SERVE = """
import json, logging, sys
from werkzeug.serving import make_server
from playground import create_app
logging.getLogger("werkzeug").setLevel(logging.ERROR)
app = create_app(json.loads(sys.argv[1]))
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.socket.getsockname()[1], flush=True)
server.serve_forever()
"""
AUTH = {"Authorization": "Bearer sk-bench"}
#: One caller places every call: its share of calls a minute is lifted (not what is measured).
CONFIG = {
    "SECRET_KEY": "bench-" * 8,
    "SSRF_GUARD": False,
    "CALL_MOCK_MAX_CALLS": 2,
    "CALL_MOCK_STARTS_PER_MINUTE": 10_000,
}


@contextmanager
def _served(**config: Any) -> Iterator[tuple[str, int]]:
    """Give the origin and process id of a playground served in a child process (``config``
    over :data:`CONFIG`); stop it after."""
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE, json.dumps({**CONFIG, **config})],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield f"http://127.0.0.1:{server.stdout.readline().strip()}", server.pid
    finally:
        server.terminate()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def _cpu_seconds(pid: int) -> float:
    """Give a process's CPU time so far (user + system, every thread), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _call(base: str, client: CallClient) -> float:
    """Place a call; give the seconds from the offer's POST to ``session.created``."""
    parts = {"sdp": (None, client.offer()), "session": (None, json.dumps({"type": "realtime"}))}
    started = time.perf_counter()
    answer = requests.post(base + "/realtime/calls", files=parts, headers=AUTH, timeout=30)
    if answer.status_code != 201:
        raise SystemExit(f"the mock refused the call: {answer.status_code} {answer.text}")
    client.answer(answer.text)
    client.wait_for("session.created", timeout=30)
    return time.perf_counter() - started


#: A call-capable headless Chromium: a fake microphone, allowed without asking, and loopback
#: candidates (the mock's peer answers on 127.0.0.1).
CALL_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
]
_CREATED = """() => document.querySelector(
  '[data-testid=call-events] [data-event-type="session.created"]') !== null"""
_ENDED = """() => (document.querySelector('[data-testid=call-status]') || {}).textContent || ''"""


def _poll(page: Any, script: str, until: Any, timeout: float = 30.0) -> None:
    """Evaluate ``script`` until ``until(value)`` holds (wait_for_function fails under the
    page's CSP, which forbids eval)."""
    deadline = time.monotonic() + timeout
    while not until(page.evaluate(script)):
        if time.monotonic() > deadline:
            raise SystemExit(f"the page did not get there in {timeout:g} s: {script}")
        time.sleep(0.005)


def _clicks(pw: Any, origin: str, runs: int, transport: str = "webrtc") -> list[float]:
    """Give the ms from each click on Start call to ``session.created`` shown (after two warm
    calls that load call.js and the peer), in headless Chromium launched from ``pw``, over
    ``transport`` (the panel's choice; a WebSocket call names its model)."""
    chromium = Path("/usr/bin/chromium")
    browser = pw.chromium.launch(
        executable_path=str(chromium) if chromium.exists() else None, args=CALL_ARGS
    )
    try:
        context = browser.new_context(base_url=origin)
        context.grant_permissions(["microphone"], origin=origin)
        page = context.new_page()
        page.goto("/?op=client-secrets")
        page.get_by_role("button", name="Built-in mock (offline)").click()
        page.get_by_label("API key").fill("sk-bench")
        page.get_by_test_id("call-transport").select_option(transport)
        page.locator('input[name="session@mode"][value="realtime"]').check()
        page.locator("#f-session-realtime-model").select_option("gpt-realtime")
        _poll(
            page,
            "() => document.getElementById('request-body').textContent",
            lambda t: "gpt-realtime" in t,
        )
        clicks = []
        for i in range(runs + 2):
            started = time.perf_counter()
            page.get_by_test_id("call-start").click()
            _poll(page, _CREATED, bool)
            if i >= 2:
                clicks.append((time.perf_counter() - started) * 1000)
            page.get_by_test_id("call-hangup").click()
            _poll(page, _ENDED, lambda text: "ended" in text)
        return clicks
    finally:
        browser.close()


def click_rows(runs: int = 10, driver: Any = None) -> list[Row]:
    """Give the time from a click on Start call to ``session.created`` in the page's event list
    (headless Chromium against the mock, median of ``runs``), against the Python caller's set-up
    on the same server as the baseline. ``driver``: a running Playwright (one sync driver a
    process can hold), else one is started."""
    setups = []
    with _served() as (origin, _):
        for _ in range(3):
            client = CallClient()
            try:
                setups.append(_call(origin + "/mock/v1", client) * 1000)
            finally:
                client.close()
        if driver is not None:
            clicks = {t: _clicks(driver, origin, runs, t) for t in ("webrtc", "websocket")}
        else:
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                return [("click to session.created", "skipped", "playwright not installed", "")]
            with sync_playwright() as pw:
                clicks = {t: _clicks(pw, origin, runs, t) for t in ("webrtc", "websocket")}
    setup = statistics.median(setups)
    rows = [
        (
            "Python caller: offer POST to session.created (baseline), median",
            f"{setup:.1f}",
            "1.0x",
            "",
        )
    ]
    for transport, times in clicks.items():
        click = statistics.median(times)
        rows.append(
            (
                f"page over {transport}: click to session.created, median of {runs}",
                f"{click:.1f}",
                f"{click / setup:.1f}x",
                "under 500 ms",
            )
        )
    return rows


def call_rows(runs: int = 10, seconds: float = 10.0) -> list[Row]:
    """Give call set-up (median of ``runs``) and server CPU per call-minute."""
    with _served() as (origin, pid):
        base = origin + "/mock/v1"
        secrets_ms = []
        for i in range(runs + 5):
            started = time.perf_counter()
            requests.post(base + "/realtime/client_secrets", json={}, headers=AUTH, timeout=10)
            if i >= 5:
                secrets_ms.append((time.perf_counter() - started) * 1000)
        setup_ms = []
        for _ in range(runs):
            client = CallClient()
            try:
                setup_ms.append(_call(base, client) * 1000)
            finally:
                client.close()
        client = CallClient(amplitude=0.3)
        try:
            _call(base, client)
            before = _cpu_seconds(pid)
            client.say("how much does a call cost")
            time.sleep(seconds)
            used = _cpu_seconds(pid) - before
            if client.remote_frames < 25 * seconds:  # the media path must have run all along
                raise SystemExit(f"the call carried too little audio: {client.remote_frames}")
        finally:
            client.close()
    setup, baseline = statistics.median(setup_ms), statistics.median(secrets_ms)
    per_minute = used * 60 / seconds
    return [
        ("POST /mock/v1/realtime/client_secrets (baseline), median", f"{baseline:.1f}", "1.0x", ""),
        (
            f"offer POST to session.created, median of {runs}",
            f"{setup:.1f}",
            f"{setup / baseline:.1f}x",
            "",
        ),
        (
            f"server CPU per call-minute ({seconds:g} s call, mic flowing)",
            f"{per_minute:.2f} s",
            f"{100 * used / seconds:.1f}% of a core",
            "",
        ),
    ]


def _flooded(offer: str, count: int) -> str:
    """Give ``offer`` with ``count`` more loopback host candidates after its first one."""
    extra = "".join(
        f"a=candidate:f{n} 1 udp {n + 1} 127.0.0.1 {10000 + n} typ host\r\n" for n in range(count)
    )
    at = offer.index("a=candidate:")
    at = offer.index("\r\n", at) + 2
    return offer[:at] + extra + offer[at:]


def _answer_ms(base: str, key: str, count: int) -> tuple[float, int]:
    """Give the ms from a raw offer's POST (with ``count`` extra candidates) to its answer, and
    the status; the call is hung up at once."""
    client = CallClient()
    try:
        offer = _flooded(client.offer(), count)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/sdp"}
        started = time.perf_counter()
        answer = requests.post(base + "/realtime/calls", data=offer, headers=headers, timeout=60)
        took = (time.perf_counter() - started) * 1000
        if answer.status_code == 201:
            hangup = base.rsplit("/mock/v1", 1)[0] + answer.headers["Location"] + "/hangup"
            requests.post(hangup, headers=AUTH, timeout=10)
        return took, answer.status_code
    finally:
        client.close()


def offer_rows(runs: int = 5) -> list[Row]:
    """Give the time to answer offers flooded with candidates (8,000: about 450 KB, sent raw with
    an ephemeral key; and as many as fit the 64 KB cap), as ratios to a browser-sized offer."""
    rows: list[Row] = []
    baseline = 0.0
    for label, cap in (("default 64 KB cap", None), ("cap raised to 512 KB", 512 * 1024)):
        with _served(**({} if cap is None else {"CALL_MAX_OFFER_BYTES": cap})) as (origin, _):
            base = origin + "/mock/v1"
            minted = requests.post(
                base + "/realtime/client_secrets", json={}, headers=AUTH, timeout=10
            )
            key = minted.json()["value"]
            _answer_ms(base, key, 0)  # warm: aiortc loads on the first call
            cases = [(0, "browser-sized offer (baseline)"), (8000, "8,000 candidates")]
            if cap is None:
                cases.insert(1, (1150, "1,150 candidates (just under 64 KB)"))
            for count, what in cases:
                timed = [_answer_ms(base, key, count) for _ in range(runs)]
                ms = statistics.median(took for took, _ in timed)
                if count == 0:
                    baseline = ms
                    if cap is not None:
                        continue
                status = timed[0][1]
                rows.append(
                    (f"{what}, {label}: {status}", f"{ms:.1f}", f"{ms / baseline:.1f}x", "")
                )
    return rows

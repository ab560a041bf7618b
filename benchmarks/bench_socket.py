"""The call bridge's cost: latency it adds per event, and server CPU per call-minute over it.

The playground runs in a child process (:func:`benchmarks.bench_call._served`). Latency: the
round trip of ``input_audio_buffer.clear`` (answered at once by ``input_audio_buffer.cleared``)
for a ``websockets`` client straight on the mock's WebSocket door (the baseline) and through the
bridge (``/call/socket``, the mock behind it in process), interleaved. CPU: a call with
microphone audio (a tone in 100 ms appends, as the page sends it) and one reply, scaled to a
minute, over the bridge and straight on the mock's door.
"""

from __future__ import annotations

import base64
import json
import math
import re
import statistics
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import requests
from websockets.sync.client import ClientConnection, connect

from benchmarks.bench_call import _cpu_seconds, _served
from playground.web.constants import SOCKET_CSRF_PREFIX, SOCKET_PROTOCOL, SOCKET_START

Row = tuple[str, str, str, str]
KEY = "sk-bench"
FORM = {"op": "client-secrets", "session@mode": "realtime", "session:realtime.model": "m-1"}
#: 100 ms of a 300 Hz tone, PCM16 24 kHz, base64: one append as the page sends it.
_APPEND = json.dumps(
    {
        "type": "input_audio_buffer.append",
        "audio": base64.b64encode(
            b"".join(
                struct.pack("<h", int(9000 * math.sin(2 * math.pi * 300 * n / 24000)))
                for n in range(2400)
            )
        ).decode(),
    }
)


def _until(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = json.loads(ws.recv(timeout=30))
        if event.get("type") == kind:
            return event


@contextmanager
def _direct(origin: str) -> Iterator[ClientConnection]:
    """Give a socket straight on the mock's door, its session.created read."""
    url = origin.replace("http://", "ws://") + "/mock/v1/realtime?model=m-1"
    with connect(url, additional_headers={"Authorization": f"Bearer {KEY}"}, proxy=None) as ws:
        _until(ws, "session.created")
        yield ws


@contextmanager
def _bridged(origin: str) -> Iterator[ClientConnection]:
    """Give a socket through the bridge to the own mock, as the page opens it."""
    with requests.Session() as visit:
        visit.trust_env = False
        page = visit.get(origin + "/", timeout=30).text
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        cookie = "; ".join(f"{c.name}={c.value}" for c in visit.cookies)
    with connect(
        origin.replace("http://", "ws://") + "/call/socket",
        subprotocols=[SOCKET_PROTOCOL, SOCKET_CSRF_PREFIX + token],  # type: ignore[list-item]
        additional_headers={"Cookie": cookie, "Origin": origin},
        proxy=None,
    ) as ws:
        auth = {"X-Playground-Gateway": quote(origin + "/mock/v1"), "X-Playground-Key": KEY}
        form = "&".join(f"{quote(k)}={quote(v)}" for k, v in FORM.items())
        ws.send(
            json.dumps({"type": SOCKET_START, "op": "client-secrets", "form": form, "auth": auth})
        )
        _until(ws, "session.updated")
        yield ws


def _round_trip_ms(ws: ClientConnection) -> float:
    started = time.perf_counter()
    ws.send('{"type": "input_audio_buffer.clear"}')
    _until(ws, "input_audio_buffer.cleared")
    return (time.perf_counter() - started) * 1000


def _cpu_per_minute(ws: ClientConnection, pid: int, seconds: float) -> float:
    """Give the server's CPU seconds per minute of a call with audio flowing and a reply."""
    before = _cpu_seconds(pid)
    started = time.monotonic()
    item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
    ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
    ws.send('{"type": "response.create"}')
    sent = 0
    while time.monotonic() - started < seconds:
        ws.send(_APPEND)
        sent += 1
        time.sleep(max(0.0, started + sent * 0.1 - time.monotonic()))
        try:
            while ws.recv(timeout=0):
                pass
        except TimeoutError:
            pass
    return (_cpu_seconds(pid) - before) * 60 / seconds


def socket_rows(events: int = 200, seconds: float = 10.0) -> list[Row]:
    """Give the bridge's added latency per event (median of ``events`` round trips against a
    direct client on the same server) and the server's CPU per call-minute, both ways."""
    with _served(CALL_MOCK_MAX_CALLS_PER_CLIENT=4) as (origin, pid):
        with _direct(origin) as direct, _bridged(origin) as bridged:
            for _ in range(20):  # warm both paths
                _round_trip_ms(direct), _round_trip_ms(bridged)
            straight, through = [], []
            for _ in range(events):  # interleaved: the same machine load for both
                straight.append(_round_trip_ms(direct))
                through.append(_round_trip_ms(bridged))
        with _direct(origin) as direct:
            direct_cpu = _cpu_per_minute(direct, pid, seconds)
        with _bridged(origin) as bridged:
            bridged_cpu = _cpu_per_minute(bridged, pid, seconds)
    base, over = statistics.median(straight), statistics.median(through)
    return [
        (
            f"direct client on the mock's WebSocket: round trip (baseline), median of {events}",
            f"{base:.2f}",
            "1.0x",
            "",
        ),
        (
            f"through the bridge (/call/socket): round trip, median of {events}",
            f"{over:.2f}",
            f"{over / base:.1f}x",
            "",
        ),
        ("  added by the bridge per event, median", f"{over - base:.2f}", "ms", "under 5 ms"),
        (
            f"server CPU per call-minute, direct ({seconds:g} s, 100 ms appends)",
            f"{direct_cpu:.2f} s",
            f"{100 * direct_cpu / 60:.1f}% of a core",
            "",
        ),
        (
            f"server CPU per call-minute, bridged ({seconds:g} s, 100 ms appends)",
            f"{bridged_cpu:.2f} s",
            f"{100 * bridged_cpu / 60:.1f}% of a core",
            "",
        ),
    ]

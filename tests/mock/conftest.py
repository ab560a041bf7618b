"""Fixtures of the mock's tests: the app served on 127.0.0.1, and calls placed as the page does."""

from __future__ import annotations

import array
import json
import time
from typing import Any

import pytest
import requests

CALLS = "/mock/v1/realtime/calls"
LOUD = 0.3  # the caller's 300 Hz tone at about -13 dBFS RMS: speech at the default threshold


@pytest.fixture
def served(make_app: Any, serve_wsgi: Any) -> Any:
    """Give a function serving a test app with ``config`` on 127.0.0.1 (its base URL)."""

    def serve(**config: Any) -> str:
        return str(serve_wsgi(make_app(**config)).url)

    return serve


def place_call(
    base: str, client: Any, session: Any = None, key: str = "sk-test", offer: str | None = None
) -> requests.Response:
    """Place a call the way the page does (multipart for an sk- key, the offer alone for ek_);
    ``offer`` replaces the client's own (the client still applies the answer)."""
    offer = client.offer() if offer is None else offer
    headers = {"Authorization": f"Bearer {key}"}
    if key.startswith("ek_"):
        headers["Content-Type"] = "application/sdp"
        answer = requests.post(base + CALLS, data=offer, headers=headers, timeout=60)
    else:
        parts: dict[str, Any] = {"sdp": (None, offer)}
        if session is not None:
            parts["session"] = (None, session if isinstance(session, str) else json.dumps(session))
        answer = requests.post(base + CALLS, files=parts, headers=headers, timeout=60)
    if answer.status_code == 201:
        client.answer(answer.text)
    return answer


def wait_until(predicate: Any, timeout: float = 10.0) -> bool:
    """Give whether ``predicate()`` held within ``timeout`` seconds (a guard against a hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def mic_frames_pass(count: int, timeout: float = 20.0) -> None:
    """Wait until the (one) mock call has heard ``count`` more mic frames (20 ms each), however
    slow the machine: the tests' audio is timed in frames, not in wall-clock seconds."""
    from playground.mock.call_peer import peers

    call = peers.get(next(iter(peers._calls)))
    assert call is not None
    start = call.mic_frames
    assert wait_until(lambda: call.mic_frames >= start + count, timeout), call.mic_frames - start


def at_48k(recording: tuple[bytes, int]) -> bytes:
    """Give 16-bit mono PCM at 48 kHz, what a call's microphone sends (nearest sample: the
    level of each 20 ms is what turn detection reads)."""
    pcm, rate = recording
    samples = memoryview(pcm).cast("h")
    count = len(samples) * 48000 // rate
    return array.array("h", (samples[n * rate // 48000] for n in range(count))).tobytes()

"""Each client's share of the mock's calls (calls open, starts a minute: a clear 429), and a call
that never connects dropped after the connect limit."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from playground.mock.call_limits import WINDOW, CallRefused, StartWindow
from playground.mock.call_peer import peers

from .conftest import CALLS, place_call, wait_until

AUTH = {"Authorization": "Bearer sk-test"}
OTHER = "203.0.113.9"  # another client: the in-process test client sends from this address


def _from(app: Any, address: str, client: Any) -> Any:
    """Place a call on ``app`` from ``address`` (in process) and apply its answer."""
    answer = app.test_client().post(
        CALLS,
        data={"sdp": client.offer()},
        headers=AUTH,
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )
    if answer.status_code == 201:
        client.answer(answer.get_data(as_text=True))
    return answer


def test_a_client_over_its_share_of_calls_gets_a_429_and_others_still_call(
    make_app, call_client
) -> None:
    app = make_app(CALL_MOCK_MAX_CALLS_PER_CLIENT=1)
    assert _from(app, "127.0.0.1", call_client()).status_code == 201
    refused = _from(app, "127.0.0.1", call_client())
    assert refused.status_code == 429 and refused.mimetype == "application/json"
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limit_exceeded"
    assert "CALL_MOCK_MAX_CALLS_PER_CLIENT = 1" in error["message"]
    other = call_client()
    assert _from(app, OTHER, other).status_code == 201
    assert other.wait_for("session.created")["type"] == "session.created"
    assert peers.live_count() == 2


def test_a_client_over_its_starts_a_minute_gets_a_429_saying_when(make_app, call_client) -> None:
    app = make_app(CALL_MOCK_STARTS_PER_MINUTE=2, CALL_MOCK_MAX_CALLS_PER_CLIENT=5)
    for _ in range(2):
        assert _from(app, "127.0.0.1", call_client()).status_code == 201
    refused = _from(app, "127.0.0.1", call_client())
    assert refused.status_code == 429
    assert "CALL_MOCK_STARTS_PER_MINUTE = 2" in refused.get_json()["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= WINDOW
    assert _from(app, OTHER, call_client()).status_code == 201
    assert peers.live_count() == 3


def test_the_start_window_lets_a_client_start_again_after_a_minute() -> None:
    now = [1000.0]
    window = StartWindow(clock=lambda: now[0])
    window.take("a", 1)
    with pytest.raises(CallRefused) as refused:
        window.take("a", 1)
    assert (refused.value.status, refused.value.retry_after) == (429, 60)
    window.take("b", 1)  # another client's own count
    now[0] += WINDOW
    window.take("a", 1)


def test_a_call_that_never_connects_is_dropped_after_the_connect_limit(served, call_client) -> None:
    base = served(CALL_MOCK_CONNECT_SECONDS=1)
    # An offer whose answer is never applied: nobody will connect.
    answer = requests.post(
        base + CALLS, files={"sdp": (None, call_client().offer())}, headers=AUTH, timeout=60
    )
    assert answer.status_code == 201 and peers.live_count() == 1
    assert wait_until(lambda: peers.live_count() == 0, timeout=15)


def test_a_connected_call_outlives_the_connect_limit(served, call_client) -> None:
    base, client = served(CALL_MOCK_CONNECT_SECONDS=1), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    call = peers.get(next(iter(peers._calls)))
    assert call is not None and wait_until(lambda: call.mic_frames >= 100, timeout=20)  # 2 s
    assert peers.live_count() == 1

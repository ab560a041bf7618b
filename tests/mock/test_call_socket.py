"""The mock's WebSocket door (``/mock/v1/realtime``), driven by a real ``websockets`` client over
a real server on 127.0.0.1: the same engine as its WebRTC peer, events and PCM16 as messages."""

from __future__ import annotations

import base64
import json
import math
import struct
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

KEY = "sk-mock-socket-test"


def _pcm(seconds: float, amplitude: float) -> bytes:
    """Give PCM16 24 kHz of a 300 Hz tone at ``amplitude`` (0: silence)."""
    count = int(24000 * seconds)
    return b"".join(
        struct.pack("<h", int(amplitude * 32767 * math.sin(2 * math.pi * 300 * n / 24000)))
        for n in range(count)
    )


def _append(ws: ClientConnection, pcm: bytes) -> None:
    """Send ``pcm`` in 100 ms appends, as the page does."""
    for start in range(0, len(pcm), 4800):
        audio = base64.b64encode(pcm[start : start + 4800]).decode()
        ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": audio}))


def _until(ws: ClientConnection, kind: str, seen: list[dict[str, Any]] | None = None) -> Any:
    """Give the first event of type ``kind`` (what came before it goes into ``seen``)."""
    while True:
        event = json.loads(ws.recv(timeout=15))
        if seen is not None:
            seen.append(event)
        if event["type"] == kind:
            return event
        assert event["type"] != "error", event


@pytest.fixture
def socket_url(live_server: Any, mock_calls: Any) -> Iterator[str]:
    """Give the mock's WebSocket URL on the served playground (calls ended after the test)."""
    yield live_server.url.replace("http://", "ws://") + "/mock/v1/realtime"


def _open(url: str, query: str = "?model=gpt-realtime", key: str = KEY) -> ClientConnection:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return connect(url + query, additional_headers=headers, open_timeout=10)


def test_a_typed_message_is_answered_with_events_and_pcm16_audio(socket_url: str) -> None:
    """session.created names the URL's model; a message and response.create get the scripted
    answer, its voice as response.output_audio.delta PCM16 (the 440 Hz tone, not silence), all
    before output_audio.done, and none of the WebRTC-only output_audio_buffer events."""
    with _open(socket_url) as ws:
        created = _until(ws, "session.created")
        assert created["session"]["model"] == "gpt-realtime"
        item = {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": "hi"}],
        }
        ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
        ws.send(json.dumps({"type": "response.create"}))
        seen: list[dict[str, Any]] = []
        done = _until(ws, "response.done", seen)
    kinds = [e["type"] for e in seen]
    assert done["response"]["status"] == "completed"
    assert not [k for k in kinds if k.startswith("output_audio_buffer.")]
    deltas = [e for e in seen if e["type"] == "response.output_audio.delta"]
    assert deltas and kinds.index("response.output_audio.done") > kinds.index(
        "response.output_audio.delta"
    )
    pcm = b"".join(base64.b64decode(e["delta"]) for e in deltas)
    samples = memoryview(pcm).cast("h")
    assert len(samples) >= 24000 * 0.6 * 0.99 and max(samples) > 4000
    transcript = next(e for e in seen if e["type"] == "response.output_audio_transcript.done")
    assert transcript["transcript"] == "You said: hi"


def test_appended_speech_is_heard_by_server_vad(socket_url: str) -> None:
    """Loud PCM16 then silence: speech_started, speech_stopped, committed, and the reply
    about the length of the speech, as the WebRTC peer answers a microphone."""
    with _open(socket_url) as ws:
        _until(ws, "session.created")
        _append(ws, _pcm(1.0, 0.5) + _pcm(0.8, 0.0))
        started = _until(ws, "input_audio_buffer.speech_started")
        stopped = _until(ws, "input_audio_buffer.speech_stopped")
        transcript = _until(ws, "response.output_audio_transcript.done")
    assert started["audio_start_ms"] == 0
    assert 1000 <= stopped["audio_end_ms"] <= 1800
    assert transcript["transcript"].startswith("I heard you speak for 1.")


def test_with_turn_detection_off_commit_ends_the_turn(socket_url: str) -> None:
    """Turn detection off: a commit of too little audio is an error naming its length; one of
    enough becomes a user message, and response.create answers it."""
    with _open(socket_url) as ws:
        _until(ws, "session.created")
        off = {"audio": {"input": {"turn_detection": None}}}
        ws.send(json.dumps({"type": "session.update", "session": off}))
        _until(ws, "session.updated")
        _append(ws, _pcm(0.04, 0.5))
        ws.send(json.dumps({"type": "input_audio_buffer.commit", "event_id": "c1"}))
        error = json.loads(ws.recv(timeout=10))
        assert error["type"] == "error" and "only has 40ms" in error["error"]["message"]
        _append(ws, _pcm(0.5, 0.5))
        ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
        _until(ws, "input_audio_buffer.committed")
        ws.send(json.dumps({"type": "response.create"}))
        transcript = _until(ws, "response.output_audio_transcript.done")
    assert transcript["transcript"] == "I heard you speak for 0.5 s."


@pytest.mark.parametrize(
    ("query", "key", "status", "words"),
    [
        ("?model=gpt-realtime", "", 401, "API key"),
        ("", KEY, 400, "'model'"),
        ("?model=gpt-realtime", "ek_forged", 401, ""),
    ],
    ids=["no-key", "no-model", "forged-ephemeral-key"],
)
def test_the_upgrade_is_refused_as_the_api_refuses_it(
    socket_url: str, query: str, key: str, status: int, words: str
) -> None:
    """No key, no model, a forged ephemeral key: the HTTP answer to the upgrade is the
    API-style error, and no call is counted."""
    from playground.mock.call_peer import peers

    with pytest.raises(InvalidStatus) as refused:
        _open(socket_url, query, key)
    response = refused.value.response
    assert response.status_code == status
    assert words in json.loads(response.body)["error"]["message"]
    assert peers.live_count() == 0


def test_socket_calls_count_with_webrtc_calls_against_the_mock_limit(
    make_app: Any, serve_wsgi: Any, mock_calls: Any
) -> None:
    """CALL_MOCK_MAX_CALLS = 1: a second socket call is told the limit and closed (1013);
    after the first hangs up, a new one starts."""
    server = serve_wsgi(make_app(CALL_MOCK_MAX_CALLS=1))
    url = server.url.replace("http://", "ws://") + "/mock/v1/realtime"
    with _open(url) as first:
        _until(first, "session.created")
        with _open(url) as second:
            error = json.loads(second.recv(timeout=10))
            assert error["error"]["code"] == "too_many_calls"
            assert "CALL_MOCK_MAX_CALLS" in error["error"]["message"]
    deadline = time.monotonic() + 10
    while mock_calls.live_count() and time.monotonic() < deadline:  # the door's own cleanup
        time.sleep(0.05)
    with _open(url) as third:
        assert _until(third, "session.created")


def test_the_session_expires_when_the_mock_will_end_the_call(app: Any, socket_url: str) -> None:
    """``expires_at`` is the moment the mock's length limit ends the call: the configured
    ``CALL_MOCK_MAX_SECONDS``, not a default."""
    app.config["CALL_MOCK_MAX_SECONDS"] = 120
    before = int(time.time())
    with _open(socket_url) as ws:
        created = _until(ws, "session.created")
    assert before + 120 <= created["session"]["expires_at"] <= int(time.time()) + 120

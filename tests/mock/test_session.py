"""The mock call's session (effective view, merging), turn detection and script, without WebRTC."""

from __future__ import annotations

import json
import math
import struct

import pytest

from playground.mock.script import Conversation
from playground.mock.session import (
    SessionRules,
    TurnSettings,
    VoiceActivity,
    level_dbfs,
    merged,
    rms_dbfs,
    turn_settings,
)


@pytest.fixture
def rules(ga_op) -> SessionRules:
    return SessionRules(ga_op.request_schema, ga_op.root)


def test_the_effective_session_fills_the_documented_defaults(rules, ga_op) -> None:
    session = rules.effective({"type": "realtime"}, "sess_1")
    vad = session["audio"]["input"]["turn_detection"]
    declared = ga_op.document  # the defaults come from the document, not from this test
    assert '"default": 0.5' in json.dumps(declared) and vad["threshold"] == 0.5
    assert (vad["prefix_padding_ms"], vad["silence_duration_ms"]) == (300, 500)
    assert session["audio"]["output"] == {
        "format": {"type": "audio/pcm", "rate": 24000},
        "voice": "alloy",
        "speed": 1.0,
    }
    assert (session["id"], session["object"], session["max_output_tokens"]) == (
        "sess_1",
        "realtime.session",
        "inf",
    )


def test_a_tagged_object_replaces_the_default_branch(rules) -> None:
    semantic = {"type": "semantic_vad", "eagerness": "high"}
    session = rules.effective(
        {"type": "realtime", "audio": {"input": {"turn_detection": semantic}}}, "s"
    )
    detection = session["audio"]["input"]["turn_detection"]
    assert detection["type"] == "semantic_vad" and "threshold" not in detection
    assert turn_settings(session).silence_duration_ms == 250  # high eagerness ends turns soon


def test_merging_keeps_what_an_update_does_not_name() -> None:
    base = {"type": "realtime", "audio": {"output": {"voice": "ash", "speed": 1.2}}}
    assert merged(base, {"audio": {"output": {"speed": 0.5}}})["audio"]["output"] == {
        "voice": "ash",
        "speed": 0.5,
    }
    off = merged(base, {"audio": {"input": {"turn_detection": None}}})
    assert off["audio"]["input"]["turn_detection"] is None and turn_settings(off) is None


def _tone(amplitude: float) -> bytes:
    peak = 32767 * amplitude
    return struct.pack(
        "<960h", *(int(peak * math.sin(2 * math.pi * 300 * n / 48000)) for n in range(960))
    )


def test_levels_are_measured_in_dbfs() -> None:
    assert rms_dbfs(bytes(1920)) == -math.inf
    assert rms_dbfs(_tone(1.0)) == pytest.approx(-3.0, abs=0.1)  # a full-scale sine
    assert rms_dbfs(_tone(0.01)) == pytest.approx(-43.0, abs=0.2)
    assert (level_dbfs(0), level_dbfs(0.5), level_dbfs(1)) == (-70, -40, -10)


def test_voice_activity_uses_threshold_padding_and_silence() -> None:
    settings = TurnSettings(level_dbfs(0.5), 300, 100, True, True)
    vad = VoiceActivity(settings)
    quiet, loud = rms_dbfs(_tone(0.005)), rms_dbfs(_tone(0.3))
    changes = [vad.feed(level, 20) for level in [quiet] * 25 + [loud] * 10 + [quiet] * 5]
    # speech at 500 ms, reported 300 ms earlier; stopped after 100 ms (5 frames) of quiet
    assert [c for c in changes if c] == [("started", 200), ("stopped", 800)]
    assert changes.index(("stopped", 800)) == 39


def _conversation(rules: SessionRules, **session: object) -> Conversation:
    return Conversation(rules, {"type": "realtime", **session})


def test_a_second_response_while_one_plays_is_an_error(rules) -> None:
    talk = _conversation(rules)
    assert talk.handle('{"type": "response.create"}').reply is not None
    busy = talk.handle('{"type": "response.create"}').events[0]
    assert busy["type"] == "error"
    assert busy["error"]["code"] == "conversation_already_has_active_response"


def test_the_voice_is_fixed_once_the_mock_has_spoken(rules) -> None:
    talk = _conversation(rules)
    reply = talk.handle('{"type": "response.create"}').reply
    assert reply is not None and reply.tone_seconds > 0
    talk.finished(reply)
    change = {"type": "session.update", "session": {"audio": {"output": {"voice": "ash"}}}}
    error = talk.handle(json.dumps(change)).events[0]["error"]
    assert error["param"] == "session.audio.output.voice"


@pytest.mark.parametrize(
    ("message", "param"),
    [("not json", None), ('{"no": "type"}', "type"), ('{"type": "bogus.event"}', "type")],
)
def test_a_message_it_cannot_take_is_an_error_event(rules, message, param) -> None:
    event = _conversation(rules).handle(message).events[0]
    assert event["type"] == "error" and event["error"]["param"] == param

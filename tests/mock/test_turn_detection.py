"""The mock's turn detection on a real recording (two utterances spoken by espeak-ng, silence
between): its threshold, prefix padding and silence duration change the speech segments, fed
frame by frame as the call feeds the microphone's levels, and through a real call (the Python
caller's microphone playing the recording)."""

from __future__ import annotations

from typing import Any

import pytest

from playground.mock.script import Conversation
from playground.mock.session import SessionRules, VoiceActivity, rms_dbfs, turn_settings

from .conftest import at_48k, mic_frames_pass, place_call, wait_until

FRAME_MS = 20


@pytest.fixture
def rules(ga_op) -> SessionRules:
    return SessionRules(ga_op.request_schema, ga_op.root)


def _segments(rules: SessionRules, recording: tuple[bytes, int], **vad: Any) -> list[list[int]]:
    """Give the ``[audio_start_ms, audio_end_ms]`` of each turn the mock detects in the
    recording, under server VAD with ``vad`` settings (as the call does: levels of 20 ms
    frames into the session's turn detection, its changes into the conversation)."""
    pcm, rate = recording
    detection = {"type": "server_vad", "create_response": False, **vad}
    talk = Conversation(
        rules, {"type": "realtime", "audio": {"input": {"turn_detection": detection}}}
    )
    turns = turn_settings(talk.session)
    assert turns is not None
    activity = VoiceActivity(turns)
    step_bytes = 2 * rate * FRAME_MS // 1000
    segments: list[list[int]] = []
    for start in range(0, len(pcm), step_bytes):
        change = activity.feed(rms_dbfs(pcm[start : start + step_bytes]), FRAME_MS)
        if change is None:
            continue
        spoken = int(activity.heard_ms - activity.started_ms)
        for event in talk.speech(change, spoken).events:
            if event["type"] == "input_audio_buffer.speech_started":
                segments.append([event["audio_start_ms"]])
            elif event["type"] == "input_audio_buffer.speech_stopped":
                segments[-1].append(event["audio_end_ms"])
    return segments


def test_two_utterances_are_two_turns_with_the_defaults(rules, two_utterances) -> None:
    segments = _segments(rules, two_utterances)
    assert len(segments) == 2 and all(len(s) == 2 for s in segments)
    (start1, end1), (start2, end2) = segments
    # the first word comes 0.5 s in, reported 300 ms (the prefix padding) earlier
    assert 150 <= start1 <= 300 and end1 < start2 < end2


def test_a_silence_longer_than_the_gap_joins_the_turns(rules, two_utterances) -> None:
    assert len(_segments(rules, two_utterances, silence_duration_ms=2000)) == 1


def test_a_shorter_silence_ends_each_turn_sooner(rules, two_utterances) -> None:
    short = _segments(rules, two_utterances, silence_duration_ms=200)
    default = _segments(rules, two_utterances)
    assert short[0][1] < default[0][1] and short[0][0] == default[0][0]


def test_the_prefix_padding_moves_the_reported_start(rules, two_utterances) -> None:
    none = _segments(rules, two_utterances, prefix_padding_ms=0)
    more = _segments(rules, two_utterances, prefix_padding_ms=400)
    assert [s[0] - m[0] for s, m in zip(none, more, strict=True)] == [400, 400]


def test_the_threshold_decides_what_is_speech(rules, two_utterances) -> None:
    default = _segments(rules, two_utterances)
    strict = _segments(rules, two_utterances, threshold=0.95)  # -13 dBFS: the loudest peaks
    assert strict != default and strict[0][0] > default[0][0]
    assert _segments(rules, two_utterances, threshold=1.0) == []  # louder than the recording


@pytest.mark.parametrize(("silence_ms", "turns"), [(500, 2), (2000, 1)])
def test_a_call_hears_the_recording_as_its_settings_say(
    served, call_client, two_utterances, silence_ms, turns
) -> None:
    base, client = served(), call_client(amplitude=0.0)
    vad = {"type": "server_vad", "silence_duration_ms": silence_ms, "create_response": False}
    place_call(base, client, {"type": "realtime", "audio": {"input": {"turn_detection": vad}}})
    client.wait_for("session.created")
    client.mic.play(at_48k(two_utterances))
    assert wait_until(lambda: not client.mic.playing, timeout=60)
    mic_frames_pass(int(silence_ms / FRAME_MS) + 10)  # past the silence that ends a turn
    stopped = [e for e in list(client.received) if e["type"].endswith("speech_stopped")]
    started = [e for e in list(client.received) if e["type"].endswith("speech_started")]
    assert (len(started), len(stopped)) == (turns, turns)

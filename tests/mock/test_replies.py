"""The mock's responses as the API sends them (no WebRTC): usage counted from what it heard and
said, rate limits, input transcription, a cancelled response, a real ``expires_at``; every event
checked against the openai SDK's server event types."""

from __future__ import annotations

import json
import math
import time
from typing import Any

import pytest
from openai.types.realtime import RealtimeServerEvent
from pydantic import TypeAdapter

from playground.mock.call_limits import CallSettings
from playground.mock.replies import SPOKEN_SECONDS, Reply
from playground.mock.script import Conversation
from playground.mock.session import SessionRules
from playground.mock.usage import (
    ASSISTANT_AUDIO_TOKENS_PER_SECOND,
    TOKENS_PER_MINUTE,
    USER_AUDIO_TOKENS_PER_SECOND,
    text_tokens,
)

SERVER_EVENT = TypeAdapter(RealtimeServerEvent)


@pytest.fixture
def rules(ga_op) -> SessionRules:
    return SessionRules(ga_op.request_schema, ga_op.root)


def _talk(rules: SessionRules, **session: object) -> Conversation:
    return Conversation(rules, {"type": "realtime", **session})


def _events(reply: Reply | None) -> list[dict[str, Any]]:
    assert reply is not None
    events = [event for _offset, event in reply.timeline]
    for event in events:
        assert SERVER_EVENT.validate_python(event).type == event["type"], event
    return events


def _done(reply: Reply | None) -> dict[str, Any]:
    return next(e for e in _events(reply) if e["type"] == "response.done")["response"]


def _typed(talk: Conversation, text: str) -> Reply | None:
    item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    talk.handle(json.dumps({"type": "conversation.item.create", "item": item}))
    return talk.handle('{"type": "response.create"}').reply


def test_usage_counts_the_conversation_heard_and_the_reply_said(rules) -> None:
    talk = _talk(rules, instructions="Be brief.")
    first = _typed(talk, "hello there")
    usage = _done(first)["usage"]
    assert first is not None
    said = "You said: hello there"
    audio_out = math.ceil(first.tone_seconds * ASSISTANT_AUDIO_TOKENS_PER_SECOND)
    heard_text = text_tokens("Be brief." + "[]") + text_tokens("hello there")
    assert usage["input_token_details"]["text_tokens"] == heard_text == usage["input_tokens"]
    assert usage["output_token_details"] == {
        "text_tokens": text_tokens(said),
        "audio_tokens": audio_out,
    }
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["input_token_details"]["cached_tokens"] == 0  # nothing came before
    talk.finished(first)
    second = _done(_typed(talk, "again"))["usage"]
    details = second["input_token_details"]
    # the first response's input is the cached prefix; its spoken reply is audio input now
    assert details["cached_tokens"] == usage["input_tokens"]
    assert details["audio_tokens"] == audio_out
    assert (
        second["input_tokens"] == heard_text + text_tokens(said) + text_tokens("again") + audio_out
    )


def test_a_spoken_turn_is_audio_input_and_transcribed_when_configured(rules) -> None:
    transcription = {"model": "gpt-4o-mini-transcribe"}
    talk = _talk(rules, audio={"input": {"transcription": transcription}})
    talk.speech(("started", 0))
    step = talk.speech(("stopped", 1800), 1500)
    kinds = [e["type"] for e in step.events]
    deltas = [e for e in step.events if e["type"].endswith("input_audio_transcription.delta")]
    completed = next(e for e in step.events if e["type"].endswith("transcription.completed"))
    assert kinds.index("input_audio_buffer.committed") < kinds.index(deltas[0]["type"])
    assert "".join(d["delta"] for d in deltas) == completed["transcript"]
    assert "mock" in completed["transcript"] and "1.5 s" in completed["transcript"]
    assert completed["usage"]["input_tokens"] == 15  # 1.5 s at 10 tokens a second
    added = next(e for e in step.events if e["type"] == "conversation.item.added")
    assert added["item"]["content"][0]["transcript"] is None  # not known when it was added
    assert talk.items[0]["content"][0]["transcript"] == completed["transcript"]
    for event in step.events:
        SERVER_EVENT.validate_python(event)
    heard = _done(step.reply)["usage"]["input_token_details"]
    assert heard["audio_tokens"] == 1.5 * USER_AUDIO_TOKENS_PER_SECOND
    silent = _talk(rules)  # no transcription configured: no transcription events
    silent.speech(("started", 0))
    quiet = silent.speech(("stopped", 900), 600).events
    assert not [e for e in quiet if "transcription" in e["type"]]


def test_rate_limits_follow_each_response_and_count_down(rules) -> None:
    talk = _talk(rules)
    limits = []
    for text in ("one", "two"):
        reply = _typed(talk, text)
        events = _events(reply)
        kinds = [e["type"] for e in events]
        assert kinds.index("rate_limits.updated") == kinds.index("response.created") + 1
        limits.append({r["name"]: r for r in events[1]["rate_limits"]})
        assert reply is not None
        talk.finished(reply)
    spent = _done(reply)["usage"]["total_tokens"]
    assert limits[0]["requests"]["remaining"] - limits[1]["requests"]["remaining"] == 1
    assert limits[1]["tokens"]["remaining"] < limits[0]["tokens"]["remaining"] < TOKENS_PER_MINUTE
    assert limits[0]["tokens"]["remaining"] - limits[1]["tokens"]["remaining"] == spent


def test_a_spoken_reply_lasts_a_few_seconds_word_by_word(rules) -> None:
    reply = _typed(_talk(rules), "hi")
    assert reply is not None and reply.tone_seconds >= SPOKEN_SECONDS[0] >= 3
    offsets = [o for o, e in reply.timeline if e["type"].endswith("transcript.delta")]
    assert offsets == sorted(offsets) and offsets[-1] > 0  # paced, not all at once
    done_at = next(o for o, e in reply.timeline if e["type"] == "response.done")
    assert done_at == reply.tone_seconds


@pytest.mark.parametrize(
    ("how", "reason"),
    [("response.cancel", "client_cancelled"), ("speech", "turn_detected")],
)
def test_a_cancelled_response_reports_its_reason_and_what_was_said(rules, how, reason) -> None:
    talk = _talk(rules)
    reply = _typed(talk, "a long enough message to be cut short")
    assert reply is not None
    reply.started -= reply.seconds / 2  # half of it has played
    step = (
        talk.handle('{"type": "response.cancel"}')
        if how != "speech"
        else talk.speech(("started", 0))
    )
    assert step.cancel
    events = talk.cancelled(reply)
    for event in events:
        SERVER_EVENT.validate_python(event)
    done = events[0]["response"]
    assert (done["status"], done["status_details"]) == (
        "cancelled",
        {"type": "cancelled", "reason": reason},
    )
    full = _done(reply)
    item = done["output"][0]
    assert item["status"] == "incomplete"
    assert (
        0
        < len(item["content"][0]["transcript"])
        < len(full["output"][0]["content"][0]["transcript"])
    )
    assert 0 < done["usage"]["output_tokens"] < full["usage"]["output_tokens"]
    assert done["usage"]["input_tokens"] == full["usage"]["input_tokens"]
    assert talk.items[-1]["status"] == "incomplete"  # the conversation keeps what was said


def test_the_session_expires_when_the_mock_ends_the_call(rules) -> None:
    before = int(time.time())
    session = _talk(rules).created()["session"]
    assert before + CallSettings.max_seconds <= session["expires_at"] <= time.time() + 300
    talk = Conversation(rules, {"type": "realtime"}, lifetime_seconds=60)
    update = {"type": "session.update", "session": {"instructions": "x"}}
    assert talk.handle(json.dumps(update)).events[0]["session"]["expires_at"] == talk.expires_at
    assert before + 60 <= talk.expires_at <= time.time() + 60

"""The mock answers WebRTC calls as a real peer: a Python aiortc caller, the app served on
127.0.0.1, every event checked against the openai SDK's server event types."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
import requests
from openai.types.realtime import RealtimeServerEvent
from pydantic import TypeAdapter

from playground.mock import keys as mock_keys
from playground.mock.call_peer import peers

from .conftest import CALLS, LOUD, mic_frames_pass, place_call, wait_until

SERVER_EVENT = TypeAdapter(RealtimeServerEvent)
QUIET = 0.003  # a 300 Hz tone at about -53 dBFS RMS
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


def _checked(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for event in events:
        assert SERVER_EVENT.validate_python(event).type == event["type"], event
    return events


def test_unified_call_reaches_session_created_with_merged_defaults(served, call_client) -> None:
    base, client = served(), call_client()
    session = {"type": "realtime", "audio": {"output": {"voice": "marin"}}}
    answer = place_call(base, client, session)
    assert answer.status_code == 201, answer.text
    assert answer.headers["Content-Type"] == "application/sdp"
    assert answer.text.startswith("v=0") and "a=candidate:" in answer.text
    assert re.fullmatch(r"/mock/v1/realtime/calls/rtc_[A-Za-z0-9]+", answer.headers["Location"])
    assert "127.0.0.1" in answer.text and not re.search(r"c=IN IP4 (?!127\.0\.0\.1)", answer.text)
    created = _checked([client.wait_for("session.created")])[0]["session"]
    assert created["id"].startswith("sess_") and created["object"] == "realtime.session"
    assert created["audio"]["output"]["voice"] == "marin"  # the request wins
    vad = created["audio"]["input"]["turn_detection"]
    assert (vad["type"], vad["threshold"], vad["prefix_padding_ms"]) == ("server_vad", 0.5, 300)
    assert vad["silence_duration_ms"] == 500 and vad["create_response"] is True
    assert created["audio"]["output"]["format"] == {"type": "audio/pcm", "rate": 24000}
    assert created["output_modalities"] == ["audio"] and created["tool_choice"] == "auto"
    assert peers.live_count() == 1


def test_the_sdk_places_a_call_with_its_multipart_body(served, call_client) -> None:
    from openai import OpenAI

    base, client = served(), call_client()
    session = {"type": "realtime", "instructions": "Be brief."}
    with OpenAI(base_url=base + "/mock/v1", api_key="sk-test", max_retries=0) as sdk:
        answer = sdk.realtime.calls.with_raw_response.create(sdp=client.offer(), session=session)
    assert answer.status_code == 201
    client.answer(answer.text)
    assert client.wait_for("session.created")["session"]["instructions"] == "Be brief."


def test_ephemeral_key_calls_with_the_session_it_was_minted_with(served, call_client) -> None:
    base, client = served(), call_client()
    body = {"session": {"type": "realtime", "audio": {"output": {"voice": "cedar"}}}}
    minted = requests.post(
        base + "/mock/v1/realtime/client_secrets",
        json=body,
        headers={"Authorization": "Bearer sk-test"},
        timeout=10,
    ).json()
    assert re.fullmatch(r"ek_[A-Za-z0-9_-]+", minted["value"])
    answer = place_call(base, client, key=minted["value"])
    assert answer.status_code == 201, answer.text
    created = client.wait_for("session.created")["session"]
    assert created["audio"]["output"]["voice"] == "cedar"


def test_a_beta_key_calls_with_its_session_converted_to_ga(served, call_client) -> None:
    base, client = served(), call_client()
    minted = requests.post(
        base + "/mock/v1/realtime/sessions",
        json={"voice": "verse", "modalities": ["text"]},
        headers={"Authorization": "Bearer sk-test"},
        timeout=10,
    ).json()
    assert place_call(base, client, key=minted["client_secret"]["value"]).status_code == 201
    created = client.wait_for("session.created")["session"]
    assert created["audio"]["output"]["voice"] == "verse"
    assert created["output_modalities"] == ["text"]


@pytest.mark.parametrize("problem", ["expired", "forged", "other deployment"])
def test_an_expired_or_forged_key_is_refused(served, call_client, problem) -> None:
    base, client = served(), call_client()
    secret = "test-" * 8  # tests/conftest.py TEST_CONFIG
    session = {"type": "realtime"}
    key = {
        "expired": mock_keys.mint(secret, "client-secrets", session, int(time.time()) - 5),
        "forged": mock_keys.mint(secret, "client-secrets", session, int(time.time()) + 60)[:-3]
        + "AAA",
        "other deployment": mock_keys.mint("x" * 40, "client-secrets", session, 2**40),
    }[problem]
    answer = place_call(base, client, key=key)
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert ("expired" in error["message"]) == (problem == "expired")
    assert peers.live_count() == 0


@pytest.mark.parametrize(
    ("session", "sdp", "param"),
    [
        (
            {"type": "realtime", "audio": {"output": {"speed": 3}}},
            None,
            "session.audio.output.speed",
        ),
        ({"type": "realtime", "temperature": 0.7}, None, "session.temperature"),
        ("{not json", None, "session"),
        ({"type": "realtime"}, "", "sdp"),
        ({"type": "realtime"}, "hello", "sdp"),
        ({"type": "realtime"}, "v=0\r\nm=audio nonsense\r\n", "sdp"),
    ],
)
def test_a_bad_session_or_offer_is_a_400_naming_the_param(
    served, call_client, session, sdp, param
) -> None:
    base, client = served(), call_client()
    parts = {"sdp": (None, client.offer() if sdp is None else sdp)}
    parts["session"] = (None, session if isinstance(session, str) else json.dumps(session))
    answer = requests.post(
        base + CALLS, files=parts, headers={"Authorization": "Bearer sk-test"}, timeout=30
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["param"] == param
    assert peers.live_count() == 0


def test_no_key_is_a_401(served) -> None:
    answer = requests.post(served() + CALLS, data="v=0", timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "missing_api_key"


def test_session_update_is_merged_and_a_refused_change_names_its_param(served, call_client) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    vad = {"type": "server_vad", "threshold": 0.8}
    client.send(
        {"type": "session.update", "session": {"audio": {"input": {"turn_detection": vad}}}}
    )
    updated = _checked([client.wait_for("session.updated")])[0]["session"]
    detection = updated["audio"]["input"]["turn_detection"]
    assert detection["threshold"] == 0.8 and detection["silence_duration_ms"] == 500
    assert updated["audio"]["output"]["voice"] == "alloy"  # untouched parts stay
    for update, param in [
        ({"type": "transcription"}, "session.type"),
        ({"audio": {"input": {"turn_detection": {**vad, "threshold": 2}}}}, None),
    ]:
        client.send({"type": "session.update", "event_id": "evt_1", "session": update})
        error = _checked([client.wait_for("error")])[0]["error"]
        assert error["param"] == (param or "session.audio.input.turn_detection.threshold")
        assert error["event_id"] == "evt_1"


def test_a_typed_message_gets_transcript_deltas_and_a_tone(served, call_client) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    assert wait_until(lambda: client.remote_frames > 10)
    assert client.sound_frames == 0  # silence until the mock speaks
    client.say("hello there")
    events = _checked(client.events_until("response.done"))
    deltas = [e["delta"] for e in events if e["type"] == "response.output_audio_transcript.delta"]
    assert "".join(deltas) == "You said: hello there" and len(deltas) == 4
    kinds = [e["type"] for e in events]
    assert kinds.index("response.created") < kinds.index("response.output_item.added")
    assert "response.output_audio_transcript.done" in kinds
    assert events[-1]["response"]["status"] == "completed"
    assert wait_until(lambda: client.sound_frames >= 5)  # the tone, received and decoded


def test_text_mode_writes_the_reply_and_plays_nothing(served, call_client) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime", "output_modalities": ["text"]})
    client.wait_for("session.created")
    client.say("quiet please")
    events = _checked(client.events_until("response.done"))
    deltas = [e["delta"] for e in events if e["type"] == "response.output_text.delta"]
    assert "".join(deltas) == "You said: quiet please"
    assert client.sound_frames == 0


@pytest.mark.parametrize(
    ("amplitude", "threshold", "heard"),
    [(LOUD, 0.5, True), (LOUD, 0.95, False), (QUIET, 0.5, False), (QUIET, 0.1, True)],
)
def test_speech_events_follow_the_mic_level_and_threshold(
    served, call_client, amplitude, threshold, heard
) -> None:
    base, client = served(), call_client(amplitude=0.0)
    vad = {"type": "server_vad", "threshold": threshold, "silence_duration_ms": 300}
    place_call(base, client, {"type": "realtime", "audio": {"input": {"turn_detection": vad}}})
    client.wait_for("session.created")
    client.mic.amplitude = amplitude
    mic_frames_pass(40)
    client.mic.amplitude = 0.0
    if not heard:
        mic_frames_pass(40)  # the mic was heard, just not as speech
        assert "input_audio_buffer.speech_started" not in [e["type"] for e in client.received]
        return
    started = _checked([client.wait_for("input_audio_buffer.speech_started")])[0]
    stopped = _checked([client.wait_for("input_audio_buffer.speech_stopped")])[0]
    assert stopped["item_id"] == started["item_id"]
    # audio time: the speech, plus the silence that ended it, plus the prefix padding
    assert stopped["audio_end_ms"] - started["audio_start_ms"] >= 300 + 300
    reply = client.wait_for("response.output_audio_transcript.done")
    assert reply["transcript"].startswith("I heard you speak for")


def test_silence_duration_decides_when_the_turn_ends(served, call_client) -> None:
    base, client = served(), call_client(amplitude=0.0)
    vad = {"type": "server_vad", "silence_duration_ms": 1200, "prefix_padding_ms": 0}
    place_call(base, client, {"type": "realtime", "audio": {"input": {"turn_detection": vad}}})
    client.wait_for("session.created")
    client.mic.amplitude = LOUD
    started = client.wait_for("input_audio_buffer.speech_started")
    mic_frames_pass(20)
    client.mic.amplitude = 0.0
    stopped = client.wait_for("input_audio_buffer.speech_stopped", timeout=20)
    assert stopped["audio_end_ms"] - started["audio_start_ms"] >= 1200 + 300


def test_a_function_call_round_trip(served, call_client) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime", "tools": [WEATHER]})
    client.wait_for("session.created")
    client.say("Please call the weather tool for Paris")
    events = _checked(client.events_until("response.done"))
    done = next(e for e in events if e["type"] == "response.function_call_arguments.done")
    deltas = [e["delta"] for e in events if e["type"] == "response.function_call_arguments.delta"]
    assert done["name"] == "get_weather" and "".join(deltas) == done["arguments"]
    assert json.loads(done["arguments"]) == {"city": "Paris"}  # a city, not the whole message
    item = events[-1]["response"]["output"][0]
    assert item["type"] == "function_call" and item["call_id"] == done["call_id"]
    output = {"type": "function_call_output", "call_id": done["call_id"], "output": "sunny"}
    client.send({"type": "conversation.item.create", "item": output})
    client.send({"type": "response.create"})
    said = client.wait_for("response.output_audio_transcript.done")
    assert said["transcript"] == "The tool answered: sunny"


def test_hangup_leaves_no_live_peer(served, call_client) -> None:
    base, client = served(), call_client()
    answer = place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    assert peers.live_count() == 1
    auth = {"Authorization": "Bearer sk-test"}
    hangup = requests.post(base + answer.headers["Location"] + "/hangup", headers=auth, timeout=10)
    assert hangup.status_code == 200
    assert peers.live_count() == 0
    assert client.channel_closed.wait(10)  # the caller sees the call end
    again = requests.post(base + answer.headers["Location"] + "/hangup", headers=auth, timeout=10)
    assert again.status_code == 404 and again.json()["error"]["param"] == "call_id"


def test_the_caller_closing_ends_the_call(served, call_client) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    client.close()
    assert wait_until(lambda: peers.live_count() == 0)


def test_two_calls_at_once_each_have_their_own_session(served, call_client) -> None:
    base = served()
    first, second = call_client(), call_client()
    place_call(base, first, {"type": "realtime"})
    place_call(base, second, {"type": "realtime"})
    ids = {first.wait_for("session.created")["session"]["id"]}
    ids.add(second.wait_for("session.created")["session"]["id"])
    assert len(ids) == 2 and peers.live_count() == 2
    first.say("one")
    second.say("two")
    heard = [
        c.wait_for("response.output_audio_transcript.done")["transcript"] for c in (first, second)
    ]
    assert heard == ["You said: one", "You said: two"]


def test_over_the_call_limit_is_a_clear_503(served, call_client) -> None:
    base = served(CALL_MOCK_MAX_CALLS=1)
    first = call_client()
    answer = place_call(base, first, {"type": "realtime"})
    refused = place_call(base, call_client(), {"type": "realtime"})
    assert refused.status_code == 503
    assert "CALL_MOCK_MAX_CALLS = 1" in refused.json()["error"]["message"]
    auth = {"Authorization": "Bearer sk-test"}
    requests.post(base + answer.headers["Location"] + "/hangup", headers=auth, timeout=10)
    assert place_call(base, call_client(), {"type": "realtime"}).status_code == 201


def test_the_watchdog_ends_a_call_whose_mic_went_quiet(served, call_client) -> None:
    base, client = served(CALL_MOCK_IDLE_SECONDS=2), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    assert wait_until(lambda: peers.live_count() == 1 and client.remote_frames > 5)
    mic_frames_pass(150)  # three seconds of audio, over the idle limit
    assert peers.live_count() == 1  # frames keep flowing: the call lives on
    client.mic.mute()
    assert wait_until(lambda: peers.live_count() == 0, timeout=10)


def test_a_call_ends_at_its_length_limit(served, call_client) -> None:
    base, client = served(CALL_MOCK_MAX_SECONDS=1), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    error = _checked([client.wait_for("error", timeout=15)])[0]["error"]
    assert error["code"] == "session_expired" and "1 s" in error["message"]
    assert wait_until(lambda: peers.live_count() == 0)

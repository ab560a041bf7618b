"""Live changes that apply: during a mock call (a Python aiortc caller), every GA field the API
lets change mid-call is changed with the smallest ``session.update`` the page sends for it (the
value at the field's update path, :func:`playground.model.update_paths.update_path`), and each comes
back in ``session.updated`` or as the API's own refusal."""

from __future__ import annotations

import copy
from typing import Any

from playground.model.nodes import Node
from playground.model.update_paths import update_path

from .conftest import LOUD, mic_frames_pass, place_call, wait_until

#: A new value for each value a live update sends whole or alone (its update path, below
#: ``session``). ``type`` and ``model`` are not in it: neither changes mid-call.
NEW_VALUES: dict[str, list[Any]] = {
    "instructions": ["Answer in one word."],
    "output_modalities": [["text"], ["audio"]],
    "audio.input.format": [{"type": "audio/pcmu"}, {"type": "audio/pcm", "rate": 24000}],
    "audio.input.noise_reduction.type": ["far_field"],
    "audio.input.noise_reduction.strength": [0.4],
    "audio.input.transcription.model": ["gpt-4o-transcribe"],
    "audio.input.transcription.language": ["fr"],
    "audio.input.transcription.languages": [["fr", "en"]],
    "audio.input.transcription.keywords": [["Paris"]],
    "audio.input.transcription.prompt": ["Place names."],
    "audio.input.transcription.delay": ["low"],
    "audio.input.turn_detection": [
        {"type": "semantic_vad", "eagerness": "high", "create_response": False},
        {
            "type": "server_vad",
            "threshold": 0.7,
            "prefix_padding_ms": 100,
            "silence_duration_ms": 900,
            "idle_timeout_ms": 6000,
            "create_response": True,
            "interrupt_response": False,
        },
    ],
    "audio.output.format": [{"type": "audio/pcma"}],
    "audio.output.voice": ["ash", {"id": "voice_1234"}],
    "audio.output.speed": [1.25],
    "include": [["item.input_audio_transcription.logprobs"]],
    "tools": [[{"type": "function", "name": "lookup", "parameters": {"type": "object"}}]],
    "tool_choice": [{"type": "function", "name": "lookup"}, "required"],
    "parallel_tool_calls": [False],
    "reasoning.effort": ["high"],
    "max_output_tokens": [512, "inf"],
    "truncation": [{"type": "retention_ratio", "retention_ratio": 0.5}, "disabled"],
    "tracing": [{"workflow_name": "tuning", "group_id": "g1"}, "auto"],
    "prompt": [{"id": "pmpt_1", "version": "2", "variables": {"city": "Paris"}}],
}


def _leaves(node: Node, path: str) -> list[str]:
    parts = list(node.parts(path))
    return [leaf for part in parts for leaf in _leaves(part.node, part.path)] if parts else [path]


def _at(value: Any, path: str) -> Any:
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _set(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    node = out
    for key in parents:
        if not isinstance(node.get(key), dict):
            node[key] = {}  # unset or null (Off): the form's Configure
        node = node[key]
    node[last] = value
    return out


def test_every_changeable_ga_field_has_an_update_path_in_the_table(ga_op) -> None:
    units = {
        update_path(ga_op.root, leaf).removeprefix("session.")
        for leaf in _leaves(ga_op.root, "")
        if leaf.startswith("session:realtime.")
    }
    assert units - {"type", "model"} == set(NEW_VALUES)


def test_a_call_takes_every_change_the_page_sends(served, call_client, ga_op) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime"})
    asked = client.wait_for("session.created")["session"]
    refused: dict[str, str] = {}
    for unit, values in NEW_VALUES.items():
        for value in values:
            asked = _set(asked, unit, value)  # the page's preview body, changed
            update = _set({"type": "realtime"}, unit, _at(asked, unit))
            client.received.clear()
            client.send({"type": "session.update", "event_id": "evt_" + unit, "session": update})
            assert wait_until(
                lambda: any(
                    e["type"] in ("session.updated", "error") for e in list(client.received)
                )
            ), unit
            answer = next(e for e in client.received if e["type"] in ("session.updated", "error"))
            if answer["type"] == "error":
                refused[unit] = answer["error"]["param"]
                continue
            got = _at(answer["session"], unit)
            sent = value if not isinstance(value, dict) else {**got, **value} if got else value
            assert got == sent, (unit, got, value)
    assert refused == {}


def test_a_leaf_sent_alone_from_a_union_is_refused_as_the_api_refuses_it(
    served, call_client
) -> None:
    base, client = served(), call_client()
    place_call(base, client, {"type": "realtime"})
    client.wait_for("session.created")
    alone = {"type": "realtime", "audio": {"input": {"turn_detection": {"threshold": 0.7}}}}
    client.send({"type": "session.update", "session": alone})
    error = client.wait_for("error")["error"]
    assert error["param"] == "session.audio.input.turn_detection.type"


def test_a_threshold_change_mid_call_applies_to_the_next_turn(served, call_client, ga_op) -> None:
    base, client = served(), call_client(amplitude=0.0)
    vad = {"type": "server_vad", "silence_duration_ms": 300}
    place_call(base, client, {"type": "realtime", "audio": {"input": {"turn_detection": vad}}})
    asked = client.wait_for("session.created")["session"]
    path = update_path(
        ga_op.root, "session:realtime.audio.input.turn_detection:server_vad.threshold"
    )
    unit = path.removeprefix("session.")
    for threshold, heard in [(0.98, False), (0.5, True)]:  # the tone is at about -13 dBFS
        asked = _set(asked, unit + ".threshold", threshold)
        update = _set({"type": "realtime"}, unit, _at(asked, unit))
        client.received.clear()
        client.send({"type": "session.update", "session": update})
        applied = client.wait_for("session.updated")["session"]
        assert _at(applied, unit)["threshold"] == threshold
        client.mic.amplitude = LOUD
        mic_frames_pass(40)
        client.mic.amplitude = 0.0
        mic_frames_pass(25)
        kinds = [e["type"] for e in list(client.received)]
        assert ("input_audio_buffer.speech_started" in kinds) is heard, threshold

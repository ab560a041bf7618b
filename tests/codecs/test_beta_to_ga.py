"""Beta -> GA conversion: one test per mapping row, honest notes, always a GA-valid body."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from playground.codecs.beta_to_ga import migrate
from playground.model.operations import get_operation

BETA = get_operation("sessions")
GA = get_operation("client-secrets")

# (beta body, expected GA session (without "type"), expected top-level extras)
ROWS: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("modalities text", {"modalities": ["text"]}, {"output_modalities": ["text"]}, {}),
    ("modalities audio", {"modalities": ["audio"]}, {"output_modalities": ["audio"]}, {}),
    ("modalities both", {"modalities": ["audio", "text"]}, {"output_modalities": ["audio"]}, {}),
    ("model", {"model": "gpt-4o-realtime-preview"}, {"model": "gpt-4o-realtime-preview"}, {}),
    ("instructions", {"instructions": "Be brief."}, {"instructions": "Be brief."}, {}),
    ("voice", {"voice": "marin"}, {"audio": {"output": {"voice": "marin"}}}, {}),
    (
        "input pcm16",
        {"input_audio_format": "pcm16"},
        {"audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000}}}},
        {},
    ),
    (
        "input ulaw",
        {"input_audio_format": "g711_ulaw"},
        {"audio": {"input": {"format": {"type": "audio/pcmu"}}}},
        {},
    ),
    (
        "output alaw",
        {"output_audio_format": "g711_alaw"},
        {"audio": {"output": {"format": {"type": "audio/pcma"}}}},
        {},
    ),
    (
        "transcription",
        {"input_audio_transcription": {"model": "whisper-1", "language": "en", "prompt": "x"}},
        {
            "audio": {
                "input": {"transcription": {"model": "whisper-1", "language": "en", "prompt": "x"}}
            }
        },
        {},
    ),
    (
        "transcription off",
        {"input_audio_transcription": None},
        {"audio": {"input": {"transcription": None}}},
        {},
    ),
    (
        "turn detection off",
        {"turn_detection": None},
        {"audio": {"input": {"turn_detection": None}}},
        {},
    ),
    (
        "server vad",
        {
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.6,
                "prefix_padding_ms": 200,
                "silence_duration_ms": 400,
                "create_response": False,
                "interrupt_response": True,
            }
        },
        {
            "audio": {
                "input": {
                    "turn_detection": {
                        "type": "server_vad",
                        "threshold": 0.6,
                        "prefix_padding_ms": 200,
                        "silence_duration_ms": 400,
                        "create_response": False,
                        "interrupt_response": True,
                    }
                }
            }
        },
        {},
    ),
    (
        "vad without type",
        {"turn_detection": {"threshold": 0.4}},
        {"audio": {"input": {"turn_detection": {"type": "server_vad", "threshold": 0.4}}}},
        {},
    ),
    (
        "semantic vad",
        {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}},
        {"audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}}}},
        {},
    ),
    (
        "noise reduction",
        {"input_audio_noise_reduction": {"type": "far_field"}},
        {"audio": {"input": {"noise_reduction": {"type": "far_field"}}}},
        {},
    ),
    (
        "noise reduction off",
        {"input_audio_noise_reduction": None},
        {"audio": {"input": {"noise_reduction": None}}},
        {},
    ),
    (
        "tools",
        {
            "tools": [
                {
                    "type": "function",
                    "name": "f",
                    "description": "d",
                    "parameters": {"type": "object"},
                }
            ]
        },
        {
            "tools": [
                {
                    "type": "function",
                    "name": "f",
                    "description": "d",
                    "parameters": {"type": "object"},
                }
            ]
        },
        {},
    ),
    ("tool choice mode", {"tool_choice": "required"}, {"tool_choice": "required"}, {}),
    (
        "tool choice function",
        {"tools": [{"name": "f"}], "tool_choice": "f"},
        {"tools": [{"name": "f"}], "tool_choice": {"type": "function", "name": "f"}},
        {},
    ),
    ("max tokens", {"max_response_output_tokens": 300}, {"max_output_tokens": 300}, {}),
    ("max tokens inf", {"max_response_output_tokens": "inf"}, {"max_output_tokens": "inf"}, {}),
    ("speed", {"speed": 1.25}, {"audio": {"output": {"speed": 1.25}}}, {}),
    ("tracing auto", {"tracing": "auto"}, {"tracing": "auto"}, {}),
    (
        "tracing object",
        {"tracing": {"workflow_name": "w", "metadata": {"a": 1}}},
        {"tracing": {"workflow_name": "w", "metadata": {"a": 1}}},
        {},
    ),
    ("tracing off", {"tracing": None}, {"tracing": None}, {}),
    (
        "expiry",
        {"client_secret": {"expires_after": {"anchor": "created_at", "seconds": 90}}},
        {},
        {"expires_after": {"anchor": "created_at", "seconds": 90}},
    ),
    ("temperature", {"temperature": 0.9}, {}, {}),
]


@pytest.mark.parametrize(
    ("beta", "session", "top"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_each_mapping_row(beta, session, top) -> None:
    result = migrate(beta)
    assert result.body == {**top, "session": {"type": "realtime", **session}}
    assert Draft202012Validator(GA.request_schema).is_valid(result.body)


def test_temperature_is_named_as_not_carried() -> None:
    notes = migrate({"temperature": 0.9}).notes
    assert [(n.path, n.kind) for n in notes if n.path == "temperature"] == [
        ("temperature", "not carried")
    ]


def test_vad_keys_of_the_other_type_are_named() -> None:
    notes = migrate(
        {
            "turn_detection": {
                "type": "semantic_vad",
                "eagerness": "low",
                "threshold": 0.5,
                "silence_duration_ms": 100,
            }
        }
    ).notes
    assert {n.path for n in notes if n.kind == "not carried"} == {
        "turn_detection.threshold",
        "turn_detection.silence_duration_ms",
    }
    notes = migrate({"turn_detection": {"type": "server_vad", "eagerness": "low"}}).notes
    assert [n.path for n in notes if n.kind == "not carried"] == ["turn_detection.eagerness"]


def test_text_and_audio_together_is_named() -> None:
    notes = migrate({"modalities": ["text", "audio"]}).notes
    assert any(n.path == "modalities" and "together" in n.message for n in notes)


def test_key_lifetime_default_difference_is_named_unless_set() -> None:
    assert any(n.kind == "default differs" and "600 s" in n.message for n in migrate({}).notes)
    set_ = migrate({"client_secret": {"expires_after": {"anchor": "created_at", "seconds": 60}}})
    assert not any(n.kind == "default differs" for n in set_.notes)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_schema(BETA.request_schema))
def test_every_valid_beta_body_converts_to_a_valid_ga_body(beta: dict[str, Any]) -> None:
    result = migrate(beta)
    errors = sorted(
        e.message for e in Draft202012Validator(GA.request_schema).iter_errors(result.body)
    )
    assert errors == []
    carried_or_noted = {n.path.split(".")[0] for n in result.notes}
    for key in beta:  # every beta key ends up somewhere, or is named
        assert key in carried_or_noted or _somewhere(key, result.body), key


def _somewhere(key: str, body: dict[str, Any]) -> bool:
    session = body["session"]
    audio = session.get("audio", {})
    where = {
        "modalities": "output_modalities" in session,
        "voice": "voice" in audio.get("output", {}),
        "speed": "speed" in audio.get("output", {}),
        "input_audio_format": "format" in audio.get("input", {}),
        "output_audio_format": "format" in audio.get("output", {}),
        "input_audio_transcription": "transcription" in audio.get("input", {}),
        "input_audio_noise_reduction": "noise_reduction" in audio.get("input", {}),
        "turn_detection": "turn_detection" in audio.get("input", {}),
        "max_response_output_tokens": "max_output_tokens" in session,
        "client_secret": True,  # an empty client_secret carries nothing; expiry noted
    }
    return where.get(key, key in session)


@pytest.mark.parametrize(
    "beta",
    [
        {"input_audio_format": "mp3"},
        {"turn_detection": "on"},
        {"modalities": "text"},
        {"client_secret": 5},
        {"bogus": 1},
        {"modalities": []},
    ],
)
def test_invalid_beta_values_are_named_never_a_crash(beta) -> None:
    result = migrate(beta)
    assert {n.path for n in result.notes} >= set(beta)
    assert result.body["session"] == {"type": "realtime"}

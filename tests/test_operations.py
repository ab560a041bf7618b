"""The bundled OpenAPI document: valid, and complete against the parameter reference."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from openapi_spec_validator import validate

from playground.operations import all_operations, get_operation

# From ../shared/reference/session-parameters.md: name -> (JSON types, enum or None,
# (min, max) or None, server default or missing, null turns it off).
MISSING = object()
PARAMETERS: dict[str, tuple[set[str], Any, Any, Any, bool]] = {
    "modalities": ({"array"}, ["text", "audio"], None, ["text", "audio"], False),
    "model": ({"string"}, None, None, MISSING, False),
    "instructions": ({"string"}, None, None, MISSING, False),
    "voice": ({"string"}, None, None, "alloy", False),
    "input_audio_format": ({"string"}, ["pcm16", "g711_ulaw", "g711_alaw"], None, "pcm16", False),
    "output_audio_format": ({"string"}, ["pcm16", "g711_ulaw", "g711_alaw"], None, "pcm16", False),
    "input_audio_transcription": ({"object"}, None, None, MISSING, True),
    "turn_detection": ({"object"}, None, None, MISSING, True),
    "input_audio_noise_reduction": ({"object"}, None, None, None, True),
    "tools": ({"array"}, None, None, [], False),
    "tool_choice": ({"string"}, None, None, "auto", False),
    "temperature": ({"number"}, None, (0.6, 1.2), 0.8, False),
    "max_response_output_tokens": ({"integer", "string"}, None, (1, 4096), "inf", False),
    "speed": ({"number"}, None, (0.25, 1.5), 1.0, False),
    "tracing": ({"string", "object"}, None, None, None, True),
    "client_secret": ({"object"}, None, None, MISSING, False),
}

NESTED = {
    "input_audio_transcription": ["model", "language", "prompt"],
    "turn_detection": [
        "type",
        "eagerness",
        "threshold",
        "prefix_padding_ms",
        "silence_duration_ms",
        "create_response",
        "interrupt_response",
    ],
    "input_audio_noise_reduction": ["type"],
    "tools.items": ["type", "name", "description", "parameters"],
    "tracing.oneOf.1": ["workflow_name", "group_id", "metadata"],
    "client_secret": ["expires_after"],
    "client_secret.expires_after": ["anchor", "seconds"],
}


def _types(schema: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for alt in schema.get("oneOf", []) + schema.get("anyOf", []):
        found |= _types(alt)
    t = schema.get("type")
    if isinstance(t, str):
        found.add(t)
    elif isinstance(t, list):
        found |= set(t)
    if "const" in schema:
        found.add(type(schema["const"]).__name__.replace("str", "string"))
    return found - {"null"}


def _accepts_null(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    return "null" in (t if isinstance(t, list) else [t]) or any(
        alt.get("type") == "null" for alt in schema.get("oneOf", [])
    )


def _dig(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    for part in dotted.split("."):
        if part == "items":
            schema = schema["items"]
        elif part.isdigit():
            schema = schema[int(part)]
        elif part == "oneOf":
            schema = schema["oneOf"]  # type: ignore[assignment]
        else:
            schema = schema["properties"][part] if "properties" in schema else schema[part]
    return schema


def test_every_bundled_document_is_valid_openapi() -> None:
    files = [
        f for f in resources.files("playground.operations").iterdir() if f.name.endswith(".json")
    ]
    assert files
    for entry in files:
        validate(json.loads(entry.read_text(encoding="utf-8")))


def test_sessions_operation_is_found_by_its_extension() -> None:
    op = get_operation("sessions")
    assert (op.method, op.path) == ("POST", "/realtime/sessions")
    assert "sessions" in all_operations()
    assert op.extra["sdk"]["python"] == "beta.realtime.sessions.create"


def test_unknown_operation_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="sessions"):
        get_operation("nope")


def test_all_sixteen_parameters_are_there_and_nothing_else(sessions_op) -> None:
    assert list(sessions_op.request_schema["properties"]) == list(PARAMETERS)
    assert sessions_op.request_schema["additionalProperties"] is False


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_parameter_matches_the_reference(sessions_op, name: str) -> None:
    schema = sessions_op.request_schema["properties"][name]
    types, enum, bounds, default, nullable = PARAMETERS[name]
    assert _types(schema) == types
    assert schema.get("description"), f"{name} has no description"
    if enum is not None:
        assert (schema.get("enum") or schema.get("items", {}).get("enum")) == enum
    if bounds is not None:
        ranged = next((s for s in [schema, *schema.get("oneOf", [])] if "minimum" in s), schema)
        assert (ranged.get("minimum"), ranged.get("maximum")) == bounds
    if default is not MISSING:
        assert schema["default"] == default
    assert _accepts_null(schema) is nullable


@pytest.mark.parametrize(("where", "keys"), list(NESTED.items()))
def test_nested_fields_are_there(sessions_op, where: str, keys: list[str]) -> None:
    assert list(_dig(sessions_op.request_schema["properties"], where)["properties"]) == keys


def test_ranges_of_nested_numbers(sessions_op) -> None:
    props = sessions_op.request_schema["properties"]
    threshold = props["turn_detection"]["properties"]["threshold"]
    seconds = props["client_secret"]["properties"]["expires_after"]["properties"]["seconds"]
    assert (threshold["minimum"], threshold["maximum"]) == (0, 1)
    assert (seconds["minimum"], seconds["maximum"], seconds["default"]) == (10, 7200, 60)

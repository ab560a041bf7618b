"""Form data -> body and body -> form data: omit, value and null for every parameter."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis_jsonschema import from_schema

from playground.body import FormData, add_row, build_body, form_from_body, remove_row
from playground.operations import get_operation

OP = get_operation("sessions")

# One value per parameter, as a person would set it, and whether null is allowed.
VALUES: dict[str, tuple[Any, bool]] = {
    "modalities": (["audio", "text"], False),
    "model": ("gpt-4o-realtime-preview", False),
    "instructions": ('Be brief.\nSay "hi" first.', False),
    "voice": ("marin", False),
    "input_audio_format": ("g711_ulaw", False),
    "output_audio_format": ("g711_alaw", False),
    "input_audio_transcription": ({"model": "whisper-1", "language": "en"}, True),
    "turn_detection": ({"type": "server_vad", "threshold": 0.6, "silence_duration_ms": 300}, True),
    "input_audio_noise_reduction": ({"type": "far_field"}, True),
    "tools": ([{"type": "function", "name": "f", "parameters": {"type": "object"}}], False),
    "tool_choice": ("required", False),
    "temperature": (0.9, False),
    "max_response_output_tokens": (1024, False),
    "speed": (1.25, False),
    "tracing": ({"workflow_name": "w", "metadata": {"k": [1, 2.5, None]}}, True),
    "client_secret": ({"expires_after": {"anchor": "created_at", "seconds": 120}}, False),
}


def canonical(value: Any) -> str:
    """Give JSON text that tells 1 from 1.0 and true from 1."""
    return json.dumps(value, sort_keys=True)


def test_empty_form_is_an_empty_body() -> None:
    built = build_body(OP.root, FormData())
    assert built.body == {} and built.errors == {}


@pytest.mark.parametrize("name", list(VALUES))
def test_omit_value_and_null_for_every_parameter(name: str) -> None:
    value, nullable = VALUES[name]
    filled = form_from_body(OP.root, {name: value})
    assert filled.problems == {}
    built = build_body(OP.root, filled.form)
    assert canonical(built.body) == canonical({name: value})
    assert built.errors == {}

    unset = FormData(filled.form.items())
    unset.set(f"{name}@mode", "omit")
    for key in [k for k in unset.keys() if k == name or k.startswith(name + ".")]:
        unset.set(key, "")
    assert name not in build_body(OP.root, unset).body

    as_null = form_from_body(OP.root, {name: None})
    if nullable:
        assert as_null.problems == {}
        assert build_body(OP.root, as_null.form).body == {name: None}
    else:
        assert name in as_null.problems
        node = OP.fields.properties[name]
        assert "null" not in [m for m, _ in node.modes()]


def test_numbers_stay_numbers_and_keep_their_kind() -> None:
    built = build_body(
        OP.root,
        {
            "temperature": "1",
            "speed": "1.0",
            "max_response_output_tokens@mode": "integer",
            "max_response_output_tokens:integer": "200",
        },
    )
    assert canonical(built.body) == canonical(
        {"temperature": 1, "speed": 1.0, "max_response_output_tokens": 200}
    )


def test_bad_numbers_are_errors_not_strings() -> None:
    built = build_body(
        OP.root,
        {
            "temperature": "warm",
            "turn_detection@mode": "set",
            "turn_detection.prefix_padding_ms": "2.5",
        },
    )
    assert "temperature" not in built.body
    assert built.errors["temperature"] == "Must be a number; 'warm' is not."
    assert built.errors["turn_detection.prefix_padding_ms"] == "Must be a whole number, not 2.5."
    assert built.body == {"turn_detection": {}}


def test_configure_with_nothing_filled_is_an_explicit_empty_object() -> None:
    assert build_body(OP.root, {"input_audio_transcription@mode": "set"}).body == {
        "input_audio_transcription": {}
    }
    # ...but fields inside an unset object are never sent, whatever they hold.
    built = build_body(
        OP.root,
        {"input_audio_transcription@mode": "omit", "input_audio_transcription.language": "en"},
    )
    assert built.body == {}


def test_empty_inputs_are_omitted_never_empty_strings() -> None:
    built = build_body(
        OP.root,
        {
            "instructions": "",
            "voice": "",
            "temperature": " ",
            "turn_detection@mode": "set",
            "turn_detection.type": "",
        },
    )
    assert built.body == {"turn_detection": {}}


def test_custom_value_of_an_open_enum() -> None:
    built = build_body(OP.root, {"model": "__custom__", "model@custom": "gpt-realtime"})
    assert built.body == {"model": "gpt-realtime"}


def test_textarea_newlines_are_normalized_as_browsers_send_them() -> None:
    assert build_body(OP.root, {"instructions": "a\r\nb"}).body == {"instructions": "a\nb"}


def test_json_editor_must_hold_an_object() -> None:
    base = {"tools@mode": "set", "tools.0@row": "1", "tools.0.name": "f"}
    bad = build_body(OP.root, {**base, "tools.0.parameters": '{"type": '})
    assert bad.errors["tools.0.parameters"].startswith("Not valid JSON: Expecting value (line 1")
    wrong = build_body(OP.root, {**base, "tools.0.parameters": "[1]"})
    assert wrong.errors["tools.0.parameters"].startswith("Must be a JSON object")
    nan = build_body(OP.root, {**base, "tools.0.parameters": '{"a": NaN}'})
    assert "tools.0.parameters" in nan.errors


def test_required_field_left_empty_is_reported() -> None:
    built = build_body(OP.root, {"tools@mode": "set", "tools.0@row": "1"})
    assert built.body == {"tools": [{}]}
    assert built.errors == {"tools.0.name": "Required."}


def test_rows_are_added_and_removed_with_later_rows_renumbered() -> None:
    data = FormData()
    add_row(OP.root, data, "tools")
    add_row(OP.root, data, "tools")
    add_row(OP.root, data, "tools")
    for i, name in enumerate(["a", "b", "c"]):
        data.set(f"tools.{i}.name", name)
    assert data.get("tools.0.type") == "function"  # one-choice values are prefilled
    data = remove_row(data, "tools", 1)
    assert [t["name"] for t in build_body(OP.root, data).body["tools"]] == ["a", "c"]
    assert data.get("tools.1.name") == "c" and "tools.2@row" not in data


def test_unknown_keys_and_misfits_are_named_not_dropped_silently() -> None:
    filled = form_from_body(
        OP.root,
        {"temperature": "hot", "bogus": 1, "turn_detection": {"type": "server_vad", "x": 1}},
    )
    assert set(filled.problems) == {"temperature", "bogus", "turn_detection.x"}
    assert filled.problems["bogus"] == "Unknown parameter."


def test_out_of_range_values_load_into_the_form_unchanged() -> None:
    filled = form_from_body(OP.root, {"temperature": 1.5, "max_response_output_tokens": 5000})
    assert filled.problems == {}
    assert filled.form.get("temperature") == "1.5"
    assert build_body(OP.root, filled.form).body == {
        "temperature": 1.5,
        "max_response_output_tokens": 5000,
    }


def _strings_non_empty(schema: Any) -> Any:
    """Give the schema with ``minLength: 1`` on every string: an empty input means Unset."""
    if isinstance(schema, list):
        return [_strings_non_empty(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strings_non_empty(v) for k, v in schema.items() if k != "default"}
    types = schema.get("type")
    if types == "string" or (isinstance(types, list) and "string" in types):
        out.setdefault("minLength", 1)
    return out


def _discriminators_required(schema: Any) -> Any:
    """Give the schema with each union branch's discriminator required.

    Choosing a branch in the form (``audio/pcm``) always sends its ``type``, as the reference
    advises for the GA formats; a branch object without its discriminator has no form.
    """
    if isinstance(schema, list):
        return [_discriminators_required(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _discriminators_required(v) for k, v in schema.items()}
    for key in ("oneOf", "anyOf"):
        for branch in out.get(key, []):
            if "const" in branch.get("properties", {}).get("type", {}):
                branch["required"] = sorted({*branch.get("required", []), "type"})
    return out


def _has_cr(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_cr(k) or _has_cr(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_cr(v) for v in value)
    return False


GA = get_operation("client-secrets")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(from_schema(_strings_non_empty(OP.request_schema)))
def test_every_valid_body_survives_the_form(body: dict[str, Any]) -> None:
    """body(form(B)) == B, to the type of every number.

    Two things a form cannot carry are left out of the generated bodies, by design: an empty
    string (an empty input means Unset) and a carriage return (browsers send CRLF for LF).
    """
    assume(not _has_cr(body))
    filled = form_from_body(OP.root, body)
    assert filled.problems == {}
    built = build_body(OP.root, filled.form)
    assert built.errors == {}
    assert canonical(built.body) == canonical(body)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_schema(_discriminators_required(_strings_non_empty(GA.request_schema))))
def test_every_valid_ga_body_survives_the_form(body: dict[str, Any]) -> None:
    """The same walker and builder carry the nested GA operation, unions and all."""
    assume(not _has_cr(body))
    filled = form_from_body(GA.root, body)
    assert filled.problems == {}
    built = build_body(GA.root, filled.form)
    assert built.errors == {}
    assert canonical(built.body) == canonical(body)

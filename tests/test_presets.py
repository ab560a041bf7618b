"""Built-in presets: well-formed, valid for their operation, and loaded into the form exactly."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from playground.codecs.share_token import encode_token
from playground.model.form_filler import form_from_body
from playground.model.form_reader import build_body
from playground.model.operations import all_operations, get_operation
from playground.model.validation import validate_body
from playground.presets import PresetError, _read, get_preset, presets_for
from playground.snippets.literals import typed_values

ALL = [(op_id, name) for op_id in all_operations() for name in presets_for(op_id)]
REQUIRED = {
    "voice-assistant",
    "text-only",
    "semantic-vad-far-field",
    "function-calling",
    "transcription",
}


def test_the_sessions_operation_has_the_five_presets_the_issue_asks_for() -> None:
    assert REQUIRED <= set(presets_for("sessions"))


@pytest.mark.parametrize(("op_id", "name"), ALL)
def test_preset_body_is_valid(op_id: str, name: str) -> None:
    op = get_operation(op_id)
    preset = get_preset(op_id, name)
    assert preset is not None and preset.title and preset.description
    assert validate_body(op.request_schema, op.root, preset.body) == {}


@pytest.mark.parametrize(("op_id", "name"), ALL)
def test_preset_fills_the_form_and_the_form_builds_it_back_exactly(op_id: str, name: str) -> None:
    op = get_operation(op_id)
    preset = get_preset(op_id, name)
    assert preset is not None
    filled = form_from_body(op.root, preset.body)
    assert filled.problems == {}
    built = build_body(op.root, filled.form)
    assert built.errors == {}
    assert json.dumps(built.body) == json.dumps(preset.body)  # same values, types and order


@pytest.mark.parametrize(("op_id", "name"), ALL)
def test_preset_link_stays_short(op_id: str, name: str) -> None:
    preset = get_preset(op_id, name)
    assert preset is not None
    assert len(f"http://127.0.0.1:8000/?p={encode_token(preset.body)}") < 1000


@pytest.mark.parametrize("op_id", list(all_operations()))
def test_preset_files_are_named_for_their_preset(op_id: str) -> None:
    folder = resources.files("playground.presets").joinpath(op_id)
    stems = sorted(
        e.name.removesuffix(".json") for e in folder.iterdir() if e.name.endswith(".json")
    )
    assert stems == list(presets_for(op_id))
    assert len(stems) >= 2, f"{op_id} needs presets to start from"


def _deprecated_values(schema: dict[str, Any]) -> set[Any]:
    """Give the values ``x-deprecated-values`` marks on a schema or on its union branches."""
    marked = [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]
    return {entry["value"] for s in marked for entry in s.get("x-deprecated-values", [])}


@pytest.mark.parametrize(("op_id", "name"), ALL)
def test_preset_uses_no_deprecated_value(op_id: str, name: str) -> None:
    op = get_operation(op_id)
    preset = get_preset(op_id, name)
    assert preset is not None
    used = [
        (".".join(map(str, path)), value)
        for path, node, value, _rejects in typed_values(op.root, preset.body)
        if isinstance(value, str) and value in _deprecated_values(node.schema)
    ]
    assert used == []


def test_the_translation_presets_cover_its_settings() -> None:
    """Two microphones, the source transcript on and off, several target languages."""
    sessions = [p.body["session"] for p in presets_for("translation-client-secrets").values()]
    assert {s["model"] for s in sessions} == {"gpt-realtime-translate"}
    inputs = [s["audio"].get("input", {}) for s in sessions]
    kinds = {i["noise_reduction"]["type"] for i in inputs if i.get("noise_reduction")}
    assert kinds == {"near_field", "far_field"}
    assert {"gpt-realtime-whisper", None} <= {
        (i["transcription"] or {}).get("model") for i in inputs if "transcription" in i
    }
    assert len({s["audio"]["output"]["language"] for s in sessions}) == len(sessions)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"name": "x", "title": "X", "description": "d"}', "lacks body"),
        ('{"name": "y", "title": "X", "description": "d", "body": {}}', "not the file's stem"),
        ('{"name": "x", "title": "X", "description": "d", "body": []}', "not a JSON object"),
    ],
)
def test_malformed_preset_files_are_refused(text: str, reason: str) -> None:
    with pytest.raises(PresetError, match=reason):
        _read("sessions", "x.json", text)


def test_unknown_preset_and_operation_without_presets() -> None:
    assert get_preset("sessions", "no-such-preset") is None
    assert presets_for("no-such-operation") == {}


def test_the_ga_operation_has_presets_for_both_session_types() -> None:
    kinds = {p.body["session"]["type"] for p in presets_for("client-secrets").values()}
    assert kinds == {"realtime", "transcription"}


@pytest.mark.parametrize("name", sorted(presets_for("sessions")))
def test_every_beta_preset_converts_to_a_body_the_ga_schema_accepts(name: str) -> None:
    from jsonschema import Draft202012Validator

    from playground.codecs.beta_to_ga import migrate

    ga = get_operation("client-secrets")
    converted = migrate(get_preset("sessions", name).body).body
    assert list(Draft202012Validator(ga.request_schema).iter_errors(converted)) == []
    assert validate_body(ga.request_schema, ga.root, converted) == {}

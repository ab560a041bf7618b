"""Built-in presets: well-formed, valid for their operation, and loaded into the form exactly."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from playground.form_filler import form_from_body
from playground.form_reader import build_body
from playground.operations import all_operations, get_operation
from playground.presets import PresetError, _read, get_preset, presets_for
from playground.share import encode_token
from playground.validation import validate_body

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


def test_preset_files_are_named_for_their_preset() -> None:
    folder = resources.files("playground.presets").joinpath("sessions")
    stems = sorted(
        e.name.removesuffix(".json") for e in folder.iterdir() if e.name.endswith(".json")
    )
    assert stems == list(presets_for("sessions"))


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

    from playground.migrate import migrate

    ga = get_operation("client-secrets")
    converted = migrate(get_preset("sessions", name).body).body
    assert list(Draft202012Validator(ga.request_schema).iter_errors(converted)) == []
    assert validate_body(ga.request_schema, ga.root, converted) == {}

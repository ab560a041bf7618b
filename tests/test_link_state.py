"""What a link, a preset or a pasted body puts into the form."""

from __future__ import annotations

from playground.body import build_body
from playground.link_state import load_body, load_preset, load_query, load_token
from playground.operations import Operation
from playground.share import encode_token


def test_no_query_loads_nothing(sessions_op: Operation) -> None:
    assert load_query(sessions_op, {}) is None
    assert load_query(sessions_op, {"op": "sessions"}) is None


def test_token_fills_the_form_and_marks_its_top_level_fields(sessions_op: Operation) -> None:
    body = {"voice": "ash", "turn_detection": {"type": "semantic_vad", "eagerness": "low"}}
    loaded = load_query(sessions_op, {"p": encode_token(body)})
    assert loaded is not None and loaded.source == "link" and not loaded.error
    assert loaded.marked == ["voice", "turn_detection"]
    assert loaded.badge == "from link"
    assert build_body(sessions_op.root, loaded.form).body == body


def test_link_wins_over_preset(sessions_op: Operation) -> None:
    loaded = load_query(sessions_op, {"p": encode_token({"voice": "ash"}), "preset": "text-only"})
    assert loaded is not None and loaded.source == "link" and loaded.marked == ["voice"]


def test_bad_token_gives_the_default_form_and_the_reason(sessions_op: Operation) -> None:
    loaded = load_token(sessions_op, "1.%%%")
    assert loaded.error and "damaged" in loaded.error
    assert loaded.form.items() == []
    assert loaded.marked == []


def test_unknown_keys_and_misfits_are_named_not_dropped_quietly(sessions_op: Operation) -> None:
    body = {
        "voice": "ash",
        "colour": "blue",
        "temperature": "hot",
        "tools": [{"name": "f", "x": 1}],
    }
    loaded = load_body(sessions_op, body, "import")
    assert loaded.problems == {
        "colour": "Unknown parameter.",
        "temperature": 'Expected a number, got "hot".',
        "tools.0.x": "Unknown parameter.",
    }
    assert loaded.marked == ["voice", "temperature", "tools"]


def test_out_of_range_values_stay_in_the_form(sessions_op: Operation) -> None:
    loaded = load_body(sessions_op, {"temperature": 5, "speed": 0.1}, "link")
    assert loaded.problems == {}
    assert build_body(sessions_op.root, loaded.form).body == {"temperature": 5, "speed": 0.1}


def test_preset_and_unknown_preset(sessions_op: Operation) -> None:
    loaded = load_preset(sessions_op, "text-only")
    assert loaded.source == "preset" and loaded.title == "Preset: Text only"
    assert "modalities" in loaded.marked
    missing = load_preset(sessions_op, "nope")
    assert "no preset called 'nope'" in missing.error and "text-only" in missing.error


def test_body_that_is_not_an_object(sessions_op: Operation) -> None:
    loaded = load_body(sessions_op, [1], "import")
    assert loaded.problems == {"": "The body must be a JSON object."}
    assert loaded.marked == [] and loaded.body is None

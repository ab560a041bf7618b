"""What a link, a preset or a pasted body puts into the form."""

from __future__ import annotations

import pytest

from playground.codecs.link_state import (
    load_body,
    load_preset,
    load_query,
    load_token,
    operation_for_token,
)
from playground.codecs.share_token import encode_token
from playground.model.form_filler import (
    CARRIAGE_RETURNS,
    EMPTY_OPTIONAL,
    EMPTY_REQUIRED,
    WHOLE_FLOAT,
)
from playground.model.form_reader import build_body
from playground.model.operations import Operation, all_operations, get_operation
from playground.presets import presets_for


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
    assert list(loaded.form.items(multi=True)) == []
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
    # "temperature" was left out, so it was not set: neither counted nor marked.
    assert loaded.marked == ["voice", "tools"]
    assert build_body(sessions_op.root, loaded.form).body == {
        "voice": "ash",
        "tools": [{"name": "f"}],
    }


def test_empty_strings_are_named_and_not_counted_as_set(sessions_op: Operation) -> None:
    """An empty input means Unset, so the form cannot carry ``""``: it says so instead of
    dropping the key quietly, and does not mark the parameter as one the link set."""
    body = {"instructions": "", "voice": "ash", "tools": [{"name": "f", "description": ""}]}
    loaded = load_body(sessions_op, body, "link")
    assert loaded.problems == {
        "instructions": EMPTY_OPTIONAL,
        "tools.0.description": EMPTY_OPTIONAL,
    }
    assert EMPTY_OPTIONAL == (
        "An empty string, which the form leaves out (the server default applies)."
    )
    assert loaded.marked == ["voice", "tools"]
    built = build_body(sessions_op.root, loaded.form)
    assert built.body == {"voice": "ash", "tools": [{"name": "f"}]} and built.errors == {}


def test_an_empty_required_string_is_named_and_flagged_in_place(sessions_op: Operation) -> None:
    loaded = load_body(sessions_op, {"tools": [{"type": "function", "name": ""}]}, "import")
    assert loaded.problems == {"tools.0.name": EMPTY_REQUIRED}
    assert loaded.marked == ["tools"]
    assert build_body(sessions_op.root, loaded.form).errors == {"tools.0.name": "Required."}


@pytest.mark.parametrize(
    "value", ["whisper", 1, [], True], ids=["string", "number", "list", "boolean"]
)
def test_a_wrong_type_sets_nothing(sessions_op: Operation, value: object) -> None:
    """A nullable object given a string is left unset, not switched to Configure and sent as
    ``{}``; it is named, and neither counted nor marked."""
    loaded = load_body(sessions_op, {"input_audio_transcription": value}, "link")
    assert list(loaded.problems) == ["input_audio_transcription"]
    assert loaded.marked == []
    assert "input_audio_transcription@mode" not in loaded.form
    assert build_body(sessions_op.root, loaded.form).body == {}


def test_values_the_form_sends_back_otherwise_are_named(sessions_op: Operation) -> None:
    loaded = load_body(sessions_op, {"instructions": "a\r\nb"}, "link")
    assert loaded.problems == {} and loaded.altered == {"instructions": CARRIAGE_RETURNS}
    assert loaded.marked == ["instructions"]
    assert build_body(sessions_op.root, loaded.form).body == {"instructions": "a\nb"}
    ga = get_operation("client-secrets")
    fmt = load_body(
        ga, {"session": {"type": "realtime", "audio": {"input": {"format": {}}}}}, "link"
    )
    assert list(fmt.altered) == ["session.audio.input.format.type"]
    assert '"audio/pcm"' in fmt.altered["session.audio.input.format.type"]
    whole = load_body(ga, {"expires_after": {"anchor": "created_at", "seconds": 30.0}}, "link")
    assert whole.problems == {} and whole.altered == {"expires_after.seconds": WHOLE_FLOAT}
    assert build_body(ga.root, whole.form).body == {
        "expires_after": {"anchor": "created_at", "seconds": 30}
    }


@pytest.mark.parametrize(
    ("op_id", "name"), [(op, name) for op in all_operations() for name in presets_for(op)]
)
def test_presets_load_exactly_as_written(op_id: str, name: str) -> None:
    op = get_operation(op_id)
    loaded = load_preset(op, name)
    assert loaded.problems == {} and loaded.altered == {}
    assert loaded.body is not None and loaded.marked == list(loaded.body)
    assert build_body(op.root, loaded.form).body == loaded.body


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


def test_a_link_without_op_opens_the_operation_its_body_fits() -> None:
    """Links name op only for a non-default operation: when the operator changes the default,
    an old link still opens the operation whose keys its body has."""
    beta, ga = get_operation("sessions"), get_operation("client-secrets")
    ops = list(all_operations().values())
    beta_link = encode_token({"voice": "ash", "temperature": 0.7})
    ga_link = encode_token({"session": {"type": "transcription"}})
    assert operation_for_token(ga, ops, beta_link) is beta
    assert operation_for_token(beta, ops, ga_link) is ga
    assert operation_for_token(beta, ops, beta_link) is beta
    # Keys no operation knows, an empty body, a broken token: the default, which names them.
    assert operation_for_token(ga, ops, encode_token({"nope": 1, "voice": "ash"})) is ga
    assert operation_for_token(ga, ops, encode_token({})) is ga
    assert operation_for_token(beta, ops, "1.broken") is beta


def test_a_link_without_op_tells_the_two_ga_secrets_apart_by_what_they_accept() -> None:
    """Both GA client secrets take ``session`` and ``expires_after``: a link made while one was
    the default opens it, not the other, whichever is the default now."""
    beta, ga, translation = (
        get_operation(op_id)
        for op_id in ("sessions", "client-secrets", "translation-client-secrets")
    )
    ops = list(all_operations().values())
    ga_link = encode_token({"session": {"type": "realtime", "instructions": "Hi."}})
    translation_link = encode_token({"session": {"model": "gpt-realtime-translate"}})
    for default in (beta, ga, translation):
        assert operation_for_token(default, ops, ga_link) is ga
        assert operation_for_token(default, ops, translation_link) is translation
    # Accepted by neither: the default if its keys fit, else still undecided (the default).
    broken = encode_token({"session": {"voice": 1}})
    assert operation_for_token(translation, ops, broken) is translation
    assert operation_for_token(beta, ops, broken) is beta

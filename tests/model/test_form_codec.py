"""Form data -> body and body -> form data: omit, value and null for every parameter."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.model.form_data import FormData
from playground.model.form_filler import (
    CARRIAGE_RETURNS,
    EMPTY_OPTIONAL,
    EMPTY_REQUIRED,
    LINE_BREAKS_ONE_LINE,
    form_from_body,
)
from playground.model.form_names import row_index
from playground.model.form_reader import build_body
from playground.model.operations import get_operation
from playground.model.row_actions import add_row, remove_row
from playground.model.row_limits import MAX_ROWS, row_indices
from playground.model.schema import walk
from playground.web.forms import SessionForm

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

    unset = FormData(filled.form.items(multi=True))
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
    half = build_body(OP.root, {**base, "tools.0.parameters": '{"a": "\\ud800"}'})
    assert "half of a character" in half.errors["tools.0.parameters"]
    deep = build_body(OP.root, {**base, "tools.0.parameters": "[" * 9000 + "]" * 9000})
    assert "nested more than 64 levels" in deep.errors["tools.0.parameters"]


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


def test_add_row_stops_at_the_row_limit_where_the_schema_sets_no_max_items() -> None:
    """Add row stops where the reader and the filler cut (``MAX_ROWS``), not only at maxItems."""
    root = walk(
        {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    )
    data = FormData()
    for _ in range(MAX_ROWS + 3):
        add_row(root, data, "tags")
    assert row_indices(data, "tags") == list(range(MAX_ROWS))


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


# --- what the round trip below leaves out, and what the app does instead --------------------
#
# The property tests narrow the schema where a form cannot carry a valid body as it is. Each
# narrowing is a decision, tested here: the app never drops or changes such a value quietly,
# it names it (``Filled.problems``: left out, so not set; ``Filled.altered``: carried, but sent
# back otherwise), and the loaded banner lists both (tests/codecs/test_link_state.py).


@pytest.mark.parametrize(
    ("body", "path", "message", "left"),
    [
        ({"instructions": ""}, "instructions", EMPTY_OPTIONAL, {}),
        ({"model": ""}, "model", EMPTY_OPTIONAL, {}),  # an open choice: its custom input
        (
            {"tools": [{"name": "f", "description": ""}]},
            "tools.0.description",
            EMPTY_OPTIONAL,
            {"tools": [{"name": "f"}]},
        ),
        ({"tools": [{"name": ""}]}, "tools.0.name", EMPTY_REQUIRED, {"tools": [{}]}),
    ],
    ids=["top-level", "open-choice", "in-a-row", "required"],
)
def test_empty_string_is_named_not_carried(
    body: dict[str, Any], path: str, message: str, left: dict[str, Any]
) -> None:
    """Narrowing 1 (``_strings_non_empty``): an empty input means Unset, so ``""`` cannot be
    sent. It is named, the field stays unset (or empty and flagged "Required." when the object
    requires it), and nothing else changes."""
    filled = form_from_body(OP.root, body)
    assert filled.problems == {path: message}
    built = build_body(OP.root, filled.form)
    assert built.body == left
    assert built.errors == ({path: "Required."} if message == EMPTY_REQUIRED else {})


def test_empty_string_in_a_list_of_strings_is_carried() -> None:
    """...except as a row of a list of strings: a row is sent even when its input is empty."""
    body = {"session": {"type": "realtime", "audio": {"input": {"transcription": {}}}}}
    body["session"]["audio"]["input"]["transcription"]["languages"] = ["", "en"]
    filled = form_from_body(GA.root, body)
    assert filled.problems == {} and filled.altered == {}
    assert build_body(GA.root, filled.form).body == body


@pytest.mark.parametrize(
    ("body", "path", "message", "sent"),
    [
        ({"instructions": "a\r\nb"}, "instructions", CARRIAGE_RETURNS, {"instructions": "a\nb"}),
        ({"instructions": "a\rb"}, "instructions", CARRIAGE_RETURNS, {"instructions": "a\rb"}),
        (
            {"tools": [{"name": "a\nb"}]},
            "tools.0.name",
            LINE_BREAKS_ONE_LINE,
            {"tools": [{"name": "a\nb"}]},
        ),
    ],
    ids=["crlf-in-a-textarea", "cr-in-a-textarea", "lf-in-a-one-line-input"],
)
def test_line_breaks_a_browser_changes_are_named(
    body: dict[str, Any], path: str, message: str, sent: dict[str, Any]
) -> None:
    """Narrowing 2 (``_has_cr``): a browser turns CR and CRLF in a textarea into LF (and sends
    CRLF, which the builder turns back into LF), and drops line breaks from a one-line input.
    The value is carried and named in ``altered``. ``sent`` is what the form data here builds;
    a browser would also turn the lone CR into LF and drop the one-line input's LF."""
    filled = form_from_body(OP.root, body)
    assert filled.problems == {} and filled.altered == {path: message}
    assert build_body(OP.root, filled.form).body == sent


def test_empty_container_object_is_named_not_carried() -> None:
    """Narrowing 3 (``_no_empty_containers``): an optional object that requires nothing and
    cannot be null is sent when one of its fields is set, so ``{}`` cannot be told from leaving
    it out. It is named and left unset."""
    filled = form_from_body(OP.root, {"client_secret": {}})
    assert filled.problems == {"client_secret": "An empty object says no more than leaving it out."}
    assert build_body(OP.root, filled.form).body == {}


def test_missing_discriminator_is_named_as_added() -> None:
    """Narrowing 4 (``_discriminators_required``, GA only): choosing a branch always sends its
    ``type``, so a branch object given without it gains one. It is named in ``altered``."""
    body = {"session": {"type": "realtime", "audio": {"output": {"format": {"rate": 24000}}}}}
    filled = form_from_body(GA.root, body)
    assert filled.problems == {}
    assert list(filled.altered) == ["session.audio.output.format.type"]
    output = build_body(GA.root, filled.form).body["session"]["audio"]["output"]
    assert output == {"format": {"type": "audio/pcm", "rate": 24000}}


def test_a_misfit_row_is_left_out_not_sent_as_an_empty_row() -> None:
    body = {"session": {"type": "realtime", "audio": {"input": {"transcription": {}}}}}
    body["session"]["audio"]["input"]["transcription"]["languages"] = [5, "en"]
    filled = form_from_body(GA.root, body)
    assert filled.problems == {
        "session.audio.input.transcription.languages.0": "Expected a string, got 5."
    }
    built = build_body(GA.root, filled.form).body
    assert built["session"]["audio"]["input"]["transcription"] == {"languages": ["en"]}


GA = get_operation("client-secrets")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_valid_body_survives_the_form(round_trip_bodies: Any, data: st.DataObject) -> None:
    """body(form(B)) == B, to the type of every number.

    Two things a form cannot carry are left out of the generated bodies, by design: an empty
    string (an empty input means Unset) and a carriage return (browsers send CRLF for LF), as
    are empty container objects (see ``round_trip_bodies``). Loading them is tested above: each
    is named, never dropped quietly. (A line break in a one-line input round-trips here, where
    no browser drops it; ``altered`` names it.)
    """
    body = data.draw(round_trip_bodies(OP))
    filled = form_from_body(OP.root, body)
    assert filled.problems == {}
    built = build_body(OP.root, filled.form)
    assert built.errors == {}
    assert canonical(built.body) == canonical(body)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_valid_ga_body_survives_the_form(round_trip_bodies: Any, data: st.DataObject) -> None:
    """The same walker and builder carry the nested GA operation, unions and all."""
    body = data.draw(round_trip_bodies(GA))
    filled = form_from_body(GA.root, body)
    assert filled.problems == {}
    built = build_body(GA.root, filled.form)
    assert built.errors == {}
    assert canonical(built.body) == canonical(body)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("0", 0),
        ("12", 12),
        ("999999", 999999),
        ("²", None),
        ("٣", None),
        ("007", None),
        ("-1", None),
        ("", None),
        ("9" * 5000, None),
    ],
)
def test_row_numbers_are_read_as_the_page_writes_them(text: str, index: int | None) -> None:
    assert row_index(text) == index


def test_a_form_with_more_rows_than_the_api_takes_is_read_up_to_the_limit() -> None:
    """Posted rows past maxItems are neither read nor drawn: each costs inputs to build."""
    form = {"tools@mode": "set"} | {f"tools.{i}@row": "1" for i in range(300)}
    form |= {f"tools.{i}.name": f"f{i}" for i in range(300)}
    built = build_body(OP.root, form)
    assert [tool["name"] for tool in built.body["tools"]] == [f"f{i}" for i in range(128)]
    assert built.errors["tools"].startswith("At most 128 here: the 172 after")
    assert len(SessionForm(OP.root, FormData.of(form)).rows["tools"]) == 128
    assert build_body(OP.root, {**form, "tools.²@row": "1", "tools.².name": "x"}).body == built.body


def test_a_body_with_more_rows_than_the_api_takes_loads_up_to_the_limit() -> None:
    filled = form_from_body(OP.root, {"tools": [{"type": "function", "name": "f"}] * 5000})
    assert filled.problems["tools"].startswith("At most 128 here: the 4872 after")
    assert len(build_body(OP.root, filled.form).body["tools"]) == 128
    listed = form_from_body(OP.root, {"modalities": ["text"] * 5000})
    assert "modalities" in listed.problems
    assert build_body(OP.root, listed.form).body == {"modalities": ["text"] * 128}


@pytest.mark.parametrize("typed", ["1_0", "١.٥", "0x10", "1.5.2", "½"])
def test_numbers_are_ascii_as_a_number_input_sends_them(typed: str) -> None:
    """float() takes 1_0 and other scripts' digits; the form does not (it would send 10)."""
    number = build_body(OP.root, {"temperature@mode": "set", "temperature": typed})
    assert number.body == {} and typed in number.errors["temperature"]
    vad = {"turn_detection@mode": "set", "turn_detection.type": "server_vad"}
    whole = build_body(OP.root, {**vad, "turn_detection.silence_duration_ms": typed})
    assert whole.body == {"turn_detection": {"type": "server_vad"}}
    assert (
        whole.errors["turn_detection.silence_duration_ms"]
        == f"Must be a whole number; {typed!r} is not."
    )
    assert build_body(OP.root, {"temperature@mode": "set", "temperature": ".5"}).body == {
        "temperature": 0.5
    }


@pytest.mark.parametrize(
    "typed", ["1" * 256 * 1024 + "x", "1" * 128 * 1024 + "." + "1" * 128 * 1024 + "e"]
)
def test_a_number_field_of_a_whole_field_of_digits_is_read_in_linear_time(typed: str) -> None:
    """Once a minute for 40,000 digits: the number pattern could split a digit run anywhere.
    A hang guard (2 s), not a speed test."""
    started = time.perf_counter()
    number = build_body(OP.root, {"temperature@mode": "set", "temperature": typed})
    assert time.perf_counter() - started < 2.0
    assert number.body == {} and number.errors["temperature"].startswith("Must be a number;")

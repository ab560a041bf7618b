"""Strict JSON: what Python's json takes but the page could not show, send or link."""

from __future__ import annotations

import json

import pytest

from playground.model.strict_json import MAX_DEPTH, loads


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_plain_json_comes_back_as_it_is() -> None:
    text = '{"a": [1, 2.5, -0.0, null, true], "b": {"c": "Grüß \\u00e9 😀"}}'
    assert loads(text) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": NaN}', "NaN is not JSON"),
        ("[Infinity]", "Infinity is not JSON"),
        ('{"temperature": 1e400}', "the number 1e400 is too large"),  # was read as inf
        ("[-" + "9" * 400 + ".0]", "is too large"),
        ('{"a": "x\\ud800y"}', "half of a character"),
        ('{"\\udfff": 1}', "half of a character"),
        (_nested(MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels"),
        (_nested(200_000), f"nested more than {MAX_DEPTH} levels"),  # past the recursion limit
    ],
)
def test_what_cannot_be_shown_or_sent_is_refused_in_words(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        loads(text)


def test_a_paired_surrogate_and_the_deepest_allowed_nesting_are_fine() -> None:
    assert loads('"\\ud83d\\ude00"') == "😀"
    assert loads(_nested(MAX_DEPTH)) == json.loads(_nested(MAX_DEPTH))


def test_a_syntax_error_keeps_its_line_and_column() -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        loads('{\n  "a": }')
    assert (caught.value.lineno, caught.value.colno) == (2, 8)

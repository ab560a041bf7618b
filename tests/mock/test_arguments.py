"""A mock function call's arguments fit the tool's parameters schema (checked with jsonschema)
and take what the message says, not the whole message."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from playground.mock.arguments import arguments

BOOKING: dict[str, Any] = {
    "type": "object",
    "required": ["city", "nights", "room"],
    "properties": {
        "city": {"type": "string", "minLength": 2},
        "nights": {"type": "integer", "minimum": 1, "maximum": 14},
        "room": {"type": "string", "enum": ["single", "double", "suite"]},
        "arrival": {"type": "string", "format": "date"},
        "price": {"type": ["number", "null"], "exclusiveMinimum": 0},
        "breakfast": {"type": "boolean"},
        "guests": {
            "type": "array",
            "minItems": 2,
            "items": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 8}}},
        },
        "note": {"anyOf": [{"type": "null"}, {"type": "string"}]},
    },
}


@pytest.mark.parametrize(
    "typed",
    [
        "Book a suite in Oslo for 30 nights with breakfast",
        "call it",
        "city: Lisbon, nights=3, room is double",
        "",
    ],
)
def test_arguments_fit_the_parameters_schema(typed) -> None:
    made = arguments(BOOKING, typed)
    jsonschema.validate(made, BOOKING, format_checker=jsonschema.FormatChecker())
    assert set(made) == set(BOOKING["properties"])
    assert typed == "" or typed not in made.values()  # never the whole message pasted in


def test_arguments_take_what_the_message_says() -> None:
    made = arguments(BOOKING, "Book a suite in Oslo for 30 nights with breakfast")
    assert (made["city"], made["room"], made["nights"], made["breakfast"]) == (
        "Oslo",
        "suite",
        14,  # 30 asked, the schema's maximum kept
        True,
    )
    named = arguments(BOOKING, "city: Lisbon, nights=3, room is double")
    assert (named["city"], named["nights"], named["room"]) == ("Lisbon", 3, "double")


@pytest.mark.parametrize("parameters", [None, {}, {"type": "object"}, "nonsense"])
def test_no_parameters_give_an_empty_object(parameters) -> None:
    assert arguments(parameters, "call it") == {}


@pytest.mark.parametrize(
    "wild",
    [
        {"type": "array", "minItems": 10**9, "items": {"type": "string", "minLength": 10**9}},
        {"type": "number", "minimum": "abc", "maximum": 1e308 * 10},
        {"type": "integer", "minimum": True},
    ],
)
def test_a_wild_schema_gets_a_bounded_answer(wild) -> None:
    made = arguments({"type": "object", "properties": {"x": wild}}, "call it")
    assert len(json.dumps(made)) < 2000

"""The body validator: jsonschema's own Draft 2020-12 errors, in its order, while the items of
an array that a plain item schema passes are not descended into."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from playground.model.json_validator import BodyValidator

#: Item schemas checked in place (the first seven) and ones descended into as jsonschema does.
ITEM_SCHEMAS: list[Any] = [
    {"type": "string"},
    {"type": "string", "description": "A tool's name.", "maxLength": 3},
    {"const": "string"},
    {"enum": ["a", "b", 1, True]},
    {"type": ["integer", "null"], "minimum": 0, "maximum": 9},
    {"type": "number", "multipleOf": 0.5, "exclusiveMaximum": 3, "exclusiveMinimum": -1},
    {"type": "string", "pattern": "^t[0-9]+$", "minLength": 2},
    {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
    {"type": "array", "items": {"type": "string"}},
    {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    {},
    True,
    False,
]

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 12)
    | st.sampled_from([0.5, 1.0, 2.5, -0.5, 7.25])
    | st.sampled_from(["", "a", "b", "t1", "t22", "string", "long name"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.just("a"), inner, max_size=1),
    max_leaves=8,
)


def _errors(validator: type[Draft202012Validator], schema: Any, instance: Any) -> list[str]:
    return [
        json.dumps(
            [list(e.absolute_path), list(e.absolute_schema_path), e.validator, e.message],
            default=repr,
        )
        for e in validator(schema).iter_errors(instance)
    ]


@settings(max_examples=300, deadline=None)
@given(
    items=st.sampled_from(ITEM_SCHEMAS),
    prefix=st.sampled_from([None, [{"type": "integer"}]]),
    instance=st.lists(JSON, max_size=6) | JSON,
)
def test_its_errors_are_jsonschemas(items: Any, prefix: Any, instance: Any) -> None:
    """Every error, with its path and message, in jsonschema's order: for an array of items,
    after a prefix, nested in an array, or not an array at all."""
    schema: dict[str, Any] = {"type": "array", "items": items}
    if prefix is not None:
        schema["prefixItems"] = prefix
    for whole in (schema, {"type": "array", "items": schema}):
        assert _errors(BodyValidator, whole, instance) == _errors(
            Draft202012Validator, whole, instance
        )
        assert BodyValidator(whole).is_valid(instance) == (
            Draft202012Validator(whole).is_valid(instance)
        )

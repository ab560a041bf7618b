"""JSON values and the schemas that describe them: their types, how they read, their validators.

Shared by the walker, the node classes, the validation and the mock; nothing here knows about
nodes or forms.
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema.protocols import Validator

from playground.model.json_validator import BodyValidator

_VALIDATORS: dict[int, tuple[dict[str, Any], Validator]] = {}


def validator_for(schema: dict[str, Any]) -> Validator:
    """Give the compiled validator of a (resolved) schema, built once per schema object."""
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:  # the id of a collected dict can come back
        cached = (schema, BodyValidator(schema))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


def schema_types(schema: dict[str, Any]) -> list[str]:
    """Give the JSON types a schema names (``type``, or what ``const``/``properties`` imply)."""
    t = schema.get("type")
    if t is None:
        if "const" in schema:
            return [json_type(schema["const"])]
        if "properties" in schema:
            return ["object"]
        return []
    return [t] if isinstance(t, str) else list(t)


def const_of(schema: dict[str, Any]) -> Any:
    """Give the one value a schema allows (``const`` or a one-item ``enum``), else ``None``."""
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    return enum[0] if enum and len(enum) == 1 else None


def json_type(value: Any) -> str:
    """Give the JSON type of a value (``integer`` for ints, ``number`` for floats)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def may_be_valid(schema: dict[str, Any], value: Any) -> bool:
    """Say whether ``value`` may be valid for ``schema`` by its JSON type alone (``False`` only
    when the schema's ``type`` excludes it: a cheap test before a full validation)."""
    declared = schema.get("type")
    if declared is None:
        return True
    types = {declared} if isinstance(declared, str) else set(declared)
    kind = json_type(value)
    if kind in ("integer", "number"):  # 1.0 is an integer to some drafts
        return bool(types & {"integer", "number"})
    return kind in types


def same(a: Any, b: Any) -> bool:
    """Say whether two JSON values are equal as JSON (``true`` is not ``1``)."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def is_number(value: Any) -> bool:
    """Say whether a value is a JSON number (a bool is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_text(value: float) -> str:
    """Give a number as a person writes it (``1`` for ``1.0``)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def json_label(value: Any) -> str:
    """Give a value as a person reads it (``0.8``, ``off``, ``[text, audio]``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(json_label(v) for v in value) + "]"
    return str(value)


def short(value: Any, width: int = 40) -> str:
    """Give a value as JSON text, cut to ``width`` characters with ``...``."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."

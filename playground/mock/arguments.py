"""A mock function call's arguments, made to fit the tool's ``parameters`` schema.

Every declared property gets a value of its type: a value the message gives for it by name
(``city: Paris``, ``count=3``) or, for the first string and number, what the message holds (its
last capitalised word, its first number); else a sample that fits (an enum's first choice, the
minimum, ``"mock <name>"``). A string with a ``format`` is always that format's example.
Lengths, ranges and item counts are kept; a ``pattern`` is not solved.
"""

from __future__ import annotations

import re
from typing import Any

_FORMATS = {
    "date": "2026-01-01",
    "date-time": "2026-01-01T12:00:00Z",
    "time": "12:00:00",
    "email": "mock@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_PROPER = re.compile(r"(?<=\s)[A-Z][\w-]*")
_MAX_DEPTH = 8


def arguments(parameters: Any, typed: str) -> dict[str, Any]:
    """Give arguments for a function whose parameters schema is ``parameters``."""
    value = _Filler(typed).value(parameters, "", 0)
    return value if isinstance(value, dict) else {}


class _Filler:
    """Values for one message: what it says, each hint used once."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        words = _PROPER.findall(" " + typed.strip(" .!?"))
        self.proper = words[-1:] if words else []
        self.numbers = _NUMBER.findall(typed)[:1]

    def named(self, name: str) -> str | None:
        """Give what the message says after ``name`` (``name: value``, ``name=value``)."""
        if not name:
            return None
        said = re.search(rf"\b{re.escape(name)}\s*(?:[:=]|is)\s*\"?([^\",;]+)", self.typed, re.I)
        return said.group(1).strip(" .") if said else None

    def value(self, schema: Any, name: str, depth: int) -> Any:
        """Give a value that fits ``schema`` for the property ``name``."""
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            said = (self.named(name) or self.typed).lower()
            return next((c for c in schema["enum"] if str(c).lower() in said), schema["enum"][0])
        for key in ("anyOf", "oneOf"):
            branches = [b for b in schema.get(key) or [] if isinstance(b, dict)]
            typed = [b for b in branches if b.get("type") != "null"]
            if branches:
                return self.value(typed[0] if typed else branches[0], name, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties")
            if not isinstance(properties, dict):
                return {}
            return {key: self.value(sub, key, depth + 1) for key, sub in properties.items()}
        if kind == "array":
            count = max(1, int(schema.get("minItems", 1)))
            count = min(count, int(schema.get("maxItems", count)))
            return [self.value(schema.get("items"), name, depth + 1) for _ in range(count)]
        if kind in ("integer", "number"):
            return self._number(schema, name, kind == "integer")
        if kind == "boolean":
            return bool(name) and name.lower().replace("_", " ") in self.typed.lower()
        if kind == "string":
            return self._string(schema, name)
        return None

    def _string(self, schema: dict[str, Any], name: str) -> str:
        text, shaped = self.named(name), _FORMATS.get(str(schema.get("format")))
        if shaped is not None:
            return shaped  # a date or an address: a sample that has the shape
        if text is None and self.proper:
            text = self.proper.pop()
        if text is None:
            text = f"mock {name or 'value'}"
        low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
        text = text.ljust(low, "x")
        return text[: int(high)] if isinstance(high, int) else text

    def _number(self, schema: dict[str, Any], name: str, whole: bool) -> float | int:
        said = _NUMBER.search(self.named(name) or "")
        found = said.group(0) if said else (self.numbers.pop() if self.numbers else None)
        number = float(found) if found is not None else float(schema.get("minimum", 1))
        if "minimum" in schema:
            number = max(number, float(schema["minimum"]))
        if "exclusiveMinimum" in schema:
            number = max(number, float(schema["exclusiveMinimum"]) + 1)
        if "maximum" in schema:
            number = min(number, float(schema["maximum"]))
        if "exclusiveMaximum" in schema:
            number = min(number, float(schema["exclusiveMaximum"]) - 1)
        return round(number) if whole else number

"""A mock function call's arguments, made to fit the tool's ``parameters`` schema.

Every declared property gets a value of its type: a value the message gives for it by name
(``city: Paris``, ``count=3``) or, for the first string and number, what the message holds (its
last capitalised word, its first number); else a sample that fits (an enum's first choice, the
minimum, ``"mock <name>"``). A string with a ``format`` is always that format's example.
Lengths, ranges and item counts are kept (up to :data:`_MAX_ITEMS` items and
:data:`_MAX_LENGTH` characters: the schema is the caller's); a ``pattern`` is not solved.
"""

from __future__ import annotations

import math
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
#: Bounds on what a schema asks for (a tool's schema comes from the caller): items per list,
#: characters per string.
_MAX_ITEMS = 3
_MAX_LENGTH = 256


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
            count = min(max(1, _int(schema.get("minItems"), 1)), _MAX_ITEMS)
            count = min(count, _int(schema.get("maxItems"), count))
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
        low, high = min(_int(schema.get("minLength"), 0), _MAX_LENGTH), schema.get("maxLength")
        text = text.ljust(low, "x")
        return text[: int(high)] if isinstance(high, int) else text

    def _number(self, schema: dict[str, Any], name: str, whole: bool) -> float | int:
        said = _NUMBER.search(self.named(name) or "")
        found = said.group(0) if said else (self.numbers.pop() if self.numbers else None)
        low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
        above, below = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")
        number = float(found) if found is not None else (low if low is not None else 1.0)
        for floor in (low, None if above is None else above + 1):
            number = number if floor is None else max(number, floor)
        for ceiling in (high, None if below is None else below - 1):
            number = number if ceiling is None else min(number, ceiling)
        return round(number) if whole else number


def _int(value: Any, default: int) -> int:
    """Give ``value`` when it is a whole number (a bool is not), else ``default``."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _bound(schema: dict[str, Any], key: str) -> float | None:
    """Give a finite number bound of ``schema`` (None when absent or not a finite number)."""
    value = schema.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return float(value) if math.isfinite(value) else None

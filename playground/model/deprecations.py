"""Deprecated values and fields, read from the operation documents, judged on a given day.

The documents say what is deprecated (data, not code):

* on the schema that carries an enum (or on an ``anyOf`` of strings that holds it),
  ``"x-deprecated-values": [{"value": "gpt-realtime", "shutdown": "2027-01-20",
  "replacement": "..."}]`` (``replacement`` optional); a value typed as a custom value counts too;
* on a property, ``"deprecated": true`` with ``"x-deprecation": {"note": "..."}``.

Nothing here refuses a body: a deprecated value is a warning, told next to its field, in a
loaded link's banner and by the CLI; after its shutdown day the warning says the API refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from playground.model.form_reader import Built
from playground.model.schema import Node, iter_nodes


@dataclass(frozen=True)
class DeprecatedValue:
    """One value of an enum that is going away: when, and what to use instead."""

    value: str
    shutdown: date
    replacement: str = ""

    def is_shut_down(self, today: date) -> bool:
        """Say whether the value is past its shutdown day on ``today``."""
        return today >= self.shutdown

    def label(self, today: date) -> str:
        """Give the value as a choice in a dropdown shows it."""
        if self.is_shut_down(today):
            return f"{self.value} — shut down {self.shutdown.isoformat()}"
        return f"{self.value} — deprecated, shuts down {self.shutdown.isoformat()}"

    def warning(self, today: date) -> str:
        """Give the sentence shown when the value is chosen."""
        day = self.shutdown.isoformat()
        if self.is_shut_down(today):
            text = f"{self.value} was shut down on {day}: the API will refuse it."
        else:
            text = f"{self.value} is deprecated: it shuts down on {day}."
        if self.replacement:
            text += f" Use {self.replacement} instead."
        return text


@dataclass(frozen=True)
class Deprecation:
    """What is deprecated about one node: some of its values, or the whole field."""

    values: dict[str, DeprecatedValue] = field(default_factory=dict)
    field_note: str | None = None  # set when the field itself is deprecated

    def warning(self, name: str, value: Any, today: date) -> str:
        """Give the warning for ``value`` in this field, or an empty string."""
        found = self.values.get(value) if isinstance(value, str) else None
        if found is not None:
            return found.warning(today)
        if self.field_note:
            return f"{name} is deprecated: {self.field_note}"
        if self.field_note is not None:
            return f"{name} is deprecated."
        return ""


class DeprecationDataError(ValueError):
    """Raised when an ``x-deprecated-values`` entry is not well formed."""


def deprecated_values(schema: dict[str, Any]) -> dict[str, DeprecatedValue]:
    """Give the deprecated values a schema marks, here or in its ``anyOf``/``oneOf`` strings."""
    found: dict[str, DeprecatedValue] = {}
    for part in _string_parts(schema):
        for entry in part.get("x-deprecated-values") or []:
            item = _entry(entry)
            found[item.value] = item
    return found


def _string_parts(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield schema
    for alt in schema.get("anyOf") or schema.get("oneOf") or []:
        if isinstance(alt, dict):
            yield from _string_parts(alt)


def _entry(entry: Any) -> DeprecatedValue:
    if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
        raise DeprecationDataError(f"x-deprecated-values entry {entry!r} has no string 'value'")
    try:
        shutdown = date.fromisoformat(str(entry.get("shutdown")))
    except ValueError:
        raise DeprecationDataError(
            f"x-deprecated-values entry for {entry['value']!r}: 'shutdown' is not a YYYY-MM-DD day"
        ) from None
    return DeprecatedValue(entry["value"], shutdown, str(entry.get("replacement") or ""))


def deprecation_of(schema: dict[str, Any]) -> Deprecation | None:
    """Give what a node's schema marks as deprecated, or ``None``."""
    values = deprecated_values(schema)
    note = None
    if schema.get("deprecated") is True:
        note = str((schema.get("x-deprecation") or {}).get("note") or "")
    if not values and note is None:
        return None
    return Deprecation(values, note)


def _marks_deprecation(schema: dict[str, Any]) -> bool:
    return deprecation_of(schema) is not None


def _holds_deprecations(node: Node) -> bool:
    """Say whether a deprecated value or field may sit at ``node`` or inside it."""
    return node.marked_within(_marks_deprecation)


_TABLES: dict[int, tuple[Node, dict[str, Deprecation]]] = {}


def deprecations_in(root: Node) -> dict[str, Deprecation]:
    """Give every deprecation under ``root`` by form path (array rows as row 0); built once."""
    cached = _TABLES.get(id(root))
    if cached is None or cached[0] is not root:  # the id of a collected tree can come back
        table = {}
        for path, node in iter_nodes(root):
            found = deprecation_of(node.schema)
            if found is not None:
                table[path] = found
        cached = (root, table)
        _TABLES[id(root)] = cached
    return cached[1]


_ROW = re.compile(r"\.\d+(?=[.:@]|$)")


def row_zero(form_path: str) -> str:
    """Give a form path with every array row numbered 0 (the key of :func:`deprecations_in`)."""
    return _ROW.sub(".0", form_path)


def form_warnings(root: Node, built: Built, today: date) -> dict[str, str]:
    """Give the warning of every deprecated value or field in a built body, by form path."""
    found = _warnings(root, built.body, today)
    return {built.sources[path]: text for path, text in found.items() if path in built.sources}


def body_warnings(root: Node, body: Any, today: date) -> dict[str, str]:
    """Give the warning of every deprecated value or field in a body, by its dotted path."""
    return _warnings(root, body, today)


def _warnings(root: Node, body: Any, today: date) -> dict[str, str]:
    """Give the warnings of a body by dotted path, walking it with the tree (:meth:`Node.placed`,
    unions resolved as :meth:`Node.at` resolves them); a value that does not fit its field is
    not judged, as the form would not hold it."""
    if not deprecations_in(root):  # built once per tree: most operations have none to look for
        return {}
    warnings: dict[str, str] = {}
    for place in root.placed(body, enter=_holds_deprecations):
        if not place.path or place.value is None or place.node.misfit(place.value):
            continue
        name = str(place.path[-1])
        for node in (*place.unions, place.node):  # a union's schema holds its branches' marks
            found = deprecation_of(node.schema)
            text = found.warning(name, place.value, today) if found is not None else ""
            if text:
                warnings[".".join(map(str, place.path))] = text
                break
    return warnings


def today_from(setting: Any) -> date:
    """Give the day deprecations are judged on: ``setting`` (a date or YYYY-MM-DD) or today."""
    if isinstance(setting, date):
        return setting
    if setting:
        return date.fromisoformat(str(setting))
    return date.today()

"""Check a body against its operation's schema and the rules the schema declares as data.

Messages are keyed by the body's dotted path (``turn_detection.threshold``, ``tools.1.name``)
and say what is wrong in words a person reads, with the allowed range or values.
Inside a union whose branches are told apart by a tag (``type``), the value's tag picks the
branch whose errors are reported.
Three extension keywords carry the rules JSON Schema cannot say:

* ``x-unique-by: KEY`` on an array: no two items share ``item[KEY]``;
* ``x-only-when: {SIBLING: VALUE}`` on a property: it belongs only beside that sibling value;
* ``x-names-from: ARRAY`` on a string: besides its listed values it may only name an item
  (by ``name``) of the sibling array ``ARRAY``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from operator import attrgetter
from typing import Any, cast

from jsonschema.exceptions import ValidationError, relevance

from playground.model.json_values import json_type, number_text, same, short, validator_for
from playground.model.nodes import OMIT, Node


def validate_body(schema: dict[str, Any], root: Node, body: Any) -> dict[str, str]:
    """Give ``{body path: message}`` for everything wrong with ``body`` (empty when valid)."""
    errors: dict[str, str] = {}
    validator = validator_for(schema)
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path).__len__()):
        for path, message in _explain(error, root, body):
            errors.setdefault(path, message)
    if isinstance(body, dict):
        for path, message in broken_rules(root, body):
            errors.setdefault(path, message)
    return errors


def broken_rules(root: Node, body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Yield ``(body path, message)`` for each rule the schema declares as data that ``body``
    breaks (``x-unique-by``, ``x-only-when``, ``x-names-from``), each union's branch as the
    value's own."""
    objects: dict[tuple[str | int, ...], dict[str, Any]] = {}
    for placed in root.placed(body, enter=attrgetter("rules_within")):
        path = placed.path
        parents = tuple(objects[path[:n]] for n in range(len(path)) if path[:n] in objects)
        if isinstance(placed.value, dict):
            objects[path] = placed.value
        yield from placed.node.broken_rules(placed.value, _dotted(path), parents)


def _dotted(parts: Any) -> str:
    return ".".join(str(p) for p in parts)


# jsonschema's stubs type an error's ``validator_value``, ``instance`` and ``schema`` as possibly
# unset (an error made by hand); every error a validator yields has them, shaped by its keyword:
# the casts below say which shape.


def _explain(error: ValidationError, root: Node, body: Any) -> Iterator[tuple[str, str]]:
    path = _dotted(error.absolute_path)
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context:
        yield from _explain_union(error, root, body)
        return
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        for key in cast("list[str]", error.validator_value):
            if key not in present:
                yield _join(path, key), "Required."
        return
    if kind == "additionalProperties":
        schema = cast("dict[str, Any]", error.schema)
        instance = cast("dict[str, Any]", error.instance)  # the keyword applies to objects only
        allowed = set(schema.get("properties", {}))
        tag = _own_tag(schema, instance)
        where = f" for {tag[0]} {_show(tag[1])}" if tag else ""
        for key in instance:
            if key not in allowed:
                yield _join(path, key), f"Unknown parameter {key!r}{where}."
        return
    node = root.at(path, body)
    yield path, _message(error, node.resolve(error.instance) if node is not None else None)


def _explain_union(error: ValidationError, root: Node, body: Any) -> Iterator[tuple[str, str]]:
    """Yield the messages of the branch the value is for (``branch_for`` of the union's node).

    A union whose branches are told apart by a tag (``type: "mcp"``) is judged by the value's
    tag alone: its branch's own errors, or the list of tags when the value's tag is none of them.
    """
    path = _dotted(error.absolute_path)
    needed = _alternative_keys(error.validator_value)
    if needed:
        yield _join(path, needed[0]), f"One of {_or_words(needed)} is required."
        return
    union = root.at(path, body)
    key = union.tag_key_in(error.instance) if union is not None else None
    if union is not None and key is not None:
        branch = union.branch_for(error.instance)
        given = cast("dict[str, Any]", error.instance)[key]  # it carries the tag key
        if branch is None or branch.node.tag is OMIT:
            listed = ", ".join(_show(t) for t in union.branch_tags())
            yield _join(path, key), f"Must be one of {listed}; got {_show(given)}."
            return
        inner = [e for e in error.context if e.relative_schema_path[0] in branch.alternatives]
        if inner:
            for each in sorted(inner, key=lambda e: len(e.path)):
                yield from _explain(each, root, body)
            return
    yield from _explain(_branch_error(error, root, body), root, body)


def _alternative_keys(branches: Any) -> list[str]:
    """Give the keys of an ``anyOf``/``oneOf`` that only asks for one key of several, else []."""
    keys = []
    for branch in branches if isinstance(branches, list) else []:
        wanted = branch.get("required") if isinstance(branch, dict) else None
        if set(branch or {}) != {"required"} or not isinstance(wanted, list) or len(wanted) != 1:
            return []
        keys.append(str(wanted[0]))
    return keys if len(keys) > 1 else []


def _tags(branch: Any, key: str) -> list[Any]:
    """Give the values a branch allows for ``key`` when it fixes them (``const`` or ``enum``)."""
    properties = branch.get("properties") if isinstance(branch, dict) else None
    schema = properties.get(key) if isinstance(properties, dict) else None
    if not isinstance(schema, dict):
        return []
    if "const" in schema:
        return [schema["const"]]
    return list(schema.get("enum") or [])


def _own_tag(schema: dict[str, Any], value: Any) -> tuple[str, Any] | None:
    """Give the ``(key, value)`` of the single-valued tag that ``value`` carries, if any."""
    if not isinstance(value, dict):
        return None
    for key in schema.get("properties", {}):
        tags = _tags(schema, key)
        if len(tags) == 1 and key in value and same(value[key], tags[0]):
            return key, tags[0]
    return None


def _or_words(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def _branch_error(error: ValidationError, root: Node, body: Any) -> ValidationError:
    """Give the error of the branch the value is for.

    This is jsonschema's ``best_match`` among the errors of the union node's ``branch_for``
    (or, where the walker made one node of the alternatives, those of the value's JSON type),
    except that it stops at a nested union that :func:`_explain_union` can decide by its tag
    instead of descending into its branches.
    """
    union = root.at(_dotted(error.absolute_path), body)
    branch = union.branch_for(error.instance) if union is not None else None
    if branch is not None:
        fits: tuple[int, ...] = branch.alternatives
    else:
        alternatives = enumerate(cast("list[Any]", error.validator_value))
        fits = tuple(i for i, alt in alternatives if _type_fits(alt, error.instance))
    candidates = [e for e in error.context if e.relative_schema_path[0] in fits]
    best = max(candidates or error.context, key=relevance)
    while best.context and not _decided_by_tag(best, root, body):
        smallest = heapq.nsmallest(2, best.context, key=relevance)
        if len(smallest) == 2 and relevance(smallest[0]) == relevance(smallest[1]):
            return best
        best = smallest[0]
    return best


def _decided_by_tag(error: ValidationError, root: Node, body: Any) -> bool:
    if error.validator not in ("oneOf", "anyOf"):
        return False
    if _alternative_keys(error.validator_value):
        return True
    union = root.at(_dotted(error.absolute_path), body)
    return union is not None and union.tag_key_in(error.instance) is not None


def _type_fits(schema: Any, value: Any) -> bool:
    """Say whether ``value`` has a JSON type the alternative ``schema`` names."""
    if not isinstance(schema, dict):
        return False
    if "const" in schema:
        return json_type(schema["const"]) == json_type(value)
    types = schema.get("type")
    kind = json_type(value)
    kinds = {"integer", "number"} if kind in ("integer", "number") else {kind}
    return bool(kinds & set([types] if isinstance(types, str) else list(types or [])))


def _message(error: ValidationError, node: Node | None) -> str:
    kind, got = error.validator, _show(error.instance)
    value: Any = error.validator_value  # any JSON: the keyword's value
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if node is not None and node.range_words:
            return f"Must be {node.range_words}; got {got}."
        word = "at least" if kind == "minimum" else "at most"
        return f"Must be {word} {number_text(value)}; got {got}."
    if kind == "type":
        kinds = [value] if isinstance(value, str) else value
        return f"Must be {' or '.join(_TYPE_WORDS.get(k, k) for k in kinds)}; got {got}."
    if kind == "enum":
        return f"Must be one of {', '.join(_show(v) for v in value)}; got {got}."
    if kind == "const":
        return f"Must be {_show(value)}; got {got}."
    if kind == "uniqueItems":
        return "Each value may appear only once."
    if kind == "minLength":
        return "Must not be empty." if value == 1 else f"Must be at least {value} characters."
    if kind == "maxLength":
        return f"Must be at most {value} characters."
    if kind == "minItems":
        return f"Needs at least {value} item{'s' if value != 1 else ''}."
    if kind == "maxItems":
        return "At most 1 item is allowed." if value == 1 else f"At most {value} items are allowed."
    if kind == "pattern":
        return f"Must match the pattern {value}; got {got}."
    if kind == "not":
        return f"{got} is not allowed here."
    return error.message


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def _show(value: Any) -> str:
    return short(value, 60)


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)

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
import json
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, relevance

from .schema import (
    ArrayNode,
    Node,
    NumberNode,
    ObjectNode,
    StringNode,
    UnionNode,
    _const_of,
    _num,
    validator_for,
)


def validate_body(schema: dict[str, Any], root: Node, body: Any) -> dict[str, str]:
    """Give ``{body path: message}`` for everything wrong with ``body`` (empty when valid)."""
    errors: dict[str, str] = {}
    validator = validator_for(schema)
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path).__len__()):
        for path, message in _explain(error, root):
            errors.setdefault(path, message)
    if isinstance(body, dict):
        _check_rules(root, body, "", (), errors)
    return errors


def _dotted(parts: Any) -> str:
    return ".".join(str(p) for p in parts)


def _explain(error: ValidationError, root: Node) -> Iterator[tuple[str, str]]:
    path = _dotted(error.absolute_path)
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context:
        yield from _explain_union(error, root)
        return
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in present:
                yield _join(path, key), "Required."
        return
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        tag = _own_tag(error.schema, error.instance)
        where = f" for {tag[0]} {_show(tag[1])}" if tag else ""
        for key in error.instance:
            if key not in allowed:
                yield _join(path, key), f"Unknown parameter {key!r}{where}."
        return
    yield path, _message(error, _node_at_body_path(root, path))


def _explain_union(error: ValidationError, root: Node) -> Iterator[tuple[str, str]]:
    """Yield the messages of the branch the value was meant for.

    A union whose branches are told apart by a tag (``type: "mcp"``) is judged by the value's
    tag alone: its branch's own errors, or the list of tags when the value's tag is none of them.
    """
    path = _dotted(error.absolute_path)
    needed = _alternative_keys(error.validator_value)
    if needed:
        yield _join(path, needed[0]), f"One of {_or_words(needed)} is required."
        return
    tagged = _tagged_branches(error)
    if tagged is not None:
        key, chosen = tagged
        if not chosen:
            tags = [t for branch in error.validator_value for t in _tags(branch, key)]
            listed = ", ".join(_show(t) for t in tags)
            yield _join(path, key), f"Must be one of {listed}; got {_show(error.instance[key])}."
            return
        inner = [e for e in error.context if e.relative_schema_path[0] in chosen]
        if len(chosen) == 1 and inner:
            for each in sorted(inner, key=lambda e: len(e.path)):
                yield from _explain(each, root)
            return
    yield from _explain(_branch_error(error), root)


def _alternative_keys(branches: Any) -> list[str]:
    """Give the keys of an ``anyOf``/``oneOf`` that only asks for one key of several, else []."""
    keys = []
    for branch in branches if isinstance(branches, list) else []:
        wanted = branch.get("required") if isinstance(branch, dict) else None
        if set(branch or {}) != {"required"} or not isinstance(wanted, list) or len(wanted) != 1:
            return []
        keys.append(str(wanted[0]))
    return keys if len(keys) > 1 else []


def _tagged_branches(error: ValidationError) -> tuple[str, list[int]] | None:
    """Give the tag key and the indexes of the branches whose tag the value carries.

    ``None`` when the branches are not told apart by a tag or the value carries none.
    """
    branches, value = error.validator_value, error.instance
    if not isinstance(value, dict) or not isinstance(branches, list):
        return None
    objects = [b for b in branches if isinstance(b, dict) and isinstance(b.get("properties"), dict)]
    if len(objects) < 2:
        return None
    key = next((k for k in objects[0]["properties"] if all(_tags(b, k) for b in objects)), None)
    if key is None or key not in value:
        return None
    given = value[key]
    chosen = [
        index
        for index, branch in enumerate(branches)
        if any(_same(given, tag) for tag in _tags(branch, key))
    ]
    return key, chosen


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
        if len(tags) == 1 and key in value and _same(value[key], tags[0]):
            return key, tags[0]
    return None


def _same(a: Any, b: Any) -> bool:
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def _or_words(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def _branch_error(error: ValidationError) -> ValidationError:
    """Give the error of the branch the value was meant for (same type or discriminator).

    This is jsonschema's ``best_match``, except that it stops at a nested union that
    :func:`_explain_union` can decide by its tag instead of descending into its branches.
    """
    instance = error.instance
    branches = error.validator_value
    fits = []
    for index, branch in enumerate(branches):
        if _shape_matches(branch, instance):
            fits.append(index)
    candidates = [e for e in error.context if e.relative_schema_path[0] in fits]
    best = max(candidates or error.context, key=relevance)
    while best.context and not _decided_by_tag(best):
        smallest = heapq.nsmallest(2, best.context, key=relevance)
        if len(smallest) == 2 and relevance(smallest[0]) == relevance(smallest[1]):
            return best
        best = smallest[0]
    return best


def _decided_by_tag(error: ValidationError) -> bool:
    return error.validator in ("oneOf", "anyOf") and bool(
        _alternative_keys(error.validator_value) or _tagged_branches(error) is not None
    )


def _shape_matches(schema: dict[str, Any], value: Any) -> bool:
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        for key, sub in schema["properties"].items():
            const = _const_of(sub)
            if const is not None and key in value:
                return value[key] == const
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if "const" in schema:
        return value == schema["const"] or (isinstance(value, str) and not types == ["null"])
    return any(_is_type(value, t) for t in types)


def _is_type(value: Any, kind: str) -> bool:
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "null": lambda v: v is None,
    }
    return checks.get(kind, lambda v: False)(value)


def _message(error: ValidationError, node: Node | None) -> str:
    kind, value, got = error.validator, error.validator_value, _show(error.instance)
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(node, NumberNode) and node.range_label:
            return f"Must be {_range_words(node)}; got {got}."
        word = "at least" if kind == "minimum" else "at most"
        return f"Must be {word} {_num(value)}; got {got}."
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


def _range_words(node: NumberNode) -> str:
    kind = "a whole number" if node.integer else "a number"
    if node.minimum is not None and node.maximum is not None:
        return f"{kind} from {_num(node.minimum)} to {_num(node.maximum)}"
    if node.minimum is not None:
        return f"{kind} of at least {_num(node.minimum)}"
    return f"{kind} of at most {_num(node.maximum)}"  # type: ignore[arg-type]


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
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _node_at_body_path(root: Node, path: str) -> Node | None:
    node: Node | None = root
    for part in path.split(".") if path else []:
        if isinstance(node, UnionNode):
            node = next(
                (
                    b.node
                    for b in node.branches
                    if isinstance(b.node, ObjectNode | ArrayNode)
                    and (not isinstance(b.node, ObjectNode) or part in b.node.properties)
                ),
                None,
            )
        if isinstance(node, ObjectNode):
            node = node.properties.get(part)
        elif isinstance(node, ArrayNode):
            node = node.item
        else:
            return None
    if isinstance(node, UnionNode):
        numbers = [b.node for b in node.branches if isinstance(b.node, NumberNode)]
        return numbers[0] if numbers else node
    return node


def _check_only_when(
    node: ObjectNode, value: dict[str, Any], key: str, path: str, errors: dict[str, str]
) -> None:
    """Apply ``x-only-when: {SIBLING: VALUE}``: ``key`` belongs only beside that sibling value
    (given, or the sibling's default when it is left out)."""
    rule = node.properties[key].schema.get("x-only-when")
    for sibling, wanted in (rule or {}).items():
        given = sibling in value
        actual = value.get(sibling, node.properties[sibling].schema.get("default"))
        if actual != wanted:
            told = _show(actual) if given else f"{_show(actual)} (its default)"
            errors.setdefault(
                path, f"Applies only when {sibling} is {_show(wanted)}; {sibling} is {told}."
            )


def _check_rules(
    node: Node, value: Any, path: str, parents: tuple[dict[str, Any], ...], errors: dict[str, str]
) -> None:
    """Apply ``x-unique-by``, ``x-only-when`` and ``x-names-from`` below ``node``; ``parents``
    nearest last."""
    if isinstance(node, UnionNode):
        for branch in node.branches:
            if validator_for(branch.node.schema).is_valid(value) or (
                isinstance(value, dict)
                and isinstance(branch.node, ObjectNode)
                and _shape_matches(branch.node.schema, value)
            ):
                _check_rules(branch.node, value, path, parents, errors)
                return
        return
    if isinstance(node, ObjectNode) and isinstance(value, dict):
        for key, child in node.properties.items():
            if key in value:
                _check_only_when(node, value, key, _join(path, key), errors)
                _check_rules(child, value[key], _join(path, key), (*parents, value), errors)
    elif isinstance(node, ArrayNode) and isinstance(value, list) and node.item is not None:
        key = node.schema.get("x-unique-by")
        seen: dict[Any, int] = {}
        for index, item in enumerate(value):
            if key and isinstance(item, dict) and isinstance(item.get(key), str):
                name = item[key]
                if name in seen:
                    errors.setdefault(
                        _join(_join(path, index), key),
                        f"{node.item_label.capitalize()} {seen[name] + 1} already uses "
                        f"the {key} {_show(name)}.",
                    )
                else:
                    seen[name] = index
            _check_rules(node.item, item, _join(path, index), parents, errors)
    elif isinstance(node, StringNode) and node.names_from and isinstance(value, str):
        holder = next((p for p in reversed(parents) if node.names_from in p), {})
        items = holder.get(node.names_from)
        names = (
            [i.get("name") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        )
        if value not in node.choices and value not in names:
            fixed = ", ".join(node.choices)
            defined = ", ".join(_show(n) for n in names if isinstance(n, str)) or "none"
            also = f" or use {fixed}" if fixed else ""
            errors.setdefault(
                path,
                f"No function named {_show(value)} in {node.names_from} (defined: {defined}); "
                f"name one of them{also}.",
            )

"""Check a body against its operation's schema and the rules the schema declares as data.

Messages are keyed by the body's dotted path (``turn_detection.threshold``, ``tools.1.name``)
and say what is wrong in words a person reads, with the allowed range or values.
Two extension keywords carry the rules JSON Schema cannot say:

* ``x-unique-by: KEY`` on an array: no two items share ``item[KEY]``;
* ``x-names-from: ARRAY`` on a string: besides its listed values it may only name an item
  (by ``name``) of the sibling array ``ARRAY``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

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
        inner = _branch_error(error)
        yield from _explain(inner, root)
        return
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in present:
                yield _join(path, key), "Required."
        return
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield _join(path, key), f"Unknown parameter {key!r}."
        return
    yield path, _message(error, _node_at_body_path(root, path))


def _branch_error(error: ValidationError) -> ValidationError:
    """Give the error of the branch the value was meant for (same type or discriminator)."""
    instance = error.instance
    branches = error.validator_value
    fits = []
    for index, branch in enumerate(branches):
        if _shape_matches(branch, instance):
            fits.append(index)
    candidates = [e for e in error.context if e.relative_schema_path[0] in fits]
    return best_match(candidates or error.context)


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
        return f"At most {value} items are allowed."
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


def _check_rules(
    node: Node, value: Any, path: str, parents: tuple[dict[str, Any], ...], errors: dict[str, str]
) -> None:
    """Apply ``x-unique-by`` and ``x-names-from`` below ``node``; ``parents`` nearest last."""
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

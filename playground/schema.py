"""Walk a JSON Schema into a tree of typed nodes the form, body builder and validator share.

The walker knows nothing about Flask, Jinja or WTForms: schema in, node tree out.

Form paths
----------
Every node has a *form path*, the name of its input(s) in the HTML form:

* an object property appends ``.name``;
* an array row appends ``.N``;
* a union branch appends ``:key`` (so that the fields of two branches never share a name,
  even when both have, say, ``create_response``).

Dropping the ``:key`` segments gives the JSON path of the value in the body.
A node that can be left out or set to ``null`` has a *mode* input named ``PATH@mode``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from jsonschema import Draft202012Validator

JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null")


class SchemaError(ValueError):
    """Raised when a schema uses a construct the walker cannot turn into a form."""


@dataclass
class Node:
    """A value in the body: its schema, where it sits, and how it may be absent."""

    kind: ClassVar[str] = "node"

    schema: dict[str, Any]
    name: str = ""
    required: bool = False
    nullable: bool = False

    @property
    def description(self) -> str:
        """Give the schema's description, stripped."""
        return (self.schema.get("description") or "").strip()

    @property
    def has_default(self) -> bool:
        """Say whether the schema documents a server default."""
        return "default" in self.schema or "x-default-label" in self.schema

    @property
    def default_label(self) -> str:
        """Give the server default as a person reads it (``0.8``, ``off``, ``[text, audio]``)."""
        if "x-default-label" in self.schema:
            return str(self.schema["x-default-label"])
        if "default" not in self.schema:
            return ""
        return _json_label(self.schema["default"])

    @property
    def has_mode(self) -> bool:
        """Say whether the node needs a mode switch (unset / value / null)."""
        return not self.required or self.nullable

    def modes(self) -> list[tuple[str, str]]:
        """Give the (value, label) choices of the node's mode switch."""
        choices: list[tuple[str, str]] = []
        if not self.required:
            choices.append(("omit", "Unset"))
        choices.extend(self.value_modes())
        if self.nullable:
            choices.append(("null", "Off (null)"))
        return choices

    def value_modes(self) -> list[tuple[str, str]]:
        """Give the mode choices that produce a value."""
        return [("set", "Configure" if self.kind in ("object", "array") else "Set")]


@dataclass
class StringNode(Node):
    """A string; with ``choices`` a select, with ``open`` also a custom value."""

    kind: ClassVar[str] = "string"

    choices: list[str] = field(default_factory=list)
    open: bool = False
    multiline: bool = False
    names_from: str | None = None

    @property
    def is_enum(self) -> bool:
        """Say whether the value must be one of ``choices``."""
        return bool(self.choices) and not self.open


@dataclass
class NumberNode(Node):
    """An integer or a number, with its range."""

    kind: ClassVar[str] = "number"

    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None

    @property
    def step(self) -> str:
        """Give the HTML ``step``: whole numbers for integers, any for numbers."""
        return str(self.schema.get("x-step", "1" if self.integer else "any"))

    @property
    def range_label(self) -> str:
        """Give the range as a person reads it, or an empty string."""
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            return f"{_num(lo)} – {_num(hi)}"
        if lo is not None:
            return f"≥ {_num(lo)}"
        if hi is not None:
            return f"≤ {_num(hi)}"
        return ""


@dataclass
class BooleanNode(Node):
    """A boolean: unset, true or false."""

    kind: ClassVar[str] = "boolean"


@dataclass
class ConstNode(Node):
    """A value fixed by the schema (``"inf"``, a discriminator such as ``"function"``)."""

    kind: ClassVar[str] = "const"

    value: Any = None


@dataclass
class JsonNode(Node):
    """A free-form JSON value (a tool's ``parameters``): edited as JSON text."""

    kind: ClassVar[str] = "json"

    @property
    def expects_object(self) -> bool:
        """Say whether the JSON must be an object."""
        return _types(self.schema) == ["object"]


@dataclass
class EnumListNode(Node):
    """An array of distinct strings from a fixed set: a checkbox group."""

    kind: ClassVar[str] = "enumlist"

    choices: list[str] = field(default_factory=list)


@dataclass
class ArrayNode(Node):
    """An array of any other items: repeatable rows."""

    kind: ClassVar[str] = "array"

    item: Node | None = None
    max_items: int | None = None

    @property
    def item_label(self) -> str:
        """Give the word for one row (``tool``)."""
        return str(self.schema.get("x-item-label", "item"))


@dataclass
class ObjectNode(Node):
    """An object with known properties: a fieldset."""

    kind: ClassVar[str] = "object"

    properties: dict[str, Node] = field(default_factory=dict)
    discriminator: str | None = None

    @property
    def is_container(self) -> bool:
        """Say whether the object only groups optional fields (sent when one of them is set).

        Such an object cannot be null and requires nothing, so ``{}`` says no more than leaving
        it out: the form shows its fields at once instead of asking to "Configure" it first.
        """
        return (
            not self.nullable
            and not self.required
            and not any(child.required for child in self.properties.values())
        )

    def visible(self) -> Iterator[Node]:
        """Yield the properties a person fills in (not the discriminator)."""
        for key, node in self.properties.items():
            if key != self.discriminator:
                yield node


@dataclass
class Branch:
    """One alternative of a union: its key in the form, its label and its node."""

    key: str
    label: str
    node: Node


@dataclass
class UnionNode(Node):
    """A ``oneOf``/``anyOf`` of differently shaped values: a choice of branch, then its fields."""

    kind: ClassVar[str] = "union"

    branches: list[Branch] = field(default_factory=list)
    discriminator: str | None = None

    def value_modes(self) -> list[tuple[str, str]]:
        """Give one mode per branch."""
        return [(b.key, b.label) for b in self.branches]

    def branch(self, key: str) -> Branch | None:
        """Give the branch with this key, if any."""
        return next((b for b in self.branches if b.key == key), None)


_VALIDATORS: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """Give the compiled validator of a (resolved) schema, built once per schema object."""
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:  # the id of a collected dict can come back
        cached = (schema, Draft202012Validator(schema))
        _VALIDATORS[id(schema)] = cached
    return cached[1]


def resolve_refs(schema: Any, document: dict[str, Any], _seen: tuple[str, ...] = ()) -> Any:
    """Give a copy of ``schema`` with every local ``$ref`` replaced by its target."""
    if isinstance(schema, list):
        return [resolve_refs(s, document, _seen) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/") or ref in _seen:
            raise SchemaError(f"cannot resolve $ref {ref!r}")
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        merged = {**copy.deepcopy(target), **{k: v for k, v in schema.items() if k != "$ref"}}
        return resolve_refs(merged, document, (*_seen, ref))
    return {k: resolve_refs(v, document, _seen) for k, v in schema.items()}


def walk(schema: dict[str, Any], name: str = "", required: bool = True) -> Node:
    """Give the node tree for a resolved schema (no ``$ref`` left)."""
    nullable = False
    alternatives = [a for a in schema.get("oneOf") or schema.get("anyOf") or [] if _shaped(a)]
    if alternatives:
        rest = [alt for alt in alternatives if _types(alt) != ["null"]]
        nullable = len(rest) < len(alternatives)
        return _walk_union(schema, rest, name, required, nullable)
    types = _types(schema)
    if "null" in types:
        nullable = True
        types = [t for t in types if t != "null"]
    common = {"schema": schema, "name": name, "required": required, "nullable": nullable}
    if "const" in schema:
        return ConstNode(value=schema["const"], **common)
    kind = types[0] if len(types) == 1 else None
    if kind == "string":
        return _walk_string(schema, common)
    if kind in ("integer", "number"):
        return NumberNode(
            integer=kind == "integer",
            minimum=schema.get("minimum"),
            maximum=schema.get("maximum"),
            **common,
        )
    if kind == "boolean":
        return BooleanNode(**common)
    if kind == "array":
        items = schema.get("items") or {}
        fixed = items.get("enum") or ([items["const"]] if "const" in items else [])
        if _types(items) == ["string"] and fixed:
            return EnumListNode(choices=list(fixed), **common)
        return ArrayNode(
            item=walk(items, name, required=True), max_items=schema.get("maxItems"), **common
        )
    if kind == "object" and schema.get("properties"):
        wanted = set(schema.get("required", []))
        props = {
            key: walk(sub, key, required=key in wanted) for key, sub in schema["properties"].items()
        }
        return ObjectNode(properties=props, **common)
    return JsonNode(**common)


def _walk_string(schema: dict[str, Any], common: dict[str, Any]) -> StringNode:
    enum = schema.get("enum") or []
    if len(enum) == 1 and common["required"]:
        return ConstNode(value=enum[0], **common)  # type: ignore[return-value]
    return StringNode(
        choices=list(enum),
        multiline=schema.get("x-widget") == "textarea",
        names_from=schema.get("x-names-from"),
        **common,
    )


def _walk_union(
    schema: dict[str, Any],
    alternatives: list[dict[str, Any]],
    name: str,
    required: bool,
    nullable: bool,
) -> Node:
    common = {"schema": schema, "name": name, "required": required, "nullable": nullable}
    strings = [a for a in alternatives if _types(a) == ["string"] and "const" not in a]
    if alternatives and len(strings) == len(alternatives):
        # anyOf [enum, string]: a known list plus any other string (model, voice).
        choices = [c for a in strings for c in a.get("enum", [])]
        return StringNode(
            choices=choices,
            open=any("enum" not in a for a in strings),
            multiline=schema.get("x-widget") == "textarea",
            names_from=schema.get("x-names-from"),
            **common,
        )
    if len(alternatives) == 1:
        outer = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        node = walk({**outer, **alternatives[0]}, name, required)
        node.nullable = node.nullable or nullable
        node.schema = schema
        return node
    if len(strings) > 1:
        # Several plain-string alternatives (a known list, any string) are one open choice.
        merged = {"type": "string", "anyOf": strings, "title": "name"}
        rest = [a for a in alternatives if a not in strings]
        alternatives = [merged, *rest]
    discriminator = _discriminator(alternatives)
    branches: list[Branch] = []
    for index, alt in enumerate(alternatives):
        node = walk(alt, name, required=True)
        if isinstance(node, ObjectNode) and discriminator:
            node.discriminator = discriminator
        key = _branch_key(alt, node, discriminator) or str(index)
        if any(b.key == key for b in branches):
            key = f"{key}{index}"
        label = alt.get("title") or key
        branches.append(Branch(key=_slug(key), label=str(label), node=node))
    return UnionNode(branches=branches, discriminator=discriminator, **common)


def _shaped(schema: dict[str, Any]) -> bool:
    """Say whether an alternative describes a value (not only a constraint such as ``required``)."""
    return bool({"type", "const", "enum", "properties", "items", "oneOf", "anyOf"} & set(schema))


def _discriminator(alternatives: list[dict[str, Any]]) -> str | None:
    objects = [a for a in alternatives if _types(a) == ["object"]]
    if len(objects) < 2:
        return None
    for key in objects[0].get("properties", {}):
        if all(_const_of(a.get("properties", {}).get(key, {})) is not None for a in objects):
            return key
    return None


def _branch_key(alt: dict[str, Any], node: Node, discriminator: str | None) -> str | None:
    if isinstance(node, ConstNode):
        return str(node.value)
    if discriminator and isinstance(node, ObjectNode):
        return _const_of(alt["properties"][discriminator])
    types = _types(alt)
    return types[0] if len(types) == 1 else None


def _const_of(schema: dict[str, Any]) -> Any:
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    return enum[0] if enum and len(enum) == 1 else None


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if t is None:
        if "const" in schema:
            return [_json_type(schema["const"])]
        if "properties" in schema:
            return ["object"]
        return []
    return [t] if isinstance(t, str) else list(t)


def _json_type(value: Any) -> str:
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


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "x"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _json_label(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_json_label(v) for v in value) + "]"
    return str(value)


def iter_nodes(node: Node, path: str = "") -> Iterator[tuple[str, Node]]:
    """Yield ``(form path, node)`` for a node and everything below it (array rows not expanded)."""
    yield path, node
    if isinstance(node, ObjectNode):
        for key, child in node.properties.items():
            yield from iter_nodes(child, join(path, key))
    elif isinstance(node, UnionNode):
        for branch in node.branches:
            yield from iter_nodes(branch.node, f"{path}:{branch.key}")
    elif isinstance(node, ArrayNode) and node.item is not None:
        yield from iter_nodes(node.item, join(path, "0"))


def join(path: str, key: str) -> str:
    """Give ``path.key`` (or ``key`` at the root)."""
    return f"{path}.{key}" if path else key


def json_path(form_path: str) -> str:
    """Give the body's dotted path for a form path (branch keys dropped)."""
    return ".".join(part.split(":")[0] for part in form_path.split(".")) if form_path else ""

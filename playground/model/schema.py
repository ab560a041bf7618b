"""Walk a JSON Schema into a tree of typed nodes the form, body builder and validator share.

The walker knows nothing about Flask, Jinja or WTForms: schema in, node tree out. The node
classes (what each kind of value answers) live in :mod:`playground.model.nodes`,
:mod:`playground.model.leaf_nodes`, :mod:`playground.model.container_nodes` and
:mod:`playground.model.union_nodes`; the names of
the form's inputs in :mod:`playground.model.form_names`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any, TypedDict

from playground.model.container_nodes import ArrayNode, ObjectNode
from playground.model.form_names import join, json_path
from playground.model.json_values import const_of as _const_of
from playground.model.json_values import schema_types as _types
from playground.model.json_values import validator_for
from playground.model.leaf_nodes import (
    BooleanNode,
    ConstNode,
    EnumListNode,
    JsonNode,
    NumberNode,
    StringNode,
)
from playground.model.nodes import Branch, Node
from playground.model.select_union import SelectUnionNode, picked_string
from playground.model.union_nodes import UnionNode

__all__ = [
    "ArrayNode",
    "BooleanNode",
    "Branch",
    "ConstNode",
    "EnumListNode",
    "JsonNode",
    "Node",
    "NumberNode",
    "ObjectNode",
    "SchemaError",
    "SelectUnionNode",
    "StringNode",
    "UnionNode",
    "iter_nodes",
    "join",
    "json_path",
    "resolve_refs",
    "validator_for",
    "walk",
]


class _Common(TypedDict):
    """What every node is built with, whatever its kind."""

    schema: dict[str, Any]
    name: str
    required: bool
    nullable: bool


class SchemaError(ValueError):
    """Raised when a schema uses a construct the walker cannot turn into a form."""


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
    listed = enumerate(schema.get("oneOf") or schema.get("anyOf") or [])
    alternatives = [(index, a) for index, a in listed if _shaped(a)]
    if alternatives:
        rest = [(index, alt) for index, alt in alternatives if _types(alt) != ["null"]]
        nullable = len(rest) < len(alternatives)
        return _walk_union(schema, rest, name, required, nullable)
    types = _types(schema)
    if "null" in types:
        nullable = True
        types = [t for t in types if t != "null"]
    common = _Common(schema=schema, name=name, required=required, nullable=nullable)
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


def _walk_string(schema: dict[str, Any], common: _Common) -> StringNode | ConstNode:
    enum = schema.get("enum") or []
    if len(enum) == 1 and common["required"]:
        return ConstNode(value=enum[0], **common)
    return StringNode(
        choices=list(enum),
        multiline=schema.get("x-widget") == "textarea",
        names_from=schema.get("x-names-from"),
        **common,
    )


def _walk_union(
    schema: dict[str, Any],
    listed: list[tuple[int, dict[str, Any]]],
    name: str,
    required: bool,
    nullable: bool,
) -> Node:
    """Give the node of a union; ``listed`` holds its value alternatives with their indexes in
    the schema's ``oneOf``/``anyOf`` (kept on each branch, for the validation's messages)."""
    common = _Common(schema=schema, name=name, required=required, nullable=nullable)
    alternatives = [alt for _, alt in listed]
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
    groups: list[tuple[tuple[int, ...], dict[str, Any]]] = [((i,), alt) for i, alt in listed]
    if len(strings) > 1:
        # Several plain-string alternatives (a known list, any string) are one open choice.
        merged: dict[str, Any] = {"type": "string", "anyOf": strings, "title": "name"}
        indexes = tuple(index for index, alt in listed if alt in strings)
        groups = [(indexes, merged), *((i, a) for i, a in groups if a not in strings)]
    discriminator = _discriminator([alt for _, alt in groups])
    branches: list[Branch] = []
    for index, (indexes, alt) in enumerate(groups):
        node = walk(alt, name, required=True)
        if isinstance(node, ObjectNode) and discriminator:  # the walker builds the tree
            node.discriminator = discriminator
        key = _branch_key(alt, node, discriminator) or str(index)
        if any(b.key == key for b in branches):
            key = f"{key}{index}"
        label = alt.get("title") or key
        branches.append(Branch(_slug(key), str(label), node, indexes))
    if picked_string(branches, nullable) is not None:  # a voice: one select, not a switch
        return SelectUnionNode(branches=branches, discriminator=discriminator, **common)
    return UnionNode(branches=branches, discriminator=discriminator, **common)


def _shaped(schema: dict[str, Any]) -> bool:
    """Say whether an alternative describes a value (not only a constraint such as ``required``)."""
    return bool({"type", "const", "enum", "properties", "items", "oneOf", "anyOf"} & set(schema))


def _discriminator(alternatives: list[dict[str, Any]]) -> str | None:
    objects = [a for a in alternatives if _types(a) == ["object"]]
    if len(objects) < 2:
        return None
    properties: dict[str, Any] = objects[0].get("properties", {})
    for key in properties:
        if all(_const_of(a.get("properties", {}).get(key, {})) is not None for a in objects):
            return key
    return None


def _branch_key(alt: dict[str, Any], node: Node, discriminator: str | None) -> str | None:
    if node.is_fixed:
        return str(node.only_value)
    if discriminator and discriminator in alt.get("properties", {}):
        tag = _const_of(alt["properties"][discriminator])
        return None if tag is None else str(tag)
    types = _types(alt)
    return types[0] if len(types) == 1 else None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "x"


def iter_nodes(node: Node, path: str = "") -> Iterator[tuple[str, Node]]:
    """Yield ``(form path, node)`` for a node and everything below it (array rows not expanded)."""
    yield path, node
    for part in node.parts(path):
        yield from iter_nodes(part.node, part.path)

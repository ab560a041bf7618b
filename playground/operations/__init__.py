"""The operations the playground knows, each read from an OpenAPI document kept as data.

An operation is found by the ``x-playground`` extension on its OpenAPI operation object; adding
an operation means adding a ``*.openapi.json`` file here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..schema import Node, ObjectNode, resolve_refs, walk


@dataclass(frozen=True)
class Operation:
    """One API call: where it goes, its request schema and the node tree walked from it."""

    id: str
    label: str
    method: str
    path: str
    document: dict[str, Any] = field(repr=False)
    request_schema: dict[str, Any] = field(repr=False)
    response_schema: dict[str, Any] = field(repr=False)
    error_schema: dict[str, Any] = field(repr=False)
    root: Node = field(repr=False)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def summary(self) -> str:
        """Give the operation's description for the page."""
        op = self.document["paths"][self.path][self.method.lower()]
        return str(op.get("description") or op.get("summary") or "").strip()

    @property
    def fields(self) -> ObjectNode:
        """Give the root object of the request body."""
        assert isinstance(self.root, ObjectNode)
        return self.root


def _json_schema(document: dict[str, Any], media: dict[str, Any]) -> dict[str, Any]:
    schema = media.get("content", {}).get("application/json", {}).get("schema", {})
    return resolve_refs(schema, document)


def _load(name: str) -> list[Operation]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    document = json.loads(text)
    found = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            meta = op.get("x-playground")
            if not meta:
                continue
            request = _json_schema(document, op["requestBody"])
            responses = op.get("responses", {})
            found.append(
                Operation(
                    id=meta["id"],
                    label=meta["label"],
                    method=method.upper(),
                    path=path,
                    document=document,
                    request_schema=request,
                    response_schema=_json_schema(document, responses.get("200", {})),
                    error_schema=_json_schema(document, responses.get("400", {})),
                    root=walk(request),
                    extra=meta,
                )
            )
    return found


@cache
def all_operations() -> dict[str, Operation]:
    """Give every bundled operation by id, ordered by their ``x-playground.order``."""
    found = [
        op
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".openapi.json")
        for op in _load(entry.name)
    ]
    found.sort(key=lambda op: (op.extra.get("order", 100), op.id))
    return {op.id: op for op in found}


def get_operation(op_id: str | None = None) -> Operation:
    """Give the operation with this id (the first one when ``op_id`` is empty)."""
    ops = all_operations()
    if not op_id:
        return next(iter(ops.values()))
    try:
        return ops[op_id]
    except KeyError:
        raise KeyError(f"unknown operation {op_id!r}; known: {', '.join(ops)}") from None

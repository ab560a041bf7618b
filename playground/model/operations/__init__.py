"""The operations the playground knows, each read from an OpenAPI document kept as data.

An operation is found by the ``x-playground`` extension on its OpenAPI operation object; adding
an operation means adding a ``*.openapi.json`` file here, or, for an operator, to the folder the
``OPERATIONS_DIR`` setting names. :func:`load_operations` reads the folder it is given; each app
keeps its own set under :data:`EXTENSION_KEY` (``playground.web.app_operations``); elsewhere (the
CLI, tests) the bundled set or one a caller loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from playground.model.deprecations import DeprecationDataError, deprecations_in
from playground.model.schema import Node, ObjectNode, SchemaError, resolve_refs, walk

EXTENSION_KEY = "playground.operations"
#: An operation id goes into URLs (``?op=``) and CLI choices: lower-case words and dashes.
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_METHODS = ("get", "put", "post", "delete", "patch")


class OperationsError(ValueError):
    """Raised when an operation document cannot be served: the message names file and problem."""


@dataclass(frozen=True, eq=False)  # one object per loaded operation: hashed by identity
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
    source: str = ""  # the file it was read from, for messages

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
    # Resolving keeps a schema's shape: a request body's object schema stays a dict.
    return cast("dict[str, Any]", resolve_refs(schema, document))


def parse_document(source: str, text: str) -> list[Operation]:
    """Give the operations an OpenAPI document's text describes (raises :class:`OperationsError`
    naming ``source`` and the problem: not JSON, not OpenAPI, a bad ``x-playground`` block, a
    ``$ref`` that leads nowhere, a request schema the form cannot draw)."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise OperationsError(f"{source}: not JSON ({exc})") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise OperationsError(f'{source}: not an OpenAPI 3 document (no "openapi": "3.x")')
    if not isinstance(document.get("paths"), dict):
        raise OperationsError(f'{source}: an OpenAPI document needs a "paths" object')
    found = []
    for path, item in document["paths"].items():
        for method, op in (item or {}).items() if isinstance(item, dict) else ():
            if method in _METHODS and isinstance(op, dict) and "x-playground" in op:
                found.append(_operation(source, document, path, method, op))
    if not found:
        raise OperationsError(f'{source}: no operation has an "x-playground" block')
    return found


def _operation(
    source: str, document: dict[str, Any], path: str, method: str, op: dict[str, Any]
) -> Operation:
    where = f"{source}: {method.upper()} {path}"
    meta = op["x-playground"]
    if not isinstance(meta, dict):
        raise OperationsError(f"{where}: x-playground must be an object")
    missing = [key for key in ("id", "label") if not isinstance(meta.get(key), str)]
    if missing:
        raise OperationsError(f"{where}: x-playground lacks {', '.join(missing)} (strings)")
    if not _ID.match(meta["id"]):
        raise OperationsError(
            f"{where}: x-playground.id {meta['id']!r} must be lower-case letters, digits, dashes"
        )
    if not isinstance(meta.get("sdk", {}), dict):
        raise OperationsError(f"{where}: x-playground.sdk must be an object")
    if not isinstance(op.get("requestBody"), dict):
        raise OperationsError(f"{where}: no requestBody")
    try:
        request = _json_schema(document, op["requestBody"])
        responses = op.get("responses", {})
        response = _json_schema(document, responses.get("200", {}))
        error = _json_schema(document, responses.get("400", {}))
        root = walk(request)
        deprecations_in(root)
    except (SchemaError, DeprecationDataError) as exc:
        raise OperationsError(f"{where}: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:  # a $ref into a missing part
        raise OperationsError(f"{where}: cannot resolve a $ref ({exc!r} is not there)") from None
    if not isinstance(root, ObjectNode):
        raise OperationsError(
            f"{where}: the application/json request schema must be an object with properties"
        )
    return Operation(
        id=meta["id"],
        label=meta["label"],
        method=method.upper(),
        path=path,
        document=document,
        request_schema=request,
        response_schema=response,
        error_schema=error,
        root=root,
        extra=meta,
        source=source,
    )


def _ordered(found: Iterable[Operation]) -> dict[str, Operation]:
    """Give operations by id in ``x-playground.order``; two with one id are an error."""
    by_id: dict[str, Operation] = {}
    for op in sorted(found, key=lambda op: (op.extra.get("order", 100), op.id)):
        if op.id in by_id:
            raise OperationsError(
                f"{op.source}: operation id {op.id!r} is already used by {by_id[op.id].source}"
            )
        by_id[op.id] = op
    for op in by_id.values():
        successor = op.extra.get("successor")
        if successor is not None and successor not in by_id:
            raise OperationsError(
                f"{op.source}: x-playground.successor {successor!r} is not a known operation"
            )
    return by_id


@cache
def bundled_operations() -> dict[str, Operation]:
    """Give every operation that comes with the playground, by id, in their order."""
    entries = sorted(resources.files(__name__).iterdir(), key=lambda e: e.name)
    return _ordered(
        op
        for entry in entries
        if entry.name.endswith(".openapi.json")
        for op in parse_document(entry.name, entry.read_text(encoding="utf-8"))
    )


def load_operations(folder: str | Path | None = None) -> dict[str, Operation]:
    """Give the bundled operations plus every ``*.openapi.json`` in ``folder`` (if given)."""
    if not folder:
        return bundled_operations()
    where = Path(folder)
    if not where.is_dir():
        raise OperationsError(f"{where}: OPERATIONS_DIR is not a folder")
    found = list(bundled_operations().values())
    for path in sorted(where.glob("*.openapi.json")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OperationsError(f"{path}: cannot be read ({exc})") from None
        found.extend(parse_document(str(path), text))
    return _ordered(found)


def all_operations() -> dict[str, Operation]:
    """Give the bundled operations by id (an app's own set, with ``OPERATIONS_DIR``, is
    :func:`load_operations` of its folder, kept by the web layer)."""
    return bundled_operations()


def get_operation(op_id: str | None = None, ops: dict[str, Operation] | None = None) -> Operation:
    """Give the operation with this id (the first one when ``op_id`` is empty) from ``ops``
    (by default the bundled ones)."""
    known = all_operations() if ops is None else ops
    if not op_id:
        return next(iter(known.values()))
    try:
        return known[op_id]
    except KeyError:
        raise KeyError(f"unknown operation {op_id!r}; known: {', '.join(known)}") from None

"""The operation documents against the pinned openai SDK's request types: nothing drifts apart.

Both sides are walked into the same *facts* by field path: ``a.b`` for a property, ``a[]`` for
an array's items, ``a{}`` for the values of a map, ``a<type=x>`` for the object of a union told
apart by its ``type``. A fact is a path's kinds (string, integer, number, boolean, array,
object, map, any), its enum values, whether any string goes (``open``), ``nullable`` and
``required``. Deliberate differences are listed, each with its reason, in
``tests/fixtures/sdk_drift_allowed.json``; an entry that no longer matches fails too.
"""

from __future__ import annotations

import copy
import importlib
import json
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typing_extensions

from playground.model.operations import all_operations

ALLOWED = Path(__file__).parents[1] / "fixtures" / "sdk_drift_allowed.json"


@dataclass(frozen=True)
class Pair:
    """One SDK request type and the operation document it is compared with."""

    module: str  # the SDK module; its first ``__all__`` name is the params TypedDict
    operation: str  # the operation id
    part: str = ""  # a top-level key of both (compare only that), or "" for the whole body


#: Every SDK request type and its document. Adding a pair is one line.
PAIRS = (
    Pair("openai.types.beta.realtime.session_create_params", "sessions"),
    Pair("openai.types.realtime.client_secret_create_params", "client-secrets"),
    Pair("openai.types.realtime.call_create_params", "client-secrets", part="session"),
    Pair(
        "openai.types.realtime.translations.client_secret_create_params",
        "translation-client-secrets",
    ),
)

Facts = dict[str, dict[str, Any]]


def _fact(out: Facts, path: str, required: bool) -> dict[str, Any]:
    return out.setdefault(
        path,
        {"kinds": set(), "enum": set(), "open": False, "nullable": False, "required": required},
    )


# --- the SDK side: typing introspection ---------------------------------------------------

_REQUIRED = {typing.Required, typing_extensions.Required}
_NOT_REQUIRED = {typing.NotRequired, typing_extensions.NotRequired}
_LITERAL = {typing.Literal, typing_extensions.Literal}
_SEQUENCES = {list, Sequence, Iterable}


def _unwrap(tp: Any) -> tuple[Any, bool | None]:
    """Give a type without ``Required``/``NotRequired``/``Annotated``, and which it was."""
    required: bool | None = None
    while True:
        origin = typing.get_origin(tp)
        if origin in _REQUIRED or origin in _NOT_REQUIRED:
            required = origin in _REQUIRED
            tp = typing.get_args(tp)[0]
        elif origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        else:
            return tp, required


def _sdk_alternatives(tp: Any) -> list[Any]:
    tp, _ = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [alt for arg in typing.get_args(tp) for alt in _sdk_alternatives(arg)]
    return [tp]


def _sdk_tag(td: Any) -> str:
    hint = _unwrap(typing.get_type_hints(td, include_extras=True).get("type"))[0]
    values = typing.get_args(hint) if typing.get_origin(hint) in _LITERAL else ()
    return f"<type={values[0]}>" if len(values) == 1 else ""


def sdk_facts(tp: Any, path: str = "", out: Facts | None = None, required: bool = True) -> Facts:
    """Give the facts of an SDK type, by field path."""
    out = {} if out is None else out
    fact = _fact(out, path, required)
    for alt in _sdk_alternatives(tp):
        origin = typing.get_origin(alt)
        if alt is type(None):
            fact["nullable"] = True
        elif origin in _LITERAL:
            for value in typing.get_args(alt):
                fact["kinds"].add(_json_kind(value))
                fact["enum"].add(value) if isinstance(value, str) else None
        elif alt in (str, int, float, bool):
            kind = {str: "string", int: "integer", float: "number", bool: "boolean"}[alt]
            fact["kinds"].add(kind)
            fact["open"] = fact["open"] or alt is str
        elif typing_extensions.is_typeddict(alt):
            fact["kinds"].add(f"object{_sdk_tag(alt)}")
            hints = typing.get_type_hints(alt, include_extras=True)
            child = f"{path}{_sdk_tag(alt)}"
            for key, hint in hints.items():
                wanted = _unwrap(hint)[1]
                sdk_facts(hint, _join(child, key), out, alt.__total__ if wanted is None else wanted)
        elif origin in (dict, Mapping):
            fact["kinds"].add("map")
            sdk_facts(typing.get_args(alt)[1], f"{path}{{}}", out)
        elif origin in _SEQUENCES or getattr(origin, "__name__", "") == "SequenceNotStr":
            fact["kinds"].add("array")
            sdk_facts(typing.get_args(alt)[0], f"{path}[]", out)
        elif alt is object:
            fact["kinds"].add("any")
        else:
            raise TypeError(f"{path}: no rule for the SDK type {alt!r}")
    return out


# --- the document side: the resolved JSON Schema ------------------------------------------

_SHAPED = {"type", "const", "enum", "properties", "items", "oneOf", "anyOf"}


def _doc_alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    shaped = [a for a in schema.get("anyOf") or schema.get("oneOf") or [] if _SHAPED & set(a)]
    if not shaped:
        return [schema]
    return [alt for sub in shaped for alt in _doc_alternatives(sub)]


def _types(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type")
    if declared is not None:
        return [declared] if isinstance(declared, str) else list(declared)
    if "const" in schema:
        return [_json_kind(schema["const"])]
    return ["object"] if "properties" in schema else []


def _doc_tag(schema: dict[str, Any]) -> str:
    tag = schema.get("properties", {}).get("type", {})
    values = [tag["const"]] if "const" in tag else tag.get("enum", [])
    return f"<type={values[0]}>" if len(values) == 1 else ""


def doc_facts(
    schema: dict[str, Any], path: str = "", out: Facts | None = None, required: bool = True
) -> Facts:
    """Give the facts of a resolved JSON Schema, by field path."""
    out = {} if out is None else out
    fact = _fact(out, path, required)
    for alt in _doc_alternatives(schema):
        values = [alt["const"]] if "const" in alt else alt.get("enum")
        for kind in _types(alt) or ["any"]:
            if kind == "null":
                fact["nullable"] = True
            elif kind == "object" and alt.get("properties"):
                fact["kinds"].add(f"object{_doc_tag(alt)}")
                wanted = set(alt.get("required", []))
                for key, sub in alt["properties"].items():
                    doc_facts(sub, _join(f"{path}{_doc_tag(alt)}", key), out, key in wanted)
            elif kind == "object" and isinstance(alt.get("additionalProperties"), dict):
                fact["kinds"].add("map")
                doc_facts(alt["additionalProperties"], f"{path}{{}}", out)
            elif kind == "object":
                fact["kinds"].add("any")
            elif kind == "array":
                fact["kinds"].add("array")
                doc_facts(alt.get("items", {}), f"{path}[]", out)
            else:
                fact["kinds"].add(kind)
                if kind == "string" and values is None:
                    fact["open"] = True
        for value in values or []:
            if value is None:
                fact["nullable"] = True
            elif isinstance(value, str):
                fact["enum"].add(value)
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string"}.get(type(value), "object")


# --- the comparison -----------------------------------------------------------------------


def _under(path: str, tops: list[str]) -> bool:
    return any(path.startswith((top + ".", top + "[", top + "{", top + "<")) for top in tops)


def drift(sdk: Facts, doc: Facts) -> list[str]:
    """Give, one line each, what the SDK has that the document lacks and what differs."""
    found: list[str] = []
    gone: list[str] = []  # paths (and tagged objects) the document lacks: one line for all below
    extra: list[str] = []
    for path in sorted(p for p in sdk if p in doc):
        ours, theirs = doc[path], sdk[path]
        for kind in sorted(theirs["kinds"] - ours["kinds"]):
            found.append(f"{path}: union variant {kind} missing from the document")
            gone.append(path + kind.removeprefix("object") if kind.startswith("object<") else "")
        for kind in sorted(ours["kinds"] - theirs["kinds"]):
            found.append(f"{path}: union variant {kind} only in the document")
            extra.append(path + kind.removeprefix("object") if kind.startswith("object<") else "")
        for value in sorted(theirs["enum"] - ours["enum"]):
            found.append(f"{path}: enum value {value!r} missing from the document")
        for value in sorted(ours["enum"] - theirs["enum"]):
            found.append(f"{path}: enum value {value!r} only in the document")
        for key in ("open", "nullable", "required"):
            if ours[key] != theirs[key]:
                found.append(
                    f"{path}: {key} is {ours[key]} in the document, {theirs[key]} in the SDK"
                )
    for path in sorted(p for p in sdk if p not in doc):
        if not _under(path, gone):
            gone.append(path)
            found.append(f"{path}: missing from the document")
    for path in sorted(p for p in doc if p not in sdk):
        if not _under(path, extra):
            extra.append(path)
            found.append(f"{path}: only in the document")
    return found


def pair_drift(pair: Pair, request_schema: dict[str, Any]) -> list[str]:
    """Give the drift of one pair, with the document's request schema given."""
    module = importlib.import_module(pair.module)
    params = getattr(module, module.__all__[0])
    sdk, doc = sdk_facts(params), doc_facts(request_schema)
    if pair.part:
        sdk = _part(sdk, pair.part)
        doc = _part(doc, pair.part)
    return drift(sdk, doc)


def _part(facts: Facts, key: str) -> Facts:
    return {p: f for p, f in facts.items() if p == key or _under(p, [key])}


def _allowed() -> dict[str, list[dict[str, str]]]:
    return json.loads(ALLOWED.read_text(encoding="utf-8"))


def _pair_id(pair: Pair) -> str:
    return f"{pair.module.removeprefix('openai.types.')} -> {pair.operation}"


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_the_documents_have_what_the_sdk_has(pair: Pair) -> None:
    ops = all_operations()
    assert pair.operation in ops, f"no operation {pair.operation!r} for {pair.module}"
    pytest.importorskip(pair.module, reason=f"this openai SDK has no {pair.module}")
    allowed = _allowed().get(_pair_id(pair), [])
    for entry in allowed:
        assert entry.get("reason", "").strip(), f"{entry['finding']}: no reason given"
    found = pair_drift(pair, ops[pair.operation].request_schema)
    unexpected = [line for line in found if line not in {e["finding"] for e in allowed}]
    stale = [e["finding"] for e in allowed if e["finding"] not in found]
    assert not unexpected, "the SDK and the document differ:\n  " + "\n  ".join(unexpected)
    assert not stale, "allowed but no longer found (remove them):\n  " + "\n  ".join(stale)


def test_every_allowed_entry_belongs_to_a_pair() -> None:
    assert set(_allowed()) <= {_pair_id(pair) for pair in PAIRS}


def _without(schema: dict[str, Any], path: list[str], change: Any) -> dict[str, Any]:
    edited = copy.deepcopy(schema)
    target = edited
    for key in path:
        target = target[int(key)] if key.isdigit() else target[key]
    change(target)
    return edited


@pytest.mark.parametrize(
    ("where", "change", "named"),
    [
        (
            ["properties", "expires_after", "properties"],
            lambda s: s.pop("anchor"),
            "expires_after.anchor: missing from the document",
        ),
        (
            ["properties", "session", "oneOf", "0", "properties", "model", "anyOf", "0", "enum"],
            lambda s: s.remove("gpt-realtime-2.1"),
            "session<type=realtime>.model: enum value 'gpt-realtime-2.1' missing from the document",
        ),
        (
            ["properties", "session", "oneOf", "0", "properties", "tools", "items", "oneOf"],
            lambda s: s.pop(1),
            "session<type=realtime>.tools[]: union variant object<type=mcp> missing from the document",
        ),
        (
            ["properties", "session", "oneOf", "0", "properties", "max_output_tokens", "oneOf"],
            lambda s: s.pop(0),
            "session<type=realtime>.max_output_tokens: union variant integer missing from the document",
        ),
    ],
)
def test_the_checker_names_what_a_document_lost(where, change, named) -> None:
    schema = all_operations()["client-secrets"].request_schema
    pair = PAIRS[1]
    before = pair_drift(pair, schema)
    assert named not in before
    assert named in pair_drift(pair, _without(schema, where, change))

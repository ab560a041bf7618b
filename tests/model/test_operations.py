"""The bundled OpenAPI document: valid, and complete against the parameter reference."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from playground.model.operations import all_operations, get_operation
from playground.model.schema import resolve_refs
from playground.model.validation import validate_body

ROOT = Path(__file__).resolve().parents[2]
#: The team's reference schema, ``shared/reference/`` beside the repository; a copy is kept in
#: the fixtures so the tests run from any clone, and is checked against the original when it is
#: there.
GA_REFERENCE_NAME = "openai-realtime-client-secrets.schema.json"
GA_REFERENCE = ROOT / "tests" / "fixtures" / "reference" / GA_REFERENCE_NAME
GA_REFERENCE_SHARED = ROOT.parent / "shared" / "reference" / GA_REFERENCE_NAME

# From ../shared/reference/session-parameters.md: name -> (JSON types, enum or None,
# (min, max) or None, server default or missing, null turns it off).
MISSING = object()
PARAMETERS: dict[str, tuple[set[str], Any, Any, Any, bool]] = {
    "modalities": ({"array"}, ["text", "audio"], None, ["text", "audio"], False),
    "model": ({"string"}, None, None, MISSING, False),
    "instructions": ({"string"}, None, None, MISSING, False),
    "voice": ({"string"}, None, None, "alloy", False),
    "input_audio_format": ({"string"}, ["pcm16", "g711_ulaw", "g711_alaw"], None, "pcm16", False),
    "output_audio_format": ({"string"}, ["pcm16", "g711_ulaw", "g711_alaw"], None, "pcm16", False),
    "input_audio_transcription": ({"object"}, None, None, MISSING, True),
    "turn_detection": ({"object"}, None, None, MISSING, True),
    "input_audio_noise_reduction": ({"object"}, None, None, None, True),
    "tools": ({"array"}, None, None, [], False),
    "tool_choice": ({"string"}, None, None, "auto", False),
    "temperature": ({"number"}, None, (0.6, 1.2), 0.8, False),
    "max_response_output_tokens": ({"integer", "string"}, None, (1, 4096), "inf", False),
    "speed": ({"number"}, None, (0.25, 1.5), 1.0, False),
    "tracing": ({"string", "object"}, None, None, None, True),
    "client_secret": ({"object"}, None, None, MISSING, False),
}

NESTED = {
    "input_audio_transcription": ["model", "language", "prompt"],
    "turn_detection": [
        "type",
        "eagerness",
        "threshold",
        "prefix_padding_ms",
        "silence_duration_ms",
        "create_response",
        "interrupt_response",
    ],
    "input_audio_noise_reduction": ["type"],
    "tools.items": ["type", "name", "description", "parameters"],
    "tracing.oneOf.1": ["workflow_name", "group_id", "metadata"],
    "client_secret": ["expires_after"],
    "client_secret.expires_after": ["anchor", "seconds"],
}


def _types(schema: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for alt in schema.get("oneOf", []) + schema.get("anyOf", []):
        found |= _types(alt)
    t = schema.get("type")
    if isinstance(t, str):
        found.add(t)
    elif isinstance(t, list):
        found |= set(t)
    if "const" in schema:
        found.add(type(schema["const"]).__name__.replace("str", "string"))
    return found - {"null"}


def _accepts_null(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    return "null" in (t if isinstance(t, list) else [t]) or any(
        alt.get("type") == "null" for alt in schema.get("oneOf", [])
    )


def _dig(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    for part in dotted.split("."):
        if part == "items":
            schema = schema["items"]
        elif part.isdigit():
            schema = schema[int(part)]
        elif part == "oneOf":
            schema = schema["oneOf"]  # type: ignore[assignment]
        else:
            schema = schema["properties"][part] if "properties" in schema else schema[part]
    return schema


def test_every_bundled_document_is_valid_openapi() -> None:
    files = [
        f
        for f in resources.files("playground.model.operations").iterdir()
        if f.name.endswith(".json")
    ]
    assert files
    for entry in files:
        validate(json.loads(entry.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("op_id", "path", "python_call"),
    [
        ("sessions", "/realtime/sessions", "beta.realtime.sessions.create"),
        ("client-secrets", "/realtime/client_secrets", "realtime.client_secrets.create"),
        (
            "translation-client-secrets",
            "/realtime/translations/client_secrets",
            "realtime.translations.client_secrets.create",
        ),
    ],
)
def test_operation_is_found_by_its_extension(op_id: str, path: str, python_call: str) -> None:
    op = get_operation(op_id)
    assert (op.method, op.path) == ("POST", path)
    assert op_id in all_operations()
    assert op.extra["sdk"]["python"] == python_call


def test_operations_are_listed_in_their_order() -> None:
    assert list(all_operations()) == ["sessions", "client-secrets", "translation-client-secrets"]


def test_every_operation_takes_its_smallest_body(smallest_body) -> None:
    """The bodies the tests send as "any valid body" are valid for their operation."""
    for op in all_operations().values():
        assert validate_body(op.request_schema, op.root, smallest_body(op)) == {}, op.id


def test_unknown_operation_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="sessions"):
        get_operation("nope")


def test_all_sixteen_parameters_are_there_and_nothing_else(sessions_op) -> None:
    assert list(sessions_op.request_schema["properties"]) == list(PARAMETERS)
    assert sessions_op.request_schema["additionalProperties"] is False


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_parameter_matches_the_reference(sessions_op, name: str) -> None:
    schema = sessions_op.request_schema["properties"][name]
    types, enum, bounds, default, nullable = PARAMETERS[name]
    assert _types(schema) == types
    assert schema.get("description"), f"{name} has no description"
    if enum is not None:
        assert (schema.get("enum") or schema.get("items", {}).get("enum")) == enum
    if bounds is not None:
        ranged = next((s for s in [schema, *schema.get("oneOf", [])] if "minimum" in s), schema)
        assert (ranged.get("minimum"), ranged.get("maximum")) == bounds
    if default is not MISSING:
        assert schema["default"] == default
    assert _accepts_null(schema) is nullable


@pytest.mark.parametrize(("where", "keys"), list(NESTED.items()))
def test_nested_fields_are_there(sessions_op, where: str, keys: list[str]) -> None:
    assert list(_dig(sessions_op.request_schema["properties"], where)["properties"]) == keys


def test_ranges_of_nested_numbers(sessions_op) -> None:
    props = sessions_op.request_schema["properties"]
    threshold = props["turn_detection"]["properties"]["threshold"]
    seconds = props["client_secret"]["properties"]["expires_after"]["properties"]["seconds"]
    assert (threshold["minimum"], threshold["maximum"]) == (0, 1)
    assert (seconds["minimum"], seconds["maximum"], seconds["default"]) == (10, 7200, 60)


# Keywords that only document a schema; every other keyword (but ``x-*``) is compared.
# "deprecated" is an annotation too (the reference, older than SDK 3.57.0, lacks the
# connector_id deprecation): what is deprecated is tested in test_deprecations.
DOCUMENTATION = {
    "description",
    "title",
    "examples",
    "$comment",
    "$schema",
    "$id",
    "$defs",
    "deprecated",
}
# Keywords that lead to other paths, compared through the facts of those paths.
STRUCTURE = {"properties", "items", "oneOf", "anyOf", "required", "type"}


def _shaped(schema: dict[str, Any]) -> bool:
    return bool({"type", "const", "enum", "properties", "items", "oneOf", "anyOf"} & set(schema))


def _label(branch: dict[str, Any], siblings: list[dict[str, Any]]) -> str:
    """Give a branch's name in a path: its tag (``type=mcp``), else its JSON type."""
    objects = [s for s in siblings if s.get("properties")]
    for key, sub in branch.get("properties", {}).items():
        if "const" in sub and all("const" in o["properties"].get(key, {}) for o in objects):
            return f"{key}={sub['const']}"
    kind = branch.get("type", "const" if "const" in branch else "any")
    kind = "|".join(kind) if isinstance(kind, list) else kind
    return kind + "".join(f"+{k}" for k in ("enum", "const") if k in branch)


def _facts(
    schema: dict[str, Any], path: str = "", out: dict[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Give ``{path: facts}`` for every value a resolved schema describes.

    Paths are dotted, with ``[]`` for array items, ``{}`` for the values of an open map and
    ``<label>`` for a union branch. A ``null`` alternative becomes ``nullable``, so
    ``type: [integer, null]`` and ``oneOf: [integer, null]`` give the same facts.
    """
    out = {} if out is None else out
    types = schema.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    unions = [b for word in ("oneOf", "anyOf") for b in schema.get(word, [])]
    branches = [b for b in unions if _shaped(b)]
    values = [b for b in branches if b.get("type") != "null"]
    nullable = "null" in types or len(values) < len(branches)
    outer = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
    if len(values) == 1:
        _facts({**outer, **values[0]}, path, out)
        out[path]["nullable"] = out[path]["nullable"] or nullable
        return out
    facts: dict[str, Any] = {
        k: v
        for k, v in schema.items()
        if k not in DOCUMENTATION and k not in STRUCTURE and not k.startswith("x-")
    }
    facts["nullable"] = nullable
    facts.pop("additionalProperties", None)
    if isinstance(schema.get("additionalProperties"), bool):
        facts["additionalProperties"] = schema["additionalProperties"]
    if values:
        labels = [_label(b, values) for b in values]
        assert len(set(labels)) == len(labels), f"{path}: two branches would share a path"
        facts["alternatives"] = sorted(labels)
        for branch, label in zip(values, labels, strict=True):
            _facts(branch, f"{path}<{label}>", out)
    else:
        facts["type"] = sorted(t for t in types if t != "null")
    for word in ("oneOf", "anyOf"):
        needs = [sorted(b["required"]) for b in schema.get(word, []) if set(b) == {"required"}]
        if needs:
            facts[f"{word} required"] = sorted(needs)
    out[path] = facts
    wanted = set(schema.get("required", []))
    for key, sub in schema.get("properties", {}).items():
        child = f"{path}.{key}" if path else key
        _facts(sub, child, out)
        out[child]["required"] = key in wanted
    if isinstance(schema.get("items"), dict):
        _facts(schema["items"], f"{path}[]", out)
    if isinstance(schema.get("additionalProperties"), dict):
        _facts(schema["additionalProperties"], f"{path}{{}}", out)
    return out


def _differences(
    ours: dict[str, dict[str, Any]], reference: dict[str, dict[str, Any]]
) -> list[str]:
    found = [f"only in the reference: {p}" for p in reference if p not in ours]
    found += [f"only in ours: {p}" for p in ours if p not in reference]
    for path in (p for p in reference if p in ours and ours[p] != reference[p]):
        keys = sorted(set(ours[path]) | set(reference[path]))
        found += [
            f"{path or '(body)'}: {k} is {ours[path].get(k, '-')!r}, "
            f"reference {reference[path].get(k, '-')!r}"
            for k in keys
            if ours[path].get(k, "-") != reference[path].get(k, "-")
        ]
    return found


@pytest.fixture(scope="module")
def ga_reference() -> dict[str, Any]:
    """Give the reference request schema with its ``$ref``s resolved."""
    document = json.loads(GA_REFERENCE.read_text(encoding="utf-8"))
    return resolve_refs({k: v for k, v in document.items() if k != "$defs"}, document)


@pytest.mark.skipif(not GA_REFERENCE_SHARED.is_file(), reason="no shared/ beside this clone")
def test_the_fixture_copy_of_the_ga_reference_is_the_shared_one() -> None:
    assert GA_REFERENCE.read_bytes() == GA_REFERENCE_SHARED.read_bytes()


def test_ga_request_schema_matches_the_reference_path_by_path(ga_reference) -> None:
    ours = _facts(get_operation("client-secrets").request_schema)
    reference = _facts(ga_reference)
    assert _differences(ours, reference) == []
    assert len(reference) > 150  # every nested path was walked, not only the top level


def _edit(schema: dict[str, Any], dotted: str, change: Any) -> dict[str, Any]:
    edited = copy.deepcopy(schema)
    target = edited
    for part in dotted.split("."):
        target = target[int(part)] if part.isdigit() else target[part]
    change(target)
    return edited


@pytest.mark.parametrize(
    ("where", "change", "found"),
    [
        (
            "properties.expires_after.properties.seconds",
            lambda s: s.update(maximum=3600),
            "expires_after.seconds: maximum is 3600, reference 7200",
        ),
        (
            "properties.expires_after.properties",
            lambda s: s.pop("anchor"),
            "only in the reference: expires_after.anchor",
        ),
        (
            "properties.expires_after",
            lambda s: s.update(required=["seconds"]),
            "expires_after.seconds: required is True, reference False",
        ),
        (
            "properties.expires_after.properties.seconds",
            lambda s: s.update(type=["integer", "null"]),
            "expires_after.seconds: nullable is True, reference False",
        ),
        (
            "properties.session.oneOf.1.properties.type",
            lambda s: s.update(const="speech"),
            "only in ours: session<type=speech>",
        ),
    ],
)
def test_the_comparison_notices_a_difference(where, change, found) -> None:
    schema = get_operation("client-secrets").request_schema
    assert found in _differences(_facts(_edit(schema, where, change)), _facts(schema))

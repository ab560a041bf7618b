"""The answers the built-in mock gives, made from an operation's schemas (no Flask here).

A success echoes the request with the server defaults the request schema declares filled in,
then fills what the response schema adds: constants, an id, and the ephemeral secret
(``{"value": "ek_...", "expires_at": ...}``) wherever the response schema has an object that
requires ``value`` and ``expires_at``. Errors have the OpenAI shape
``{"error": {"message", "type", "param", "code"}}``.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable
from typing import Any

from playground.model.nodes import Node, resolved
from playground.model.operations import Operation

#: Seconds an ephemeral key lives when the request does not say (the API's default).
DEFAULT_TTL = 60
ID_PREFIX = "sess_"
SECRET_PREFIX = "ek_"

MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization "
    "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). This is the playground's "
    "built-in mock: any key is accepted."
)
NOT_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
    "using your HTTP library correctly. The OpenAI API expects a JSON payload.)"
)


def api_error(message: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """Give an OpenAI-style error body."""
    return {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }
    }


def validation_error(errors: dict[str, str]) -> dict[str, Any]:
    """Give the error body for the first problem ``validate_body`` found (it names the param)."""
    param, message = next(iter(errors.items()))
    if message.startswith("Unknown parameter"):
        return api_error(f"Unknown parameter: '{param}'.", param, "unknown_parameter")
    where = f"'{param}'" if param else "the request body"
    return api_error(f"Invalid value for {where}: {message}", param or None, "invalid_value")


def with_defaults(node: Node, value: Any) -> Any:
    """Give ``value`` with every absent property that has a schema ``default`` filled in (in a
    union, those of the branch the value is for)."""
    held, _ = resolved(node, value)
    if held is None:
        return copy.deepcopy(value)
    if isinstance(value, dict):
        known = {key: child for key, child, _item in held.items_of(value)}
        out = {
            key: with_defaults(child, item) if (child := known.get(key)) else copy.deepcopy(item)
            for key, item in value.items()
        }
        for key, default in held.defaults().items():
            if key not in out:
                out[key] = copy.deepcopy(default)
        return out
    if isinstance(value, list) and held.has_rows:
        return [
            with_defaults(child, item) if child else copy.deepcopy(item)
            for _index, child, item in held.items_of(value)
        ]
    return copy.deepcopy(value)


def ttl_seconds(schema: dict[str, Any], body: Any) -> int:
    """Give how long the ephemeral key lives: ``expires_after.seconds`` wherever the body has it,
    else that field's schema default, else :data:`DEFAULT_TTL`."""
    given = _find(body, "expires_after")
    if isinstance(given, dict) and isinstance(given.get("seconds"), int):
        return int(given["seconds"])
    declared = _find(schema, "expires_after")
    if isinstance(declared, dict):
        seconds = declared.get("properties", {}).get("seconds", {})
        if isinstance(seconds.get("default"), int):
            return int(seconds["default"])
    return DEFAULT_TTL


def _find(value: Any, key: str) -> Any:
    """Give the first value under ``key`` anywhere in nested dicts (breadth first)."""
    queue = [value]
    while queue:
        current = queue.pop(0)
        if isinstance(current, dict):
            if key in current:
                return current[key]
            queue.extend(v for v in current.values() if isinstance(v, dict))
    return None


def success(
    op: Operation, body: dict[str, Any], now: int, mint: Callable[[int], str] | None = None
) -> dict[str, Any]:
    """Give the 200 answer to a valid ``body``: the echo with defaults, an id and a secret
    (``mint(expires_at)`` makes its value; a random ``ek_…`` without it)."""
    ttl = ttl_seconds(op.request_schema, body)
    value = mint(now + ttl) if mint else SECRET_PREFIX + secrets.token_hex(16)
    secret = {"value": value, "expires_at": now + ttl}
    echo = with_defaults(op.root, body)
    return _shape(op.response_schema, echo, secret, ID_PREFIX + secrets.token_hex(12))


def _is_secret(schema: dict[str, Any]) -> bool:
    return {"value", "expires_at"} <= set(schema.get("required", []))


def _shape(
    schema: dict[str, Any], echo: dict[str, Any], secret: dict[str, Any], session_id: str
) -> dict[str, Any]:
    properties = schema.get("properties", {})
    if _is_secret(schema):
        # GA shape: the answer is the secret; the configuration sits in its object properties.
        out: dict[str, Any] = dict(secret)
        for key, sub in properties.items():
            if key not in out and sub.get("type") == "object":
                given = echo.get(key)
                value = dict(given) if isinstance(given, dict) else {}
                out[key] = _complete(sub, value, session_id, secret["expires_at"])
        return out
    # Beta shape: the configuration echoed at the top, the secret in an object property.
    out = _complete(schema, {}, session_id, secret["expires_at"])
    out.update({k: v for k, v in echo.items() if k not in properties})
    for key, sub in properties.items():
        if _is_secret(sub):
            out[key] = secret
    return out


def _complete(
    schema: dict[str, Any], value: dict[str, Any], session_id: str, expires_at: int
) -> dict[str, Any]:
    """Give ``value`` with the ``id`` and every other field the schema requires: fixed or
    enumerated values, ``expires_at`` (the secret's, as in the API reference's examples) and
    ``{}`` for a settings object the request left out."""
    properties = schema.get("properties", {})
    out: dict[str, Any] = {}
    if "id" in properties:
        out["id"] = session_id
    for key, sub in properties.items():
        if "const" in sub:
            out[key] = sub["const"]
    out.update(value)
    kind = str(out.get("type", ""))
    for key in schema.get("required", []):
        sub = properties.get(key, {})
        choices = sub.get("enum")
        if key in out:
            continue
        if choices:
            # e.g. ``object`` follows ``type``: "transcription" → "realtime.transcription_session"
            out[key] = next((c for c in choices if kind and kind in str(c)), choices[0])
            if key == "type":
                kind = str(out[key])
        elif key == "expires_at":
            out[key] = expires_at
        elif sub.get("type") == "object":
            out[key] = {}
    return out

"""Share tokens: every body the schema allows comes back identical; bad tokens say why."""

from __future__ import annotations

import base64
import json
import random
import zlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from playground.codecs.share_token import (
    MAX_JSON_BYTES,
    MAX_TOKEN_CHARS,
    VERSION,
    ShareError,
    decode_token,
    encode_token,
    share_query,
    share_url,
)
from playground.model.operations import all_operations, get_operation

SESSIONS = get_operation("sessions")


def _pack(raw: bytes, version: str = VERSION) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = packer.compress(raw) + packer.flush()
    return f"{version}." + base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _same(a: Any, b: Any) -> bool:
    """Say whether two bodies are the same JSON text: values, types and key order."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(from_schema(SESSIONS.request_schema))
def test_schema_bodies_round_trip_exactly(body: dict[str, Any]) -> None:
    token = encode_token(body)
    assert token.startswith(f"{VERSION}.")
    assert _same(decode_token(token), body)


@pytest.mark.parametrize("op_id", list(all_operations()))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_operation_s_bodies_round_trip_exactly(op_id: str, data: st.DataObject) -> None:
    body = data.draw(from_schema(get_operation(op_id).request_schema))
    assert _same(decode_token(encode_token(body)), body)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1),
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(),
            lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
            max_leaves=20,
        ),
    )
)
def test_any_json_object_round_trips_exactly(body: dict[str, Any]) -> None:
    assert _same(decode_token(encode_token(body)), body)


def test_token_is_url_safe_and_keeps_key_order() -> None:
    body = {"voice": "ash", "model": "gpt-realtime", "instructions": "Réponds en français ✓"}
    token = encode_token(body)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert list(decode_token(token)) == ["voice", "model", "instructions"]
    assert "=" not in token


def test_share_url_names_the_operation_only_when_asked() -> None:
    body = {"voice": "ash"}
    assert share_url("http://h:1/", body) == f"http://h:1/?p={encode_token(body)}"
    assert share_query("1.abc", "client_secrets") == "op=client_secrets&p=1.abc"


def test_truncated_token_is_refused() -> None:
    token = encode_token({"instructions": "hello " * 40, "voice": "ash"})
    for cut in (len(token) - 1, len(token) // 2, len(token) - 5):
        with pytest.raises(ShareError, match="truncated"):
            decode_token(token[:cut])
    with pytest.raises(ShareError, match="truncated"):
        decode_token(f"{VERSION}.")


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("1.abc$def", "characters a share link never has"),
        (_pack(b"not json at all"), "not JSON"),
        (_pack(b"[1, 2, 3]"), "not hold a JSON object"),
        (_pack(b'{"a": NaN}'), "not JSON"),
        (_pack(b'{"a": "\xff"}'), "not JSON"),
        (_pack(b'{"a": "\\ud800"}'), "cannot be used: .*half of a character"),
        (_pack(b"[" * 100 + b"]" * 100), "cannot be used: it is nested more than"),
        ("1." + base64.urlsafe_b64encode(b"\xff\xfe\xfd\xfc" * 8).decode().rstrip("="), "damaged"),
        (_pack(b'{"a": 1}') + "AAAA", "damaged"),
    ],
)
def test_tampered_token_is_refused(token: str, reason: str) -> None:
    with pytest.raises(ShareError, match=reason):
        decode_token(token)


def test_oversized_token_is_refused() -> None:
    with pytest.raises(ShareError, match="too long"):
        decode_token("1." + "A" * MAX_TOKEN_CHARS)


def test_deflate_bomb_is_refused_without_inflating_it_all() -> None:
    bomb = _pack(b'{"a": "' + b"x" * (20 * MAX_JSON_BYTES) + b'"}')
    assert len(bomb) < MAX_TOKEN_CHARS  # small on the wire, huge once inflated
    with pytest.raises(ShareError, match="unpacks to more than"):
        decode_token(bomb)


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (_pack(b'{"a": 1}', version="2"), "another version of the playground"),
        ("eJyrVkrOz0nNTc0rUbJSKkktLlGqBQA", "no version prefix"),
        ("v1.abc", "no version prefix"),
        ("", "no version prefix"),
    ],
)
def test_unknown_version_is_refused(token: str, reason: str) -> None:
    with pytest.raises(ShareError, match=reason):
        decode_token(token)


def test_body_too_large_for_a_link_is_refused_with_advice() -> None:
    rng = random.Random(7)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(30_000))
    with pytest.raises(ShareError, match="export"):
        encode_token({"instructions": noise})


def test_only_objects_and_real_json_are_shared() -> None:
    with pytest.raises(ShareError):
        encode_token([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ShareError, match="JSON"):
        encode_token({"temperature": float("nan")})

"""Share tokens: a request body as a short URL-safe string, and back.

A token is ``VERSION.`` followed by the base64url (no padding) of the raw-deflated canonical
JSON of the body: compact separators, keys in the body's own order (so the body comes back
exactly as it went in), UTF-8. The token carries the body only: never a key, organization,
project or gateway, which the playground keeps in the browser and out of the form.

Raw deflate has no checksum, so a hand-edited token that still inflates to a JSON object is
indistinguishable from a link someone made; it is loaded and validated like any other body.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from typing import Any
from urllib.parse import urlencode

from playground.model import strict_json

VERSION = "1"
MAX_TOKEN_CHARS = 16 * 1024
MAX_JSON_BYTES = 256 * 1024  # what a token may inflate to: stops deflate bombs

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_VERSION_PART = re.compile(r"[0-9]{1,4}")


class ShareError(ValueError):
    """Raised when a body cannot become a token or a token cannot become a body."""


def canonical_json(body: Any) -> bytes:
    """Give the compact UTF-8 JSON of ``body``, keys in their own order."""
    try:
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: strict_json refuses them on the way in
        raise ShareError("The body has half of a character (a lone surrogate).") from None
    except (TypeError, ValueError) as exc:
        raise ShareError(f"The body cannot be written as JSON: {exc}.") from None


def encode_token(body: dict[str, Any]) -> str:
    """Give the share token of a body (raises :class:`ShareError` when it is too large)."""
    if not isinstance(body, dict):
        raise ShareError("Only a JSON object can be shared.")
    raw = canonical_json(body)
    if len(raw) > MAX_JSON_BYTES:
        raise ShareError(
            f"The body is {len(raw):,} bytes, over the {MAX_JSON_BYTES // 1024} KB a link "
            "may carry; export it as a file instead."
        )
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    token = f"{VERSION}." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")
    if len(token) > MAX_TOKEN_CHARS:
        raise ShareError(
            f"The link would be {len(token):,} characters, over the limit of "
            f"{MAX_TOKEN_CHARS // 1024} KB; export the body as a file instead."
        )
    return token


def decode_token(token: str) -> dict[str, Any]:
    """Give the body a share token carries (raises :class:`ShareError` saying what is wrong)."""
    if len(token) > MAX_TOKEN_CHARS:
        raise ShareError(
            f"The link is too long ({len(token):,} characters; at most "
            f"{MAX_TOKEN_CHARS // 1024} KB are read)."
        )
    version, dot, payload = token.strip().partition(".")
    if not dot or not _VERSION_PART.fullmatch(version):
        raise ShareError("This is not a playground share link (it has no version prefix).")
    if version != VERSION:
        raise ShareError(
            f"The link was made by another version of the playground (format {version}; "
            f"this one reads format {VERSION})."
        )
    if not payload:
        raise ShareError("The link is truncated: it carries no configuration.")
    if not _BASE64URL.fullmatch(payload):
        raise ShareError("The link is damaged: it has characters a share link never has.")
    if len(payload) % 4 == 1:
        raise ShareError("The link is truncated: part of it is missing (copy the whole link).")
    try:
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise ShareError("The link is damaged: it is not valid base64url.") from None
    raw = _inflate(packed)
    try:
        body = strict_json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ShareError("The link is damaged: its content is not JSON.") from None
    except ValueError as exc:
        raise ShareError(f"The link's configuration cannot be used: {exc}.") from None
    if not isinstance(body, dict):
        raise ShareError("The link is damaged: it does not hold a JSON object.")
    return body


def _inflate(packed: bytes) -> bytes:
    unpacker = zlib.decompressobj(-15)
    try:
        raw = unpacker.decompress(packed, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise ShareError("The link is damaged: its content cannot be unpacked.") from None
    if len(raw) > MAX_JSON_BYTES or unpacker.unconsumed_tail:
        raise ShareError(
            f"The link unpacks to more than {MAX_JSON_BYTES // 1024} KB; it is not read."
        )
    if not unpacker.eof:
        raise ShareError("The link is truncated: part of it is missing (copy the whole link).")
    if unpacker.unused_data:
        raise ShareError("The link is damaged: it has extra data at the end.")
    return raw


def share_query(token: str, op_id: str | None = None) -> str:
    """Give the query string of a share link (``op`` first, when given)."""
    params = {"op": op_id} if op_id else {}
    params["p"] = token
    return urlencode(params, safe=".")


def share_url(base_url: str, body: dict[str, Any], op_id: str | None = None) -> str:
    """Give the share URL of a body on a playground served at ``base_url``."""
    return f"{base_url.rstrip('/')}/?{share_query(encode_token(body), op_id)}"

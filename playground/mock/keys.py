"""Ephemeral keys (``ek_…``) the built-in mock mints and later accepts, with no server state.

A key carries what it was minted with: the operation, the session as requested, its expiry.
That JSON is compressed and signed with an HMAC of the app's ``SECRET_KEY``, so any worker of
the same deployment (same key) accepts it until it expires, and nobody can forge or alter one.
Shape: ``ek_`` + URL-safe base64 of the payload + a fixed-length signature (only
``[A-Za-z0-9_-]``). A long session makes a long key: over about 8 KB a server with a header
limit (gunicorn's ``limit_request_field_size``, 8190 bytes) refuses the call's request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import zlib
from dataclasses import dataclass
from typing import Any

from playground.model import strict_json

PREFIX = "ek_"
_SIGNATURE_BYTES = 16
_SIGNATURE_CHARS = 22  # 16 bytes in base64 without padding
#: Keeps these signatures apart from anything else the app signs with the same SECRET_KEY.
_PURPOSE = b"playground.mock_keys\0"
#: A decompressed payload larger than this is no key of ours (the signature already vouches).
_MAX_PAYLOAD = 1024 * 1024


class KeyRefused(Exception):
    """Raised by :func:`verify`: the message says why, for the 401 the caller answers."""

    def __init__(self, message: str, code: str = "invalid_api_key") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class KeyClaims:
    """What a valid key was minted with."""

    operation: str  # the id of the operation that minted it, e.g. "client-secrets"
    session: dict[str, Any]  # the session of the minting request, as sent
    expires_at: int  # Unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret_key: str | bytes, payload: bytes) -> bytes:
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(key, _PURPOSE + payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def mint(secret_key: str | bytes, operation: str, session: dict[str, Any], expires_at: int) -> str:
    """Give a signed ``ek_…`` key carrying ``session`` until ``expires_at`` (Unix seconds)."""
    claims = {"op": operation, "session": session, "exp": int(expires_at)}
    payload = zlib.compress(json.dumps(claims, separators=(",", ":")).encode(), 6)
    return PREFIX + _b64(payload) + _b64(_signature(secret_key, payload))


def is_ephemeral(token: str) -> bool:
    """Give whether a Bearer token is meant as an ephemeral key (rather than an ``sk-`` key)."""
    return token.startswith(PREFIX)


def verify(secret_key: str | bytes, value: str, now: float | None = None) -> KeyClaims:
    """Give the claims of a key this app minted; raise :class:`KeyRefused` for a key that was
    not minted with this ``secret_key``, was altered, or has expired."""
    body = value[len(PREFIX) :] if value.startswith(PREFIX) else ""
    if len(body) <= _SIGNATURE_CHARS:
        raise KeyRefused("Incorrect ephemeral key provided: it is not a key this mock minted.")
    try:
        payload = _unb64(body[:-_SIGNATURE_CHARS])
        given = _unb64(body[-_SIGNATURE_CHARS:])
    except (binascii.Error, ValueError):
        raise KeyRefused("Incorrect ephemeral key provided: it is not valid base64.") from None
    if not hmac.compare_digest(given, _signature(secret_key, payload)):
        raise KeyRefused(
            "Incorrect ephemeral key provided: its signature does not match (it was altered, or "
            "minted by another playground with a different SECRET_KEY)."
        )
    try:
        inflater = zlib.decompressobj()
        claims = strict_json.loads(inflater.decompress(payload, _MAX_PAYLOAD).decode())
        claims = KeyClaims(str(claims["op"]), dict(claims["session"]), int(claims["exp"]))
    except (zlib.error, ValueError, KeyError, TypeError):  # UnicodeDecodeError is a ValueError
        raise KeyRefused("Incorrect ephemeral key provided: its content is unreadable.") from None
    current = time.time() if now is None else now
    if current >= claims.expires_at:
        ago = int(current - claims.expires_at)
        raise KeyRefused(
            f"The ephemeral key expired {ago} s ago: mint a new one (realtime/client_secrets).",
            "expired_api_key",
        )
    return claims

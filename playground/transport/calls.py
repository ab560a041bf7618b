"""The SDP exchange that starts a WebRTC call, as bytes and headers: no Flask here.

A call starts with ``POST {base}/realtime/calls``: with the server's key, a
``multipart/form-data`` body of the browser's offer (``sdp``) and the session (``session``,
JSON: the ``session`` object of the client secret request); with an ephemeral key minted by a
client secret request, the bare offer as ``application/sdp``. The API answers ``201`` with the
SDP answer and names the call in ``Location`` (``…/realtime/calls/{call_id}``). Which operation
can start a call, and where, is data: ``x-playground.call`` in its OpenAPI document.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playground.model.call_spec import CALL_ID
from playground.transport.client import encode_body
from playground.transport.masking import Secrets, holds_secret
from playground.transport.result import Result

SDP_TYPE = "application/sdp"


class OfferRefused(ValueError):
    """An offer that is not sent; the message is safe to show."""


def check_offer(offer: str, max_bytes: int) -> str:
    """Give the offer if it may be sent, or raise :class:`OfferRefused` saying why."""
    size = len(offer.encode("utf-8"))
    if not offer.strip():
        raise OfferRefused("The browser sent no SDP offer: start the call again.")
    if size > max_bytes:
        raise OfferRefused(
            f"The SDP offer is {size} bytes, more than this server sends ({max_bytes}): start "
            "the call again, or ask the operator to raise CALL_MAX_OFFER_BYTES."
        )
    if not offer.lstrip().startswith("v="):
        raise OfferRefused("That is not an SDP offer (it must start with v=0): start again.")
    return offer


def multipart(fields: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """Give a ``multipart/form-data`` body of ``(name, content type, value)`` fields, and its
    content type (with the boundary)."""
    while True:
        boundary = "playground-" + secrets.token_hex(16)
        if not any(boundary.encode() in value for _, _, value in fields):
            break
    out = bytearray()
    for name, content_type, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n'.encode()
        out += f"Content-Type: {content_type}\r\n\r\n".encode()
        out += value + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def unified_request(
    offer: str, session: Any | None, headers: dict[str, str]
) -> tuple[bytes, dict[str, str]]:
    """Give the body and headers of a call with the server's key: the offer and the session
    (as the SDK sends them: ``sdp`` as ``application/sdp``, ``session`` as JSON)."""
    fields = [("sdp", SDP_TYPE, offer.encode("utf-8"))]
    if session is not None:
        fields.append(("session", "application/json", encode_body(session)))
    data, content_type = multipart(fields)
    return data, {**headers, "Content-Type": content_type, "Accept": SDP_TYPE}


def ephemeral_request(offer: str, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """Give the body and headers of a call with an ephemeral key (``headers`` carry it): the
    bare offer; the key carries the session."""
    return offer.encode("utf-8"), {**headers, "Content-Type": SDP_TYPE, "Accept": SDP_TYPE}


def call_id_of(location: str) -> str | None:
    """Give the call id ``Location`` names (``…/realtime/calls/{call_id}``), if it is one.

    ``location`` is :attr:`Result.location`, secrets already masked: a masked stretch (``[your
    key]``) is never part of a call id, so an id that was a secret is none.
    """
    try:
        path = urlsplit(location.strip()).path
    except ValueError:
        return None
    last = path.rstrip("/").rpartition("/")[2]
    return last if CALL_ID.fullmatch(last) else None


@dataclass(frozen=True)
class CallAnswer:
    """What the browser needs to finish its peer connection: the SDP answer and the call id."""

    sdp: str
    call_id: str | None

    def as_json(self) -> dict[str, Any]:
        """Give the JSON the page's script reads."""
        return {"sdp": self.sdp, "call_id": self.call_id}


def answer_of(result: Result, hidden: Secrets, max_bytes: int) -> CallAnswer | None:
    """Give the SDP answer of a successful exchange; else None, with ``result``'s failure said
    for a call (a 2xx that is no SDP answer, an answer over ``max_bytes``)."""
    if result.failure_kind == "too_large":
        result.failure = (
            f"The gateway's answer was larger than {max_bytes} bytes and was cut off there: "
            "check the gateway URL, or ask the operator to raise CALL_MAX_ANSWER_BYTES."
        )
        return None
    if (
        result.status is None
        or not 200 <= result.status < 300
        or result.failure_kind
        not in (
            "",
            "not_json",
        )
    ):
        return None
    text = result.raw.decode("utf-8", errors="replace")
    if not text.lstrip().startswith("v="):
        kind = result.content_type.split(";")[0].strip() or "no content type"
        result.failure_kind = "not_sdp"
        result.failure = (
            f"The gateway answered {result.status} with {kind}, not an SDP answer: check that "
            "it supports WebRTC calls (POST /realtime/calls)."
        )
        return None
    if holds_secret(text, hidden):
        # An SDP answer never holds a credential: one that does (however escaped or split) is
        # not passed to the browser, not even masked.
        result.failure_kind = "not_sdp"
        result.failure = "The gateway's answer repeated a credential, so it was not passed on."
        result.text = ""
        return None
    return CallAnswer(text, call_id_of(result.location))

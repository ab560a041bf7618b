"""The lines that tell a visitor why a send did not give a usable answer, and what to try.

Every failure is told by its type or its numbers alone, never by an exception's text: the text
of a ``requests`` error can hold a header value (the key) or the gateway URL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import requests
from urllib3.exceptions import LocationParseError, NameResolutionError

from playground.model.json_values import number_text
from playground.transport.checks import NOT_A_URL
from playground.transport.targets import AddressRefused

_log = logging.getLogger(__name__)

_KNOWN_STATUSES = {
    400: "The API rejected the request: read the message; the parameter it names is "
    "marked in the form.",
    401: "The API did not accept the credentials: check the API key (and the "
    "organization and project, if set).",
    403: "The key may not do this: check the project's permissions and the model's access.",
    404: "Not found: check that the gateway URL is the API's base URL (usually ending in "
    "/v1) and that the gateway supports this endpoint.",
    408: "The API timed out reading the request: try again.",
    413: "The request body is too large for the gateway.",
    415: "The gateway does not accept JSON bodies here: check the gateway URL.",
    422: "The gateway could not process the request: read the message.",
    429: "Rate limited or out of quota: wait (see retry-after and x-ratelimit-reset-*) "
    "or check the account's billing and limits.",
}


def explain_status(status: int) -> str:
    """Give what an HTTP status from the API usually means and what to try."""
    if 200 <= status < 300:
        return ""
    if 300 <= status < 400:
        return (
            "The gateway answered with a redirect, which is not followed: use the address it "
            "redirects to as the gateway URL (check https and the /v1 at the end)."
        )
    if status in _KNOWN_STATUSES:
        return _KNOWN_STATUSES[status]
    if status >= 500:
        return "The gateway or the API failed on its side: try again in a moment."
    return "The gateway refused the request: read the message."


def explain_deadline(seconds: float, answered: bool) -> str:
    """Give the line for a send abandoned at its deadline: while the answer was still coming
    (``answered``) or before it started."""
    after = number_text(seconds)
    if answered:
        return (
            f"The gateway was still sending after {after} s and the response was abandoned: "
            "try again, or check the gateway."
        )
    return (
        f"The gateway had not answered after {after} s and the send was abandoned: try again, "
        "or check the gateway."
    )


def explain_too_large(max_bytes: int) -> str:
    """Give the line for an answer cut off at the size cap ``max_bytes``."""
    return (
        f"The response was larger than {_size(max_bytes)} and was cut off there: check the "
        "gateway URL, or raise SEND_MAX_BYTES if this gateway really answers that much."
    )


def explain_not_json(status: int | None, content_type: str, unusable: str) -> str:
    """Give the line for an answer that is not JSON a page can show: ``unusable`` says why JSON
    was refused; else ``content_type`` is what came (``""`` for an empty body)."""
    if unusable:
        return (
            f"The gateway answered {status} with JSON the page cannot show ({unusable}): "
            "its start is shown as text."
        )
    return (
        f"The gateway answered {status} with {content_type or 'an empty body'}, not JSON: "
        "check that the gateway URL is the API's base URL (usually ending in /v1)."
    )


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """Give ``(kind, one line)`` for a transport error, from its type alone."""
    chain = list(_causes(exc))
    refused = next((e for e in chain if isinstance(e, AddressRefused)), None)
    if refused is not None:  # its text says why, never the host
        return "blocked", (
            f"This server does not send to internal addresses ({refused}): use a public "
            "gateway, or ask the operator to add it to GATEWAYS or SSRF_ALLOWED_HOSTS."
        )
    if any(isinstance(e, requests.exceptions.SSLError) for e in chain):
        return "tls", (
            "The TLS (https) handshake with the gateway failed: check the certificate, or "
            "whether the gateway speaks plain http:// rather than https://."
        )
    if any(isinstance(e, NameResolutionError) for e in chain):
        return "dns", (
            "The gateway's host name could not be resolved: check the spelling of the gateway "
            "URL and the server's network."
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "refused", (
            "The gateway refused the connection: check the port in the gateway URL and that "
            "the gateway is running."
        )
    if any(isinstance(e, requests.exceptions.ConnectTimeout) for e in chain):
        return "timeout", (
            "Connecting to the gateway timed out: check the host and port, and that the server "
            "can reach it."
        )
    if any(isinstance(e, requests.exceptions.Timeout) for e in chain):
        return "timeout", (
            "The gateway accepted the connection but did not answer in time: try again, or "
            "raise SEND_READ_TIMEOUT if this gateway is slow."
        )
    if any(isinstance(e, requests.exceptions.InvalidHeader) for e in chain):
        return "invalid", "A header value could not be sent: check the credentials' format."
    if any(
        isinstance(
            e,
            requests.exceptions.InvalidURL | requests.exceptions.MissingSchema | LocationParseError,
        )
        for e in chain
    ):
        return "invalid", NOT_A_URL
    if any(isinstance(e, requests.exceptions.ChunkedEncodingError) for e in chain):
        return "broken", "The gateway closed the connection in the middle of its answer: try again."
    if any(isinstance(e, requests.exceptions.ConnectionError) for e in chain):
        return "connection", (
            "The connection to the gateway failed or was closed without an answer: check the "
            "gateway URL and try again."
        )
    _log.warning("send failed with %s", type(exc).__name__)  # the type only: no values
    return "failed", "The request to the gateway failed: check the gateway URL and try again."


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """Give the exception, what it wraps (``reason``, ``args``) and its causes, depth first."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
        stack.extend(a for a in current.args if isinstance(a, BaseException))


def _size(n: int) -> str:
    """Give a byte count as a person writes it (``1 MiB``, ``64 KiB``, ``1000 bytes``)."""
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"

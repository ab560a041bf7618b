"""The server's WebSocket to a gateway's Realtime API, ``{base}/realtime?model=…``: its URL, its
first event, the connection (``websockets``' sync client) and what a refusal says. No Flask.

The connection obeys what a send obeys: the SSRF guard decides where it may connect and the
socket goes to the address it checked (the name stays the ``Host`` and the TLS name), no proxy
from the environment, a connect timeout and a deadline for the upgrade, a cap on a message's
size. Failures are told by their type and the gateway's status and message, with the send's
secrets masked; a ``websockets`` error's own text is never shown (it may name the URL).
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from playground.transport.client import USER_AGENT, encode_body
from playground.transport.explanations import describe_failure, explain_status
from playground.transport.log_filter import HideConnectionLog
from playground.transport.masking import Secrets, mask_text
from playground.transport.targets import Guard

#: The headers of a send that go on the upgrade: the credentials, nothing about a body.
_CREDENTIAL_HEADERS = ("Authorization", "OpenAI-Organization", "OpenAI-Project")
#: What a gateway's refusal may show of its body.
_MESSAGE_CHARS = 400
# websockets logs every header of the upgrade (the key) at debug level: not through this one.
_LOG = logging.getLogger("playground.gateway_socket")
_LOG.addFilter(HideConnectionLog())
_LOG.propagate = False
#: What to try for a refused upgrade, where it differs from a send's (``explain_status``).
_HINTS = {
    404: (
        "Check that the gateway URL is the API's base URL (usually ending in /v1) and that the "
        "gateway serves the Realtime API over WebSocket at /realtime; if it serves WebRTC "
        "calls only, choose WebRTC."
    ),
    426: (
        "The gateway wanted a WebSocket upgrade it did not get: a proxy in between may drop "
        "it, or the gateway serves the Realtime API over WebRTC only (choose WebRTC)."
    ),
}


class SocketClosed(Exception):
    """One side of a relayed call closed: ``by`` names it, ``code`` and ``reason`` are its close
    frame's (None and "" when the connection dropped without one); ``by`` "server" is the
    server's own cut (``reason``: what is said of it)."""

    def __init__(self, by: str, code: int | None = None, reason: str = "") -> None:
        super().__init__(by, code, reason)
        self.by, self.code, self.reason = by, code, reason


def too_large(who: str, max_bytes: int) -> str:
    """Give what is said when ``who`` ("page" or "gateway") sent a message over the cap."""
    return (
        f"The {who} sent a message larger than the server relays ({max_bytes} bytes, "
        "CALL_SOCKET_MAX_MESSAGE_BYTES), so the server ended the call."
    )


class MessageSocket(Protocol):
    """One end of a relayed call: text messages in and out."""

    def send(self, text: str) -> None:
        """Send one text message; raise :class:`SocketClosed` once the socket is closed."""

    def recv(self, timeout: float) -> str | None:
        """Give the next message, None after ``timeout`` seconds without one; raise
        :class:`SocketClosed` once the socket is closed."""

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the socket (nothing happens if it is closed)."""


@dataclass(frozen=True)
class SocketLimits:
    """How long connecting may take and how large one message may be."""

    connect_timeout: float
    deadline: float  # the upgrade, and the gateway's first event after it
    max_bytes: int


class UpgradeRefused(Exception):
    """The gateway's WebSocket did not open: ``status`` (its HTTP answer, None when it gave
    none) and ``message``, safe to show."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def socket_url(url: str, query: dict[str, str]) -> str:
    """Give the ``ws://``/``wss://`` URL of ``url`` (``http``/``https``) with ``query``."""
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return parts._replace(scheme=scheme, query=urlencode(query)).geturl()


def session_update(session: Any) -> str:
    """Give the first event of a call: ``session.update`` with exactly ``session``."""
    return encode_body({"type": "session.update", "session": session}).decode("utf-8")


class GatewaySocket:
    """A :class:`MessageSocket` on a gateway's WebSocket (``websockets``' sync client)."""

    def __init__(self, connection: ClientConnection, max_bytes: int) -> None:
        self.connection = connection
        self.max_bytes = max_bytes

    def send(self, text: str) -> None:
        """Send one text message to the gateway."""
        try:
            self.connection.send(text)
        except ConnectionClosed as exc:
            raise self._closed(exc) from None

    def recv(self, timeout: float) -> str | None:
        """Give the gateway's next message (None after ``timeout`` seconds)."""
        try:
            message = self.connection.recv(timeout=timeout)
        except TimeoutError:
            return None
        except ConnectionClosed as exc:
            raise self._closed(exc) from None
        return message if isinstance(message, str) else message.decode("utf-8", "replace")

    def _closed(self, exc: ConnectionClosed) -> SocketClosed:
        if exc.rcvd is not None:
            return SocketClosed("gateway", exc.rcvd.code, exc.rcvd.reason)
        if exc.sent is not None and exc.sent.code == 1009:  # ours: its message was too large
            return SocketClosed("server", 1009, too_large("gateway", self.max_bytes))
        return SocketClosed("gateway")

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the WebSocket (waiting briefly for the gateway's close frame)."""
        self.connection.close(code, reason)


def open_gateway(
    url: str,
    headers: dict[str, str],
    limits: SocketLimits,
    secrets: Secrets,
    guard: Guard | None = None,
) -> GatewaySocket:
    """Give the open WebSocket to ``url`` (``http(s)://…``; sent as ``ws(s)://``) with the
    credentials of ``headers``; raise :class:`UpgradeRefused` saying why it did not open."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    sent = {k: v for k, v in headers.items() if k in _CREDENTIAL_HEADERS}
    try:
        address = guard.address_for(host, port) if guard is not None else None
        sock = socket.create_connection((address or host, port), limits.connect_timeout)
    except Exception as exc:  # told by type, never by its text (it may name the host)
        raise UpgradeRefused(None, _connect_failure(exc)) from None
    try:
        connection = connect(
            socket_url(url, {}) + (f"?{parts.query}" if parts.query else ""),
            sock=sock,
            ssl=ssl.create_default_context() if parts.scheme == "https" else None,
            server_hostname=host if parts.scheme == "https" else None,
            additional_headers=sent,
            user_agent_header=USER_AGENT,
            compression=None,
            proxy=None,
            open_timeout=limits.deadline,
            close_timeout=2,
            max_size=limits.max_bytes,
            logger=_LOG,
        )
    except InvalidStatus as exc:
        sock.close()
        raise UpgradeRefused(exc.response.status_code, _refusal(exc, secrets)) from None
    except TimeoutError:
        sock.close()
        message = (
            f"The gateway did not answer the WebSocket upgrade within {limits.deadline:g} s, "
            "so the server stopped waiting: check the gateway URL, or try again."
        )
        raise UpgradeRefused(None, message) from None
    except (InvalidHandshake, OSError, ValueError) as exc:
        sock.close()
        if isinstance(exc, InvalidHandshake):
            message = (
                "The gateway answered the WebSocket upgrade with something that is not a "
                "WebSocket: check that the gateway URL is the API's base URL (usually /v1)."
            )
            raise UpgradeRefused(None, message) from None
        raise UpgradeRefused(None, _connect_failure(exc)) from None
    connection.__enter__()  # held past this function: as a context manager's, not a legacy one
    return GatewaySocket(connection, limits.max_bytes)


def _connect_failure(exc: BaseException) -> str:
    """Give what is said when the connection to the gateway failed (by the error's type)."""
    if isinstance(exc, socket.gaierror):
        return (
            "The gateway's host name could not be resolved: check the spelling of the gateway "
            "URL and the server's network."
        )
    if isinstance(exc, TimeoutError):
        return (
            "Connecting to the gateway timed out: check the host and port, and that the server "
            "can reach it."
        )
    return describe_failure(exc)[1]


def _refusal(exc: InvalidStatus, secrets: Secrets) -> str:
    """Give what is said of a refused upgrade: the status, the gateway's own message, a hint."""
    status = exc.response.status_code
    said = mask_text(_gateways_message(bytes(exc.response.body or b"")), secrets)[:_MESSAGE_CHARS]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    text = f"The gateway refused the WebSocket with {status} {phrase}".rstrip()
    text += f': "{said}".' if said else "."
    return f"{text} {_HINTS.get(status) or explain_status(status)}"


def _gateways_message(body: bytes) -> str:
    """Give the message of a refusal's body: ``error.message`` of JSON, else its text."""
    text = body.decode("utf-8", "replace")
    try:
        error = json.loads(text).get("error")
    except (ValueError, AttributeError):
        error = None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        text = error["message"]
    elif isinstance(error, str):
        text = error
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())

"""The live call over WebSocket, bridged by the server: ``GET /call/socket`` (flask-sock).

The page opens a WebSocket here; the server opens one to ``{gateway}/realtime?model=…`` with
``Authorization: Bearer <key>`` (the visitor's key or the operator's) and relays events both
ways, so the browser never talks to the gateway and never holds an operator's key. The first
event the gateway gets is ``session.update`` with exactly the ``session`` the preview shows for
the posted form (the same body ``POST /call`` sends).

The handshake: its ``Origin`` must be trusted (:mod:`playground.web.hosts` refuses another
site's upgrade with 403), and it carries the page's CSRF token as a subprotocol
(``csrf.<token>`` beside :data:`PROTOCOL`: a browser can set no other header on a WebSocket,
and a URL must hold no secret). The page's first message, :data:`START`, carries the operation,
the form (URL-encoded, as a post) and the credentials as the headers ``static/auth.js`` sets on
a send. Everything a send obeys applies: target checks, SSRF guard, hosted mode's configured
gateways only, the limits on requests in flight (a call holds a place until it ends), the
form's limits; and a message size cap, idle and total call time limits.

What the server says itself comes as ``playground.*`` messages: ``playground.connected`` (the
gateway's label, the model), ``playground.refused`` (``status``, ``message``: the call did not
start) and ``playground.closed`` (``by``, ``code``, ``reason``, ``message``).

Configuration (also from the environment as ``PLAYGROUND_<NAME>``):
``CALL_SOCKET_MAX_MESSAGE_BYTES`` (either way), ``CALL_SOCKET_IDLE_SECONDS``,
``CALL_SOCKET_MAX_SECONDS``, ``CALL_SOCKET_START_SECONDS`` (for the page's first message).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Flask, current_app, request
from flask_sock import ConnectionClosed, Sock
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from playground.model.call_spec import call_spec, socket_query
from playground.model.form_data import FormData
from playground.transport.checks import RequestRefused
from playground.transport.in_flight import TooManyInFlight
from playground.transport.realtime_socket import (
    MessageSocket,
    SocketClosed,
    SocketLimits,
    UpgradeRefused,
    open_gateway,
    session_update,
    too_large,
)
from playground.transport.socket_relay import RelayLimits, relay
from playground.web.app_operations import app_operation, where_calls_start_here
from playground.web.constants import (
    EPHEMERAL_KEY_HEADER,
    SOCKET_CSRF_PREFIX,
    SOCKET_PROTOCOL,
    SOCKET_START,
)
from playground.web.csrf import MESSAGE_EXPIRED, MESSAGE_INVALID
from playground.web.gateways import in_flight_limit, upstream
from playground.web.mock_socket import MockSocket
from playground.web.send_target import Target, ephemeral_target, target_for
from playground.web.state import PageState

bp = Blueprint("call_socket", __name__)
_sock = Sock()

#: The subprotocol the page asks for (with ``csrf.<token>`` beside it) and the server chooses,
#: and the type of the page's first message (the page gets them: web/constants.py).
PROTOCOL = SOCKET_PROTOCOL
CSRF_PROTOCOL_PREFIX = SOCKET_CSRF_PREFIX
START = SOCKET_START
DEFAULTS: dict[str, Any] = {
    "CALL_SOCKET_MAX_MESSAGE_BYTES": 1024 * 1024,
    "CALL_SOCKET_IDLE_SECONDS": 60,
    "CALL_SOCKET_MAX_SECONDS": 600,
    "CALL_SOCKET_START_SECONDS": 10,
}


def init_app(app: Flask) -> None:
    """Set the bridge's defaults, check them, and register its route (and flask-sock's
    options: the message cap, the subprotocol, pings that find a vanished browser)."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
        setting = app.config[name]
        if isinstance(setting, bool) or not isinstance(setting, int | float) or setting <= 0:
            raise ValueError(f"{name} must be a positive number, not {setting!r}")
    options = {
        # A hard stop for memory only: over it simple-websocket drops the socket without a
        # word, so the cap the page is told of is checked below (BrowserSocket.recv).
        "max_message_size": 2 * int(app.config["CALL_SOCKET_MAX_MESSAGE_BYTES"]),
        "subprotocols": [PROTOCOL],
        "ping_interval": 25,
    }
    app.config.setdefault("SOCK_SERVER_OPTIONS", options)
    app.register_blueprint(bp)


class Refused(Exception):
    """The call does not start: ``status`` (an HTTP status, or None) and ``message``."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Start:
    """What the page's first message asked for: where, with which session and first event."""

    target: Target
    query: dict[str, str]
    first_event: str | None  # None with an ephemeral key: the key carries the session


class BrowserSocket:
    """The page's WebSocket (flask-sock's) as a :class:`MessageSocket`."""

    def __init__(self, ws: Any, max_bytes: int) -> None:
        self.ws = ws
        self.max_bytes = max_bytes

    def _closed(self) -> SocketClosed:
        code = self.ws.close_reason
        return SocketClosed("browser", int(code) if code else None, self.ws.close_message or "")

    def send(self, text: str) -> None:
        """Send one text message to the page."""
        try:
            self.ws.send(text)
        except (ConnectionClosed, OSError):
            raise self._closed() from None

    def recv(self, timeout: float) -> str | None:
        """Give the page's next message (None after ``timeout`` seconds)."""
        try:
            message = self.ws.receive(timeout=timeout)
        except ConnectionClosed:
            raise self._closed() from None
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        if isinstance(message, str) and len(message) > self.max_bytes:  # chars: at most bytes
            raise SocketClosed("server", 1009, too_large("page", self.max_bytes))
        return message if isinstance(message, str) else None

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the page's WebSocket."""
        try:
            self.ws.close(code, reason)
        except ConnectionClosed:
            pass

    def tell(self, kind: str, **fields: Any) -> None:
        """Send the page one of the server's own ``playground.*`` messages."""
        self.send(json.dumps({"type": kind, **fields}))


def call_socket(ws: Any) -> None:
    """Bridge one call between the page's WebSocket and the gateway's."""
    config = current_app.config
    browser = BrowserSocket(ws, int(config["CALL_SOCKET_MAX_MESSAGE_BYTES"]))
    try:
        start = _start(browser)
        max_seconds = float(config["CALL_SOCKET_MAX_SECONDS"])
        # Counted even to the own mock (a send to it is not): a call holds this thread.
        with in_flight_limit().hold(request.remote_addr or "", max_seconds):
            gateway = _open(start)
            try:
                if start.first_event is not None:
                    gateway.send(start.first_event)
                browser.tell(
                    "playground.connected",
                    gateway=start.target.label,
                    model=start.query.get("model"),
                )
                limits = RelayLimits(
                    max_seconds=max_seconds,
                    idle_seconds=float(config["CALL_SOCKET_IDLE_SECONDS"]),
                    first_event_seconds=start.target.deadline,
                )
                ending = relay(browser, gateway, limits, start.target.secrets)
            finally:
                gateway.close()
        if ending.by != "browser":
            browser.tell(
                "playground.closed",
                by=ending.by,
                code=ending.code,
                reason=ending.reason,
                message=ending.message,
            )
            browser.close(1009 if ending.code == 1009 else 1000)
    except Refused as refused:
        browser.tell("playground.refused", status=refused.status, message=refused.message)
    except UpgradeRefused as refused:
        browser.tell("playground.refused", status=refused.status, message=refused.message)
    except TooManyInFlight as exc:
        browser.tell("playground.refused", status=429, message=exc.message)
    except SocketClosed:  # the page went away before the call started
        pass


_sock.route("/call/socket", bp=bp)(call_socket)


def _open(start: Start) -> MessageSocket:
    """Give the open socket to the gateway (the own mock in process)."""
    target = start.target
    if target.in_process:
        token = target.headers.get("Authorization", "").removeprefix("Bearer ")
        return MockSocket(token, start.query)
    config = current_app.config
    limits = SocketLimits(
        connect_timeout=min(float(config["SEND_CONNECT_TIMEOUT"]), target.deadline),
        deadline=target.deadline,
        max_bytes=int(config["CALL_SOCKET_MAX_MESSAGE_BYTES"]),
    )
    return open_gateway(
        f"{target.url}?{urlencode(start.query)}",
        target.headers,
        limits,
        target.secrets,
        upstream().guard,
    )


def _check_csrf() -> None:
    """Refuse a handshake without the page's CSRF token (as a ``csrf.`` subprotocol)."""
    offered = request.headers.get("Sec-WebSocket-Protocol", "")
    tokens = [
        p.strip()[len(CSRF_PROTOCOL_PREFIX) :]
        for p in offered.split(",")
        if p.strip().startswith(CSRF_PROTOCOL_PREFIX)
    ]
    try:
        validate_csrf(tokens[0] if tokens else None)
    except ValidationError as exc:
        raise Refused(400, MESSAGE_EXPIRED if "expired" in str(exc) else MESSAGE_INVALID) from None


def _start_message(browser: BrowserSocket) -> dict[str, Any]:
    """Give the page's first message, checked for its shape."""
    seconds = float(current_app.config["CALL_SOCKET_START_SECONDS"])
    text = browser.recv(seconds)
    if text is None:
        raise Refused(None, f"The page sent nothing within {seconds:g} s: start the call again.")
    try:
        message = json.loads(text)
    except ValueError:
        message = None
    if (
        not isinstance(message, dict)
        or message.get("type") != START
        or not isinstance(message.get("op"), str)
        or not isinstance(message.get("form"), str)
        or not isinstance(message.get("auth"), dict)
        or not all(isinstance(v, str) for v in message["auth"].values())
    ):
        raise Refused(400, "The page's first message was not a call's start: reload the page.")
    return message


def _form(encoded: str) -> FormData:
    """Give the posted form of a start message, within the limits of a post."""
    pairs = parse_qsl(encoded, keep_blank_values=True)
    config = current_app.config
    if (
        len(encoded) > int(config["MAX_CONTENT_LENGTH"])
        or len(pairs) > int(config["MAX_FORM_PARTS"])
        or any(len(value) > int(config["MAX_FORM_MEMORY_SIZE"]) for _, value in pairs)
    ):
        raise Refused(
            413,
            "The form was too large to read, so the call did not start: shorten the longest "
            "text (instructions, a tool's description or parameters) and try again.",
        )
    return FormData(pairs)


def _start(browser: BrowserSocket) -> Start:
    """Give what the call starts with, from the handshake and the page's first message; raise
    :class:`Refused` (or :class:`SocketClosed`) when it cannot start."""
    _check_csrf()
    message = _start_message(browser)
    try:
        if not message["op"]:
            raise KeyError(message["op"])
        op = app_operation(message["op"])
    except KeyError:
        raise Refused(400, "Unknown operation: reload the page.") from None
    spec = call_spec(op)
    if spec is None:
        raise Refused(400, where_calls_start_here(op))
    session = spec.session_of(PageState(op, _form(message["form"])).body)
    auth = {str(k): v for k, v in message["auth"].items()}
    ephemeral = bool(auth.get(EPHEMERAL_KEY_HEADER, "").strip())
    try:
        target = target_for(spec.socket_path, auth)
        if ephemeral:
            target = ephemeral_target(target, auth)
    except RequestRefused as exc:
        raise Refused(400, str(exc)) from None
    query = socket_query(session)
    if not query and not ephemeral:
        raise Refused(
            400,
            "A WebSocket call names its model in the URL, and the session names none: "
            "choose a model (session.model) and start the call again.",
        )
    return Start(target, query, None if ephemeral else session_update(session))

"""Relaying a call between the browser's WebSocket and the gateway's, until one side closes or a
limit ends it. No Flask: both ends are :class:`~playground.transport.realtime_socket.MessageSocket`.

The browser's messages go to the gateway as they are; the gateway's come back with the send's
secrets masked (:func:`~playground.transport.masking.mask_text`), whatever the gateway echoes.
One thread carries each direction (the caller's, and one started here). The call ends when
either side closes, when nothing went either way for ``idle_seconds``, when the call reaches
``max_seconds``, or when the gateway sent nothing at all within ``first_event_seconds`` (a gateway
that took the upgrade and never spoke); :class:`Ending` says which, and by whom.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from playground.transport.masking import Secrets, mask_text
from playground.transport.realtime_socket import MessageSocket, SocketClosed

#: How often each direction looks whether the call was ended (seconds).
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class RelayLimits:
    """How long a relayed call may last, be silent, and wait for the gateway's first word."""

    max_seconds: float
    idle_seconds: float
    first_event_seconds: float


@dataclass(frozen=True)
class Ending:
    """How a relayed call ended: ``by`` ("browser", "gateway" or "server"), the close frame's
    ``code`` and ``reason`` when a side closed, and ``message`` (safe to show)."""

    by: str
    message: str
    code: int | None = None
    reason: str = ""


class _Call:
    """The state the two directions share: when something last moved, and how it ended."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.started = self.last = clock()
        self.heard_gateway = False
        self.ending: Ending | None = None
        self.lock = threading.Lock()
        self.over = threading.Event()

    def end(self, ending: Ending) -> None:
        with self.lock:
            if self.ending is None:
                self.ending = ending
        self.over.set()


def relay(
    browser: MessageSocket,
    gateway: MessageSocket,
    limits: RelayLimits,
    secrets: Secrets,
    clock: Callable[[], float] = time.monotonic,
) -> Ending:
    """Relay messages both ways until the call ends; give how it ended (neither socket is
    closed here: the caller tells the browser, then closes both)."""
    call = _Call(clock)
    back = threading.Thread(
        target=_gateway_to_browser, args=(gateway, browser, secrets, call), name="call-relay"
    )
    back.start()
    try:
        while not call.over.is_set():
            try:
                text = browser.recv(POLL_SECONDS)
                if text is not None:
                    call.last = clock()
                    gateway.send(text)
            except SocketClosed as closed:
                call.end(_closed(closed, secrets))
            _check_limits(call, limits)
    finally:
        call.over.set()
        back.join()
    assert call.ending is not None
    return call.ending


def _gateway_to_browser(
    gateway: MessageSocket, browser: MessageSocket, secrets: Secrets, call: _Call
) -> None:
    """Carry the gateway's messages to the browser, masked, until the call is over."""
    while not call.over.is_set():
        try:
            text = gateway.recv(POLL_SECONDS)
            if text is not None:
                call.last = call.clock()
                call.heard_gateway = True
                browser.send(mask_text(text, secrets))
        except SocketClosed as closed:
            call.end(_closed(closed, secrets))


def _check_limits(call: _Call, limits: RelayLimits) -> None:
    """End the call if it is over a limit."""
    now = call.clock()
    if now - call.started >= limits.max_seconds:
        call.end(
            Ending(
                "server",
                f"The server ended the call at its length limit ({limits.max_seconds:g} s, "
                "CALL_SOCKET_MAX_SECONDS).",
                1000,
            )
        )
    elif not call.heard_gateway and now - call.started >= limits.first_event_seconds:
        call.end(
            Ending(
                "server",
                "The gateway took the WebSocket but sent nothing within "
                f"{limits.first_event_seconds:g} s (no session.created), so the server ended "
                "the call: check that the gateway serves the Realtime API at /realtime.",
                1000,
            )
        )
    elif now - call.last >= limits.idle_seconds:
        call.end(
            Ending(
                "server",
                f"The server ended the call: nothing went either way for "
                f"{limits.idle_seconds:g} s (CALL_SOCKET_IDLE_SECONDS).",
                1000,
            )
        )


def _closed(closed: SocketClosed, secrets: Secrets) -> Ending:
    """Give the ending of a side that closed (or the server's own cut of a message too large)."""
    reason = mask_text(closed.reason, secrets)
    if closed.by == "server":  # a message over the size cap
        return Ending("server", closed.reason, closed.code)
    if closed.by == "browser":
        return Ending("browser", "The page closed the call.", closed.code, closed.reason)
    if closed.code is None:
        message = "The gateway's connection dropped without a close frame: the call is over."
    else:
        said = f": {reason}" if reason else ""
        message = f"The gateway closed the call (WebSocket close code {closed.code}{said})."
    return Ending("gateway", message, closed.code, reason)

"""The own mock's WebSocket door opened in process, for the call bridge: a
:class:`~playground.transport.realtime_socket.MessageSocket` on a mock call.

The mock's URL is the page's own host, which a visitor names in ``Host``: as a send to the own
mock is answered in process (:mod:`playground.transport.inprocess`), so is a call, and it
works behind the SSRF guard and on a single-threaded server.
"""

from __future__ import annotations

import queue
from collections.abc import Mapping

from playground.mock.call_limits import CallRefused
from playground.mock.call_socket import end_call, open_call
from playground.transport.realtime_socket import SocketClosed, UpgradeRefused


class MockSocket:
    """A call with the own mock, as if over its WebSocket (``token``: the Bearer key)."""

    def __init__(self, token: str, query: Mapping[str, str]) -> None:
        self._inbox: queue.SimpleQueue[str] = queue.SimpleQueue()
        try:
            self.call, self.loop = open_call(token, query, self._inbox.put)
        except CallRefused as refused:
            message = (
                f"The playground's mock refused the WebSocket with {refused.status}: "
                f'"{refused.message}".'
            )
            raise UpgradeRefused(refused.status, message) from None

    def send(self, text: str) -> None:
        """Hand one client event to the mock call."""
        if self.call.ended.is_set():
            raise SocketClosed("gateway", 1000)
        self.loop.call_soon_threadsafe(self.call.receive, text)

    def recv(self, timeout: float) -> str | None:
        """Give the mock's next event (None after ``timeout`` seconds); once the call ended
        and every event was given, raise :class:`SocketClosed`."""
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            if self.call.ended.is_set() and self._inbox.empty():
                raise SocketClosed("gateway", 1000) from None
            return None

    def close(self, code: int = 1000, reason: str = "") -> None:
        """End the mock call."""
        end_call(self.call)

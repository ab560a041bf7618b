"""A cap on requests to upstreams in flight, so a slow upstream cannot take every worker thread.

A send holds its thread until the gateway answers or its deadline passes: twenty sends to a
gateway that never answers made a ``serve --prod`` server (5 workers of 4 threads) unavailable
for a minute. :class:`InFlightLimit` counts what is held, per client (the remote address) and in
all, and refuses at once what is over either limit, saying when a place frees up; nothing is
queued. The count is per process: each gunicorn worker keeps threads free for pages on its own.
Whatever else holds a thread on an upstream (a WebRTC call's SDP exchange) counts through the
same :meth:`InFlightLimit.hold`.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class TooManyInFlight(Exception):
    """Over a limit: ``retry_after`` is the number of seconds until a place surely frees up."""

    def __init__(self, per_client: bool, retry_after: int) -> None:
        self.per_client = per_client
        self.retry_after = retry_after
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Give what the visitor is told (no count, no address)."""
        whose = "from your address" if self.per_client else "on this server"
        return (
            f"Too many sends in progress {whose}, so this one was not sent: try again when one "
            f"has finished (within {self.retry_after} s)."
        )


class InFlightLimit:
    """At most ``total`` requests in flight in this process, ``per_client`` from one client."""

    def __init__(
        self, total: int, per_client: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if total < 1 or per_client < 1:
            raise ValueError("in-flight limits must be at least 1")
        self.total = total
        self.per_client = per_client
        self._clock = clock
        self._lock = threading.Lock()
        self._order = itertools.count()
        # Each request held: its client and when its deadline lets the place go at the latest.
        self._held: dict[int, tuple[str, float]] = {}

    def in_flight(self, client: str | None = None) -> int:
        """Give the number of requests held (``client``'s only, if given)."""
        with self._lock:
            return sum(1 for who, _ in self._held.values() if client in (None, who))

    @contextmanager
    def hold(self, client: str, seconds: float) -> Iterator[None]:
        """Hold a place for one request of ``client`` that may last ``seconds``, for the
        ``with`` block; raise :class:`TooManyInFlight` at once when there is none."""
        with self._lock:
            now = self._clock()
            mine = [ends for who, ends in self._held.values() if who == client]
            if len(self._held) >= self.total:
                ends = [ends for _, ends in self._held.values()]
                raise TooManyInFlight(per_client=False, retry_after=_seconds(min(ends) - now))
            if len(mine) >= self.per_client:
                raise TooManyInFlight(per_client=True, retry_after=_seconds(min(mine) - now))
            place = next(self._order)
            self._held[place] = (client, now + seconds)
        try:
            yield
        finally:
            with self._lock:
                del self._held[place]


def _seconds(remaining: float) -> int:
    return max(1, math.ceil(remaining))

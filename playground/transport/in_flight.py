"""A cap on requests to upstreams in flight, so a slow upstream cannot take every worker thread.

A send holds its thread until the gateway answers or its deadline passes: twenty sends to a
gateway that never answers made a ``serve --prod`` server (5 workers of 4 threads) unavailable
for a minute. :class:`InFlightLimit` counts what is held, per client (the remote address) and in
all, and refuses at once what is over either limit, saying when a place frees up; nothing is
queued. Whatever else holds a thread on an upstream (a WebRTC call's SDP exchange) counts
through the same :meth:`InFlightLimit.hold`.

Where the places are counted is chosen in one place, :func:`places_for`: in this process only
(:class:`ProcessPlaces`, for a limit made on its own), by every process of one instance (a file
under the instance's run directory, :mod:`playground.transport.instance_places`), or by every
instance sharing one Redis (:mod:`playground.transport.redis_places`). Each place is a lease: it
ends ``LEASE_GRACE`` seconds after its request's deadline even if its process died holding it.
A per-process cap stays on top, so every worker keeps threads free for pages.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Protocol, cast

#: Seconds a place outlives its request's deadline before anyone may take it back: what a
#: request may still do once its upstream has answered or timed out.
LEASE_GRACE = 5.0


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


class PlacesUnavailable(TooManyInFlight):
    """The shared count could not be reached (Redis down): refused, since it cannot be counted."""

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__(per_client=False, retry_after=retry_after)

    @property
    def message(self) -> str:
        """Give what the visitor is told (never the store's address or error)."""
        return (
            "The server cannot count the sends in progress right now, so this one was not sent: "
            f"try again in {self.retry_after} s."
        )


class Places(Protocol):
    """Where the places held are counted; ``take`` is atomic over everyone sharing it."""

    def take(self, client: str, seconds: float, total: int, per_client: int) -> Hashable:
        """Give a new place of ``client`` for ``seconds``, or raise :class:`TooManyInFlight`."""

    def give_back(self, place: Hashable) -> None:
        """Free ``place`` (one already gone is fine)."""

    def count(self, client: str | None) -> int:
        """Give the number of places held (``client``'s only, if given)."""


class ProcessPlaces:
    """Places counted in this process only (a lock and a dict)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._order = itertools.count()
        # Each place held: its client and when its deadline lets it go at the latest.
        self._held: dict[int, tuple[str, float]] = {}

    def take(self, client: str, seconds: float, total: int, per_client: int) -> Hashable:
        """Give a new place of ``client`` for ``seconds``, or raise :class:`TooManyInFlight`."""
        with self._lock:
            now = self._clock()
            refuse(now, list(self._held.values()), client, total, per_client)
            place = next(self._order)
            self._held[place] = (client, now + seconds)
            return place

    def give_back(self, place: Hashable) -> None:
        """Free ``place``."""
        with self._lock:
            self._held.pop(cast(int, place), None)

    def count(self, client: str | None) -> int:
        """Give the number of places held (``client``'s only, if given)."""
        with self._lock:
            return sum(1 for who, _ in self._held.values() if client in (None, who))


def refuse(
    now: float, held: list[tuple[str, float]], client: str, total: int, per_client: int
) -> None:
    """Raise :class:`TooManyInFlight` if one more place for ``client`` is over a limit, given the
    places ``held`` (client, deadline) at ``now``: the one rule every store applies."""
    if len(held) >= total:
        first = min(ends for _, ends in held)
        raise TooManyInFlight(per_client=False, retry_after=seconds_until(first - now))
    mine = [ends for who, ends in held if who == client]
    if len(mine) >= per_client:
        raise TooManyInFlight(per_client=True, retry_after=seconds_until(min(mine) - now))


def seconds_until(remaining: float) -> int:
    """Give ``remaining`` seconds as a ``Retry-After``: whole, and at least one."""
    return max(1, math.ceil(remaining))


class InFlightLimit:
    """At most ``total`` requests in flight, ``per_client`` from one client, counted in
    ``places`` (this process's by default); and at most ``per_process`` in this process."""

    def __init__(
        self,
        total: int,
        per_client: int,
        clock: Callable[[], float] = time.monotonic,
        *,
        places: Places | None = None,
        per_process: int | None = None,
    ) -> None:
        if total < 1 or per_client < 1 or (per_process is not None and per_process < 1):
            raise ValueError("in-flight limits must be at least 1")
        self.total = total
        self.per_client = per_client
        self.per_process = per_process or total
        self.places: Places = places or ProcessPlaces(clock)
        self._mine = ProcessPlaces(clock)  # this process's cap: its threads stay free for pages

    def in_flight(self, client: str | None = None) -> int:
        """Give the number of requests held (``client``'s only, if given)."""
        return self.places.count(client)

    @contextmanager
    def hold(self, client: str, seconds: float) -> Iterator[None]:
        """Hold a place for one request of ``client`` that may last ``seconds``, for the
        ``with`` block; raise :class:`TooManyInFlight` at once when there is none."""
        local = self._mine.take("", seconds, self.per_process, self.per_process)
        try:
            place = self.places.take(client, seconds, self.total, self.per_client)
        except BaseException:
            self._mine.give_back(local)
            raise
        try:
            yield
        finally:
            try:
                self.places.give_back(place)
            finally:
                self._mine.give_back(local)


def places_for(redis_url: str, run_dir: str, clock: Callable[[], float] = time.monotonic) -> Places:
    """Give where an app's places are counted: in the Redis at ``redis_url`` when one is set
    (every instance sharing it), else in a file under ``run_dir`` (a fresh temporary directory
    if empty), which every process forked from this one shares. Raises ``ValueError`` for a
    bad URL or a missing redis-py."""
    from playground.transport.instance_places import InstancePlaces
    from playground.transport.redis_places import RedisPlaces

    if redis_url:
        return RedisPlaces(redis_url)
    return InstancePlaces(run_dir, clock)

"""A wall-clock deadline for one send, headers included.

Connect and read timeouts bound each wait on the socket, not the exchange: a gateway that sends
its status line and headers a byte at a time, each within the read timeout, holds a send (and a
worker thread) for as long as it likes. Here one watchdog thread per process keeps the
deadlines of the sends under way; when one passes, it shuts the socket of that send's
connection down, which wakes the blocked read at once with an error the send reports as a
timeout. Sends register their connection through :class:`DeadlineAdapter`'s connection classes.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

if TYPE_CHECKING:
    from urllib3._base_connection import BaseHTTPConnection

_current = threading.local()


class _Watchdog:
    """Calls each registered callback once its time (``time.monotonic``) has come, unless
    cancelled first. One thread, started on first use (again in a forked worker)."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._pid = 0

    def watch(self, deadline: Deadline) -> None:
        with self._wake:
            if self._pid != os.getpid():  # first use, or a fork left the thread behind
                self._pid = os.getpid()
                self._due.clear()
                threading.Thread(target=self._run, name="send-deadlines", daemon=True).start()
            heapq.heappush(self._due, (deadline.at, next(self._order), deadline))
            if self._due[0][2] is deadline:
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._due and self._due[0][2].done:
                    heapq.heappop(self._due)
                if not self._due:
                    self._wake.wait()
                    continue
                wait = self._due[0][0] - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                deadline = heapq.heappop(self._due)[2]
            deadline.expire()


_WATCHDOG = _Watchdog()


class Deadline:
    """The deadline of the sends made in a ``with`` block on this thread."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.at = clock() + seconds
        self.done = False
        self.expired = False
        self._connection: HTTPConnection | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Deadline:
        _current.deadline = self
        _WATCHDOG.watch(self)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.done = True
            self._connection = None
        _current.deadline = None

    def attach(self, connection: HTTPConnection) -> None:
        """Watch ``connection`` (the one this send is using); cut it now if already expired."""
        with self._lock:
            self._connection = connection
            if self.expired:
                _shut(connection)

    def detach(self, connection: HTTPConnection) -> None:
        """Stop watching ``connection``: it goes back to the pool, where another send (another
        visitor's) may take it before this one is done."""
        with self._lock:
            if self._connection is connection:
                self._connection = None

    def expire(self) -> None:
        """Mark the deadline passed and cut the connection in use, if any (under the lock, so
        never one already detached)."""
        with self._lock:
            if self.done:
                return
            self.expired = True
            if self._connection is not None:
                _shut(self._connection)


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


def _attach(connection: HTTPConnection) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.attach(connection)


class _HTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class _HTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class _HTTPPool(HTTPConnectionPool):
    """A pool that detaches a connection from the send's deadline as it takes it back (urllib3
    does so as soon as the answer is read, while the send is still busy with it)."""

    ConnectionCls: type[HTTPConnection] = _HTTPConnection

    def _put_conn(self, conn: BaseHTTPConnection | None) -> None:
        deadline: Deadline | None = getattr(_current, "deadline", None)
        if deadline is not None and isinstance(conn, HTTPConnection):
            deadline.detach(conn)
        super()._put_conn(conn)


class _HTTPSPool(_HTTPPool, HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An HTTP adapter whose connections a :class:`Deadline` can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

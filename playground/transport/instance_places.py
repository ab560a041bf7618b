"""Places in flight counted by every process of one instance: an SQLite file in its run directory.

Gunicorn forks its workers from the master that made the app, so a file whose path the app
holds is seen by all of them and by no other instance; SQLite's write lock (``BEGIN
IMMEDIATE``, an ``fcntl`` lock underneath) makes each take atomic across them, with no service
to run. Each place records the process holding it: a place whose process is gone (a worker
killed or crashed) is taken back at the next count, and any place ``LEASE_GRACE`` seconds
past its deadline too (which also covers a process id used again).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playground.transport.in_flight import LEASE_GRACE, refuse

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS held (place INTEGER PRIMARY KEY, client TEXT NOT NULL,"
    " ends REAL NOT NULL, pid INTEGER NOT NULL)"
)


class InstancePlaces:
    """Places shared by the processes of one instance, in ``run_dir`` (a fresh temporary
    directory, removed when the process that made it ends, if none is given)."""

    def __init__(
        self,
        run_dir: str | Path = "",
        clock: Callable[[], float] = time.monotonic,
        grace: float = LEASE_GRACE,
    ) -> None:
        if run_dir:
            folder = Path(run_dir)
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(tempfile.mkdtemp(prefix="playground-run-"))
            weakref.finalize(self, _remove_if_made_here, folder, os.getpid())
        self.path = folder / "in-flight.sqlite3"
        self._clock = clock
        self._grace = grace
        self._pool = _Connections(self.path)
        weakref.finalize(self, self._pool.close)
        with self._pool.connection():  # the file and its table, before any worker forks
            pass

    def take(self, client: str, seconds: float, total: int, per_client: int) -> Hashable:
        """Give a new place of ``client`` for ``seconds``, or raise ``TooManyInFlight``."""
        with self._transaction() as db:
            now = self._clock()
            rows = db.execute("SELECT client, ends FROM held").fetchall()
            held = [(str(who), float(ends)) for who, ends in rows]
            refuse(now, held, client, total, per_client)
            cursor = db.execute(
                "INSERT INTO held (client, ends, pid) VALUES (?, ?, ?)",
                (client, now + seconds, os.getpid()),
            )
            return cursor.lastrowid

    def give_back(self, place: Hashable) -> None:
        """Free ``place``."""
        with self._pool.connection() as db:
            db.execute("DELETE FROM held WHERE place = ?", (place,))

    def count(self, client: str | None) -> int:
        """Give the number of places held (``client``'s only, if given)."""
        with self._transaction() as db:
            held = db.execute("SELECT client FROM held").fetchall()
        return sum(1 for (who,) in held if client in (None, who))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Give a connection in a write transaction (``BEGIN IMMEDIATE``: the instance-wide
        lock) that has taken back the places past their lease and those of processes gone;
        committed at the end of the block, rolled back on an error."""
        with self._pool.connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM held WHERE ends < ?", (self._clock() - self._grace,))
                for (pid,) in db.execute("SELECT DISTINCT pid FROM held").fetchall():
                    if not _alive(int(pid)):
                        db.execute("DELETE FROM held WHERE pid = ?", (pid,))
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


class _Connections:
    """This process's idle connections to the file, each used by one thread at a time; a
    worker never uses one made before its fork (SQLite forbids it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._pid = os.getpid()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Give an idle connection (a new one if there is none) for the block."""
        with self._lock:
            if self._pid != os.getpid():  # forked: leave the parent's alone, never close them
                self._idle, self._pid = [], os.getpid()
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            # WAL: a take is a few dozen microseconds, not a journal file made and deleted;
            # no sync: what is counted ends with the instance anyway.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(_SCHEMA)
        try:
            yield db
        finally:
            with self._lock:
                if self._pid == os.getpid():
                    self._idle.append(db)

    def close(self) -> None:
        """Close this process's idle connections."""
        with self._lock:
            if self._pid == os.getpid():
                for db in self._idle:
                    db.close()
                self._idle = []


def _alive(pid: int) -> bool:
    """Say whether process ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: running
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: the signal said it exists
    return state != "Z"


def _remove_if_made_here(folder: Path, maker: int) -> None:
    """Remove ``folder`` if this is the process that made it (not a worker forked from it)."""
    if os.getpid() == maker:
        shutil.rmtree(folder, ignore_errors=True)

"""Fixtures of the transport's tests: places in flight held by another process."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

#: Takes places in the store a shared limit would use (``places_for``), says so, then waits to be
#: killed: a worker holding sends when it dies.
_HOLDER = """
import sys, time
from playground.transport.in_flight import places_for
from playground.transport.redis_places import RedisPlaces
redis_url, run_dir, seconds, grace, *clients = sys.argv[1:]
if redis_url and float(grace) >= 0:
    places = RedisPlaces(redis_url, grace=float(grace))
else:
    places = places_for(redis_url, run_dir)
for client in clients:
    places.take(client, float(seconds), 100, 100)
print("held", flush=True)
time.sleep(120)
"""


class Holder:
    """Another process holding places in flight until :meth:`kill`."""

    def __init__(self, redis_url: str, run_dir: str, seconds: float, grace: float, *clients: str):
        args = [redis_url, run_dir, str(seconds), str(grace), *clients]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, *args], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"

    def kill(self) -> None:
        """Kill the process at once (SIGKILL: no ``finally`` runs, nothing is given back)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture
def hold_elsewhere() -> Iterator[Any]:
    """Give a function starting a :class:`Holder` (``redis_url``, ``run_dir``, ``seconds``,
    ``grace`` (for Redis; negative: the default), clients); each is killed after the test."""
    made: list[Holder] = []

    def start(redis_url: str, run_dir: str, seconds: float, *clients: str, grace: float = -1):
        made.append(Holder(redis_url, run_dir, seconds, grace, *clients))
        return made[-1]

    yield start
    for holder in made:
        holder.kill()

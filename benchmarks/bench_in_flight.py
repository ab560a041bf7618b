"""What a place among the sends in flight costs in each store: a hold (take and give back) in
this process only (the baseline), in the instance's SQLite file (every worker), and in a Redis
on loopback (every instance; Debian's ``redis-server``, started here, or skipped without one).

Each is a median of many holds in this process, as a ratio to the baseline; the /send proxy
overhead row (``benchmarks/run.py``) includes the instance file's.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from playground.transport.in_flight import InFlightLimit, Places, ProcessPlaces
from playground.transport.instance_places import InstancePlaces

Row = tuple[str, str, str, str]


def _hold_us(places: Places, runs: int) -> float:
    """Give the median microseconds of one hold and its release in ``places``."""
    limit = InFlightLimit(total=8, per_client=2, places=places)
    times = []
    for i in range(runs + runs // 10):
        start = time.perf_counter()
        with limit.hold(f"client-{i % 4}", 20):
            pass
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times[runs // 10 :])  # the first tenth warms up


@contextmanager
def _redis_url() -> Iterator[str]:
    """Give the URL of a ``redis-server`` on a free loopback port, stopped afterwards ("" if
    there is none on this machine)."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield ""
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="bench-redis-")
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", folder]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        import redis

        with redis.Redis.from_url(url) as probe:
            for _ in range(200):
                try:
                    probe.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def in_flight_rows(runs: int = 2000) -> list[Row]:
    """Give a hold's median cost in each store, as a ratio to this process's own count."""
    base = _hold_us(ProcessPlaces(), runs)
    stores: list[tuple[str, Callable[[str], Places]]] = [
        ("instance file (SQLite, every worker)", lambda url: InstancePlaces()),
    ]
    rows: list[Row] = [("this process only (baseline)", f"{base:.1f}", "1.0x", "")]
    with _redis_url() as url:
        if url:
            from playground.transport.redis_places import RedisPlaces

            stores.append(("Redis on loopback (every instance)", RedisPlaces))
        for name, make in stores:
            cost = _hold_us(make(url), runs)
            rows.append((name, f"{cost:.1f}", f"{cost / base:.1f}x", "<= 1 ms"))
    if not url:
        rows.append(("Redis on loopback", "-", "no redis-server here", ""))
    return rows

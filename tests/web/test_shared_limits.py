"""The limits on sends in flight hold over every worker of ``serve --prod`` and, with
``PLAYGROUND_REDIS_URL``, over every instance sharing one Redis: one address's slow sends
cannot take another address's places, and a worker's death gives its places back."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import pytest
import requests

#: Three workers whose threads are not the bound: only the shared limits are.
LIMITS = {
    "PLAYGROUND_SSRF_GUARD": "false",
    "PLAYGROUND_SEND_MAX_IN_FLIGHT": "4",
    "PLAYGROUND_SEND_MAX_IN_FLIGHT_PER_CLIENT": "2",
    "PLAYGROUND_SEND_MAX_IN_FLIGHT_PER_PROCESS": "4",
}


class _Sends:
    """Sends started in threads; ``answers`` gathers each answer (or the error that ended it)."""

    def __init__(self) -> None:
        self.answers: list[requests.Response | Exception] = []
        self.threads: list[threading.Thread] = []

    def start(self, who: Any, gateway: str, count: int) -> None:
        for _ in range(count):
            thread = threading.Thread(target=self._send, args=(who, gateway), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _send(self, who: Any, gateway: str) -> None:
        try:
            self.answers.append(who.send(gateway, timeout=90))
        except requests.RequestException as exc:  # its worker was killed
            self.answers.append(exc)

    def seen(self) -> str:
        """Give what came back so far, for a failure's message."""
        return repr([getattr(a, "status_code", a) for a in self.answers])

    def refused(self) -> list[requests.Response]:
        return [
            a for a in self.answers if isinstance(a, requests.Response) and a.status_code == 429
        ]

    def join(self) -> None:
        for thread in self.threads:
            thread.join(90)


def test_one_address_cannot_take_another_address_places_across_workers(
    start_prod, held_upstream, visitor, wait_for, tmp_path
) -> None:
    slow, gateway = held_upstream
    temporary = tmp_path / "tmp"  # where the instance makes its run directory
    temporary.mkdir()
    server = start_prod("--workers", "3", "--threads", "6", env=LIMITS | {"TMPDIR": str(temporary)})
    assert [p.name[:15] for p in temporary.iterdir()] == ["playground-run-"]
    first, second, third = (visitor(server.url, f"127.0.0.{n}") for n in (21, 22, 23))
    for who in (first, second, third):
        who.load()
    sends = _Sends()
    # Eight at once from one address land on several workers: two of them are sent, in all.
    sends.start(first, gateway, 8)
    wait_for(lambda: len(sends.refused()) == 6, "six of the first's refused", sends.seen)
    assert len(slow.requests) == 2
    assert all("Too many sends in progress" in a.text for a in sends.refused())
    # The second address still gets its two places; the third finds the total taken.
    sends.start(second, gateway, 2)
    wait_for(lambda: len(slow.requests) == 4, "the second address's sends reached the upstream")
    over_all = third.send(gateway, timeout=30)
    assert over_all.status_code == 429 and "on this server" in over_all.text
    slow.release.set()
    sends.join()
    answers = [a for a in sends.answers if isinstance(a, requests.Response)]
    assert sorted(a.status_code for a in answers) == [200] * 4 + [429] * 6
    assert third.send(gateway, timeout=30).status_code == 200  # every place given back
    server.stop()
    assert list(temporary.iterdir()) == []  # the run directory goes with the instance


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the workers through /proc")
def test_places_held_by_a_killed_worker_are_given_back(
    start_prod, held_upstream, visitor, children_of, wait_for
) -> None:
    slow, gateway = held_upstream
    # Leases far longer than the test: only the dead workers' process ids can free them.
    env = LIMITS | {"PLAYGROUND_SEND_VISITOR_DEADLINE": "60"}
    server = start_prod("--workers", "2", "--threads", "4", env=env)
    sender = visitor(server.url, "127.0.0.31")
    sender.load()
    sends = _Sends()
    sends.start(sender, gateway, 2)
    wait_for(lambda: len(slow.requests) == 2, "two sends held")
    refused = sender.send(gateway, timeout=30)
    assert refused.status_code == 429 and "from your address" in refused.text
    workers = children_of(server.process.pid)
    for pid in workers:
        os.kill(pid, signal.SIGKILL)  # as a crash would: no finally runs, nothing is given back
    sends.join()  # their connections broke with the workers
    wait_for(lambda: len(set(children_of(server.process.pid)) - set(workers)) == 2, "new workers")
    again: list[requests.Response] = []

    def accepted() -> bool:
        again.append(sender.send(gateway, timeout=30))
        return again[-1].status_code != 429

    slow.release.set()
    wait_for(accepted, "a send from the same address accepted again")
    assert again[-1].status_code == 200 and "sess_slow" in again[-1].text


def test_two_instances_sharing_a_redis_share_the_limits(
    redis_url, monkeypatch, make_app, serve_wsgi, held_upstream, visitor, wait_for
) -> None:
    slow, gateway = held_upstream
    monkeypatch.setenv("PLAYGROUND_REDIS_URL", redis_url)  # the documented setting
    settings = {"SEND_MAX_IN_FLIGHT": 3, "SEND_MAX_IN_FLIGHT_PER_CLIENT": 2}
    one, other = (serve_wsgi(make_app(**settings)) for _ in range(2))
    first, first_elsewhere, second, third = (
        visitor(served.url, address)
        for served, address in [
            (one, "127.0.0.41"),
            (other, "127.0.0.41"),
            (other, "127.0.0.42"),
            (one, "127.0.0.43"),
        ]
    )
    for who in (first, first_elsewhere, second, third):
        who.load()  # its page (cookie and token) before sending from several threads
    sends = _Sends()
    sends.start(first, gateway, 2)
    wait_for(lambda: len(slow.requests) == 2, "two sends held through the first instance")
    mine = first_elsewhere.send(gateway, timeout=30)
    assert mine.status_code == 429 and "from your address" in mine.text
    sends.start(second, gateway, 1)
    wait_for(lambda: len(slow.requests) == 3, "the last place taken through the other instance")
    full = third.send(gateway, timeout=30)
    assert full.status_code == 429 and "on this server" in full.text
    slow.release.set()
    sends.join()
    assert [a.status_code for a in sends.answers if isinstance(a, requests.Response)] == [200] * 3

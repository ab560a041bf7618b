"""The send deadline never cuts a connection once it is back in the pool (that it cuts its own
send is shown in test_faults and test_upstream)."""

from __future__ import annotations

import threading
from typing import Any

from playground.transport.deadline import Deadline, DeadlineAdapter


def _pool(url: str) -> Any:
    """Give a one-connection pool of the adapter's kind, as ``requests`` drives it."""
    adapter = DeadlineAdapter(pool_connections=1, pool_maxsize=1)
    return adapter.poolmanager.connection_from_url(url)


def _post(pool: Any) -> Any:
    return pool.urlopen("POST", "/x", body=b"{}", preload_content=False, decode_content=False)


def test_a_deadline_passing_after_its_answer_leaves_the_next_send_alone(keep_alive) -> None:
    """Visitor A's answer is in and its connection back in the pool, but A is still parsing
    when its deadline passes; meanwhile visitor B has taken that connection."""
    pool = _pool(keep_alive.url)
    taken, go = threading.Event(), threading.Event()
    got: list[object] = []

    def visitor_b() -> None:
        with Deadline(60):
            answer = _post(pool)
            taken.set()
            go.wait(5)
            try:
                got.append(answer.read())
            except Exception as exc:  # noqa: BLE001 (the failure is what the test shows)
                got.append(exc)

    with Deadline(60) as watch_a:
        assert _post(pool).read() == b"{}"  # read to the end: the connection goes back
        other = threading.Thread(target=visitor_b)
        other.start()
        assert taken.wait(5)
        watch_a.expire()
        go.set()
        other.join(5)
    assert got == [b"{}"]
    assert len(set(keep_alive.ports)) == 1  # B really had A's connection

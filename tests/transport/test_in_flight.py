"""Sends in flight are capped per client and in all, so a slow upstream cannot take every thread;
visitor-given URLs get a shorter deadline than the operator's gateways."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from playground import create_app
from playground.transport.in_flight import InFlightLimit, TooManyInFlight


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_client_over_its_limit_is_refused_and_told_when_to_retry() -> None:
    clock = _Clock()
    limit = InFlightLimit(total=3, per_client=2, clock=clock)
    with limit.hold("a", 20), limit.hold("a", 60):
        clock.now += 5
        with pytest.raises(TooManyInFlight) as refused, limit.hold("a", 20):
            pass
        assert refused.value.per_client and refused.value.retry_after == 15
        assert "from your address" in refused.value.message
        with limit.hold("b", 20):  # another client still has room
            assert limit.in_flight() == 3 and limit.in_flight("a") == 2
            with pytest.raises(TooManyInFlight) as full, limit.hold("c", 20):
                pass
            assert not full.value.per_client and "on this server" in full.value.message
    assert limit.in_flight() == 0
    with limit.hold("c", 20):
        assert limit.in_flight("c") == 1


def test_a_place_is_given_back_when_the_request_fails() -> None:
    limit = InFlightLimit(total=1, per_client=1)
    with pytest.raises(RuntimeError), limit.hold("a", 1):
        raise RuntimeError("the send broke")
    with limit.hold("a", 1):
        assert limit.in_flight() == 1


def test_retry_after_is_at_least_a_second() -> None:
    clock = _Clock()
    limit = InFlightLimit(total=1, per_client=1, clock=clock)
    with limit.hold("a", 1):
        clock.now += 5  # past the deadline: the place frees any moment
        with pytest.raises(TooManyInFlight) as refused, limit.hold("b", 1):
            pass
    assert refused.value.retry_after == 1


@pytest.mark.parametrize(
    "config",
    [
        {"SEND_MAX_IN_FLIGHT": 0},
        {"SEND_MAX_IN_FLIGHT_PER_CLIENT": "two"},
        {"SEND_VISITOR_DEADLINE": -1},
    ],
)
def test_bad_limits_fail_at_start(config: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(config))):
        create_app({"TESTING": True, **config})


def test_slow_sends_are_capped_and_other_visitors_are_still_served(
    held_upstream, make_app, serve_wsgi, visitor, wait_for
) -> None:
    slow, gateway = held_upstream
    app = make_app(SEND_MAX_IN_FLIGHT=3, SEND_MAX_IN_FLIGHT_PER_CLIENT=2)
    served = serve_wsgi(app)  # werkzeug's threaded server, over real sockets
    first, second, third = (visitor(served.url, f"127.0.0.{n}") for n in (1, 2, 3))
    first.load(), second.load()  # one page (cookie and token) each before sending in parallel
    answers: list[Any] = []

    def send(who: Any) -> None:
        answers.append(who.send(gateway))

    held = [threading.Thread(target=send, args=(who,)) for who in (first, first, second)]
    for thread in held[:2]:
        thread.start()
    wait_for(lambda: len(slow.requests) == 2, "two sends reached the upstream")

    # The first visitor's third send: over its own limit, answered at once, nothing sent.
    over_mine = first.send(gateway, timeout=10)
    assert over_mine.status_code == 429 and int(over_mine.headers["Retry-After"]) >= 1
    assert "Too many sends in progress from your address" in over_mine.text
    assert over_mine.headers["HX-Retarget"] == "#response"  # shown in the response pane
    # The second visitor's first send takes the last place; its second is over the server's.
    held[2].start()
    wait_for(lambda: len(slow.requests) == 3, "three sends reached the upstream")
    over_all = second.send(gateway, timeout=10)
    assert over_all.status_code == 429 and "on this server" in over_all.text
    assert len(slow.requests) == 3
    # A third visitor still loads the page; the own mock, answered in process, is not counted.
    page = third.load(timeout=10)
    assert page.status_code == 200 and "turn_detection" in page.text
    mocked = first.send(served.url + "/mock/v1", timeout=10)
    assert mocked.status_code == 200 and "ek_" in mocked.text

    slow.release.set()
    for thread in held:
        thread.join(30)
    assert sorted(a.status_code for a in answers) == [200, 200, 200]
    assert all("sess_slow" in a.text for a in answers)
    assert first.send(gateway, timeout=10).status_code == 200  # places given back


def test_a_typed_gateway_url_gets_the_shorter_visitor_deadline(held_upstream) -> None:
    slow, gateway = held_upstream
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": False}
        | {"SEND_DEADLINE": 30, "SEND_VISITOR_DEADLINE": 0.5}
    )
    headers = {"X-Playground-Gateway": gateway, "X-Playground-Key": "sk-x"}
    html = app.test_client().post("/send", data={"op": "sessions"}, headers=headers).text
    assert "No response" in html and "sess_slow" not in html
    assert "0.5 s" in html  # the deadline the visitor's send had


def test_an_operators_gateway_keeps_the_longer_deadline(held_upstream, monkeypatch) -> None:
    slow, gateway = held_upstream
    monkeypatch.setenv("TEAM_KEY_IN_FLIGHT", "sk-team")
    gateways = [{"name": "Team", "base_url": gateway, "key_env": "TEAM_KEY_IN_FLIGHT"}]
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": False, "GATEWAYS": gateways}
        | {"SEND_DEADLINE": 30, "SEND_VISITOR_DEADLINE": 0.5}
    )
    threading.Timer(1.5, slow.release.set).start()  # answers well after the visitors' deadline
    headers = {"X-Playground-Gateway-Name": "Team"}
    html = app.test_client().post("/send", data={"op": "sessions"}, headers=headers).text
    assert "200 OK" in html and "sess_slow" in html

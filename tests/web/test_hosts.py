"""DNS rebinding and cross-site posts: only the configured host names are served, and a
state-changing request from another origin is refused before anything runs."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests

from playground import create_app
from playground.web.hosts import TrustedHosts, in_process, serve_hosts

KEY = "sk-test-key-0123456789"


def _send_headers(url: str, **extra: str) -> dict[str, str]:
    return {"X-Playground-Gateway": quote(url), "X-Playground-Key": KEY, **extra}


# The Host header -------------------------------------------------------------------------


def test_a_rebound_host_name_gets_the_error_page_and_no_token(client) -> None:
    answer = client.get("/", headers={"Host": "attacker.example:8301"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'data-testid="error-page"' in html and "TRUSTED_HOSTS" in html
    assert "attacker.example" in html  # says which name, escaped like any text
    assert "csrf-token" not in html and "turn_detection" not in html


def test_a_send_through_a_rebound_host_name_sends_nothing(upstream, client) -> None:
    app, server = upstream
    client.csrf = False  # the probe's way: the token of the page loaded through that name
    rebound = "attacker.example:8301"
    page = client.get("/", headers={"Host": rebound}).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    headers = _send_headers(
        server.url + "/v1",
        Host=rebound,
        Origin=f"http://{rebound}",
        **{"X-CSRFToken": token.group(1) if token else ""},
    )
    answer = client.post("/send", data={"op": "sessions"}, headers=headers)
    assert answer.status_code == 400 and "TRUSTED_HOSTS" in answer.get_data(as_text=True)
    assert app.requests == []


def test_the_mock_answers_an_untrusted_host_as_the_api_would(client) -> None:
    answer = client.post(
        "/mock/v1/realtime/sessions",
        json={"model": "gpt-realtime"},
        headers={"Host": "attacker.example", "Authorization": "Bearer sk-x"},
    )
    assert answer.status_code == 400
    assert "TRUSTED_HOSTS" in answer.get_json()["error"]["message"]


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "127.0.0.1:8301", "[::1]:80"])
def test_loopback_names_are_served_by_default(client, host: str) -> None:
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_configured_names_are_served_and_others_are_not(make_app) -> None:
    client = make_app(
        TRUSTED_HOSTS=["play.example", "lab.example:8443", ".team.example"]
    ).test_client()

    def status(host: str) -> int:
        return client.get("/", headers={"Host": host}).status_code

    assert status("play.example") == 200 and status("PLAY.example:8000") == 200
    assert status("lab.example:8443") == 200 and status("lab.example:8444") == 400
    assert status("eu.team.example") == 200 and status("team.example") == 200
    assert status("localhost") == 400  # the list replaces the default
    assert status("evilteam.example") == 400


def test_the_setting_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("PLAYGROUND_TRUSTED_HOSTS", json.dumps(["play.example"]))
    app = create_app({"TESTING": True})
    assert app.test_client().get("/", headers={"Host": "play.example"}).status_code == 200
    assert app.test_client().get("/", headers={"Host": "localhost"}).status_code == 400
    # Flask's own check is not used: it would answer without the playground's page.
    assert app.config["TRUSTED_HOSTS"] is None


@pytest.mark.parametrize("bad", ["play.example", [""], ["http://play.example"], [3]])
def test_a_malformed_setting_fails_at_start(bad: Any) -> None:
    with pytest.raises(ValueError, match="TRUSTED_HOSTS"):
        create_app({"TRUSTED_HOSTS": bad})


def test_serve_trusts_its_bind_and_on_loopback_the_loopback_names() -> None:
    assert serve_hosts("127.0.0.1", 8301) == [
        "127.0.0.1:8301",
        "localhost:8301",
        "[::1]:8301",
    ]
    assert serve_hosts("play.example", 80) == ["play.example:80"]
    everywhere = serve_hosts("0.0.0.0", 8000)
    assert "localhost:8000" in everywhere and f"{socket.gethostname()}:8000" in everywhere
    assert not any(h.startswith("0.0.0.0") for h in everywhere)


def test_a_port_is_matched_when_the_entry_names_one() -> None:
    hosts = TrustedHosts.of(["localhost:8301", "play.example"])
    assert hosts.allows("localhost:8301", "http")
    assert not hosts.allows("localhost:8302", "http")
    assert not hosts.allows("localhost", "http")  # port 80
    assert hosts.allows("play.example", "https") and hosts.allows("play.example:1", "http")
    assert not hosts.allows("", "http") and not hosts.allows("play.example:x", "http")


# Origin and Sec-Fetch-Site on state-changing requests --------------------------------------


def test_a_post_from_another_origin_is_refused_before_anything_runs(upstream, client) -> None:
    app, server = upstream
    headers = _send_headers(server.url + "/v1", Origin="http://attacker.example:8301")
    answer = client.post("/send", data={"op": "sessions"}, headers=headers)
    assert answer.status_code == 403
    assert "another site" in answer.get_data(as_text=True)
    assert app.requests == []


def test_an_htmx_post_from_another_origin_says_so_in_the_response_pane(client) -> None:
    headers = {"Origin": "null", "HX-Request": "true"}
    answer = client.post("/preview", data={"op": "sessions"}, headers=headers)
    assert answer.status_code == 403 and answer.headers["HX-Retarget"] == "#response"
    assert "another site" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "http://localhost"}, 200),
        ({"Origin": "http://127.0.0.1:5000"}, 200),
        ({"Origin": "http://localhost.attacker.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({"Sec-Fetch-Site": "none"}, 200),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({}, 200),  # not a browser: the CSRF token still applies
    ],
)
def test_origin_or_else_fetch_site_decides(client, headers: dict[str, str], status: int) -> None:
    answer = client.post("/preview", data={"op": "sessions"}, headers=headers)
    assert answer.status_code == status


def test_a_page_load_from_a_link_on_another_site_is_fine(client) -> None:
    headers = {"Sec-Fetch-Site": "cross-site", "Referer": "https://elsewhere.example/"}
    assert client.get("/", headers=headers).status_code == 200


def test_the_mock_refuses_browser_posts_from_other_sites_but_not_api_clients(client) -> None:
    body = {"model": "gpt-realtime"}
    auth = {"Authorization": "Bearer sk-x"}
    refused = client.post(
        "/mock/v1/realtime/sessions", json=body, headers={**auth, "Origin": "https://a.example"}
    )
    assert refused.status_code == 403 and "another site" in refused.get_json()["error"]["message"]
    plain = client.post("/mock/v1/realtime/sessions", json=body, headers=auth)
    assert plain.status_code == 200 and plain.get_json()["client_secret"]["value"]


# Links come from the trusted host -----------------------------------------------------------


def test_share_links_and_the_mock_button_use_the_host_that_was_checked(make_app) -> None:
    client = make_app(TRUSTED_HOSTS=["play.example"]).test_client()
    page = client.get("/", headers={"Host": "play.example"}).get_data(as_text=True)
    assert 'data-gateway="http://play.example/mock/v1"' in page
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    shared = client.post(
        "/share",
        data={"op": "sessions", "temperature": "0.9"},
        headers={"Host": "play.example", "HX-Request": "true", "X-CSRFToken": token},
    ).get_data(as_text=True)
    assert "http://play.example/?p=" in shared


def test_the_own_mock_is_still_answered_in_process_under_a_strict_list(upstream, make_app) -> None:
    app, server = upstream
    client = make_app(TRUSTED_HOSTS=["play.example"]).test_client()
    page = client.get("/", headers={"Host": "play.example"}).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    headers = _send_headers(
        "http://play.example/mock/v1", Host="play.example", **{"X-CSRFToken": token}
    )
    html = client.post("/send", data={"op": "sessions"}, headers=headers).get_data(as_text=True)
    assert "200 OK" in html and "ek_" in html and "send-failure" not in html


# The probe, against `realtime-playground serve` itself --------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, int]]:
    """Give ``realtime-playground serve`` (the development server) on a free loopback port."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "playground", "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/static/app.css", timeout=2)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("serve did not start")
            time.sleep(0.2)
    yield url, port
    process.terminate()
    process.wait(timeout=20)


def test_serve_answers_only_for_its_own_host_and_port(served) -> None:
    url, port = served
    session = requests.Session()
    session.trust_env = False

    def get(host: str) -> requests.Response:
        return session.get(url + "/", headers={"Host": host}, timeout=10)

    rebound = get(f"attacker.example:{port}")
    assert rebound.status_code == 400 and "csrf-token" not in rebound.text
    assert get(f"localhost:{port}").status_code == 200
    assert get(f"127.0.0.1:{port}").status_code == 200
    assert get(f"localhost:{port + 1}").status_code == 400


def test_the_own_mock_called_in_process_sees_the_visitors_address(app) -> None:
    seen: list[str] = []

    def mock(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["REMOTE_ADDR"])
        start_response("200 OK", [])
        return []

    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        in_process(mock)({"REMOTE_ADDR": "127.0.0.1"}, lambda *_: None)
    assert seen == ["203.0.113.9"]  # the mock's limits per client count the visitor

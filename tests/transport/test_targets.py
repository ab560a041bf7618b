"""The SSRF guard: its decisions on addresses, names through an injected resolver, and the
pinned connection (real servers on 127.0.0.1 only)."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest

from playground import create_app
from playground.transport.client import Upstream, request_headers
from playground.transport.targets import AddressRefused, Guard, refusal
from playground.web.hosts import is_loopback


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "169.254.0.1",
        "100.64.0.1",  # shared address space: ipaddress.is_private says False
        "100.127.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.0.8",
        "198.18.0.1",
        "::1",
        "::",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:c000:0201::1",  # 6to4 of a public address: still refused
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fe80::1%eth0",
        "ff02::1",
        "fec0::1",
        "not-an-address",
    ],
)
def test_internal_and_special_addresses_are_refused(address: str) -> None:
    assert refusal(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "162.159.140.245", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address) == ""


def test_names_are_checked_on_every_address_they_resolve_to() -> None:
    answers = {"public.test": ["8.8.8.8"], "mixed.test": ["8.8.8.8", "10.0.0.1"]}
    guard = Guard.of([], resolver=lambda host, port: answers[host])
    assert guard.address_for("public.test", 443) == "8.8.8.8"
    with pytest.raises(AddressRefused, match="private"):
        guard.address_for("mixed.test", 443)


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "localhost", "::ffff:127.0.0.1"]
)
def test_numeric_forms_resolve_to_what_they_mean_and_are_refused(host: str) -> None:
    with pytest.raises(AddressRefused, match="loopback"):
        Guard.of([]).address_for(host, 80)  # the system resolver: these never leave the host


def test_the_allow_list_comes_first() -> None:
    def never(host: str, port: int) -> list[str]:
        raise AssertionError("an allowed host is not resolved")

    guard = Guard.of(["api.openai.com", "gw.internal:8443", "[fd00::5]:8080"], resolver=never)
    assert guard.address_for("API.openai.com", 443) is None
    assert guard.address_for("gw.internal", 8443) is None
    assert guard.address_for("fd00::5", 8080) is None
    with pytest.raises(AddressRefused):
        Guard.of(["gw.internal:8443"], resolver=lambda h, p: ["10.1.1.1"]).address_for(
            "gw.internal",
            6379,  # the operator's host, another port: not allowed
        )


def test_a_name_that_does_not_resolve_is_refused_without_naming_it() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("no such host")

    with pytest.raises(AddressRefused) as refused:
        Guard.of([], resolver=fail).address_for("secret-host.example", 443)
    assert "secret-host" not in str(refused.value)


# The connection goes to the checked address -----------------------------------------------


def _loopback_is_public(address: str) -> str:
    """A policy for tests: 127.0.0.1 counts as public, everything else as internal."""
    return "" if address == "127.0.0.1" else "internal"


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(upstream) -> None:
    app, server = upstream
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    guard = Guard.of([], resolver=resolver, refuse=_loopback_is_public)
    client = Upstream(guard=guard)
    # gateway.test does not resolve on this machine: it can only work through the pin.
    result = client.post_json(f"http://gateway.test:{server.port}/v1/x", {}, request_headers("k"))
    assert result.status == 200 and lookups == ["gateway.test"]
    assert app.requests[0]["headers"]["Host"] == f"gateway.test:{server.port}"


def test_dns_rebinding_gets_the_address_that_was_checked(upstream) -> None:
    app, server = upstream
    answers = iter([["127.0.0.1"], ["127.0.0.2"], ["127.0.0.2"]])
    guard = Guard.of([], resolver=lambda host, port: next(answers), refuse=_loopback_is_public)
    client = Upstream(guard=guard)
    url = f"http://rebind.test:{server.port}/v1/x"
    assert client.post_json(url, {}, request_headers("k")).status == 200
    second = client.post_json(url, {}, request_headers("k"))  # now "resolves" elsewhere
    assert second.status is None and second.failure_kind == "blocked"
    assert len(app.requests) == 1


# The switch ----------------------------------------------------------------------------------


def _send(client: Any, gateway: str) -> str:
    headers = {"X-Playground-Gateway": quote(gateway), "X-Playground-Key": "sk-ssrf-test-1"}
    return client.post("/send", data={"op": "sessions"}, headers=headers).get_data(as_text=True)


def test_the_guard_is_on_by_default_and_refuses_before_any_request(upstream) -> None:
    app, server = upstream
    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    for gateway in (server.url, f"http://[::ffff:127.0.0.1]:{server.port}", "http://2130706433/"):
        html = _send(client, gateway + "/v1")
        assert "does not send to internal addresses" in html and "loopback" in html
        assert "127.0.0.1" not in html and "2130706433" not in html
    assert app.requests == []


def test_the_built_in_mock_stays_allowed_behind_the_guard() -> None:
    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    html = _send(client, "http://localhost/mock/v1")
    body = re.search(r'data-testid="response-body">(.*?)</pre>', html, re.S)
    assert "200 OK" in html and body and "send-failure" not in html
    assert json.loads(unescape(body.group(1)))["client_secret"]["value"].startswith("ek_")


def test_a_forged_host_header_cannot_aim_the_mock_elsewhere(upstream) -> None:
    app, server = upstream
    client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    headers = {
        "Host": f"127.0.0.1:{server.port}",
        "X-Playground-Gateway": quote(f"http://127.0.0.1:{server.port}/mock/v1"),
        "X-Playground-Key": "sk-x",
    }
    html = client.post("/send", data={"op": "sessions"}, headers=headers).get_data(as_text=True)
    assert "200 OK" in html and "ek_" in html and "send-failure" not in html
    assert app.requests == []  # answered in process, nothing connected


def test_configured_gateways_stay_allowed(upstream, monkeypatch) -> None:
    app, server = upstream
    monkeypatch.setenv("TEAM_KEY_SSRF", "sk-team")
    gateways = [{"name": "Team", "base_url": server.url + "/v1", "key_env": "TEAM_KEY_SSRF"}]
    client = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "GATEWAYS": gateways}
    ).test_client()
    headers = {"X-Playground-Gateway-Name": "Team"}
    html = client.post("/send", data={"op": "sessions"}, headers=headers).get_data(as_text=True)
    assert "200 OK" in html and len(app.requests) == 1
    # The same host on another port is not the operator's gateway.
    assert "internal addresses" in _send(client, f"http://127.0.0.1:{server.port + 1}/v1")


def test_the_guard_can_be_switched_off_and_the_allow_list_set(monkeypatch) -> None:
    monkeypatch.setenv("PLAYGROUND_SSRF_GUARD", "false")
    monkeypatch.setenv("PLAYGROUND_SSRF_ALLOWED_HOSTS", json.dumps(["gw.example"]))
    app = create_app()
    assert app.config["SSRF_GUARD"] is False
    assert app.config["SSRF_ALLOWED_HOSTS"] == ["gw.example"]
    with pytest.raises(ValueError, match="SSRF_ALLOWED_HOSTS"):
        create_app({"SSRF_ALLOWED_HOSTS": "api.openai.com"})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.2", False),
        ("", False),
        ("example.org", False),
    ],
)
def test_serve_turns_the_guard_off_only_on_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback

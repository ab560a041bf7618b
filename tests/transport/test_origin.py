"""One origin value: ``host:port`` parsed and written the same way by trusted hosts, the SSRF
guard's allow-list, a pinned connection's ``Host`` and gunicorn's bind."""

from __future__ import annotations

import pytest

from playground.transport.origin import Origin, default_port


@pytest.mark.parametrize(
    ("text", "host", "port", "written"),
    [
        ("localhost", "localhost", None, "localhost"),
        ("Play.Example:8301", "play.example", 8301, "play.example:8301"),
        ("127.0.0.1:80", "127.0.0.1", 80, "127.0.0.1:80"),
        ("[::1]:8301", "::1", 8301, "[::1]:8301"),
        ("[::1]", "::1", None, "[::1]"),
        ("0:0::1", "::1", None, "[::1]"),  # bare IPv6: no port, written in brackets
    ],
)
def test_an_origin_is_parsed_and_written_back(
    text: str, host: str, port: int | None, written: str
) -> None:
    origin = Origin.parse(text)
    assert (origin.host, origin.port) == (host, port)
    assert str(origin) == written
    assert Origin.parse(str(origin)) == origin


@pytest.mark.parametrize(
    "text", ["", "http://x", "x/y", "a b", "user@x", "x:port", "x:99999", ":80", "[::1"]
)
def test_what_is_no_host_and_port_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Origin.parse(text)


def test_the_default_ports_are_the_schemes() -> None:
    assert (default_port("http"), default_port("https"), default_port("ws")) == (80, 443, 80)
    assert Origin("x").port_or("https") == 443
    assert Origin("x", 8443).port_or("https") == 8443


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("https://GW.example/v1", "gw.example:443"),
        ("http://gw.example/v1", "gw.example:80"),
        ("https://gw.example:8443/v1", "gw.example:8443"),
        ("https://[fd00::5]:8080/v1", "[fd00::5]:8080"),
    ],
)
def test_a_urls_origin_names_its_port(url: str, written: str) -> None:
    assert str(Origin.of_url(url)) == written


@pytest.mark.parametrize(
    ("origin", "scheme", "header"),
    [
        (Origin("gw.example", 443), "https", "gw.example"),
        (Origin("gw.example", 443), "http", "gw.example:443"),
        (Origin("fd00::5", 8080), "https", "[fd00::5]:8080"),
        (Origin("fd00::5", 80), "http", "[fd00::5]"),
    ],
)
def test_the_host_header_leaves_out_the_default_port(
    origin: Origin, scheme: str, header: str
) -> None:
    assert origin.host_header(scheme) == header


def test_the_trusted_hosts_and_the_guard_read_an_origin_alike() -> None:
    from playground.transport.targets import Guard
    from playground.web.hosts import TrustedHosts, serve_hosts

    written = serve_hosts("::1", 8301)
    assert "[::1]:8301" in written
    assert TrustedHosts.of(written).allows("[::1]:8301", "http")
    guard = Guard.of([*written, Origin.of_url("https://gw.example/v1")])
    assert guard.is_allowed("::1", 8301) and not guard.is_allowed("::1", 8302)
    assert guard.is_allowed("GW.example.", 443) and not guard.is_allowed("gw.example", 80)

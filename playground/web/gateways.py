"""The gateways a send or a call goes to, and the one HTTP client that reaches them.

Operators can configure named gateways whose key the server reads from an environment
variable; ``SEND_CONFIGURED_ONLY`` allows only those (hosted mode). A visitor's own gateway URL
and credentials come with each request instead (:mod:`playground.web.send_target`).

Configuration (also from the environment as ``PLAYGROUND_<NAME>``, JSON values):
``SEND_CONNECT_TIMEOUT``, ``SEND_READ_TIMEOUT``, ``SEND_DEADLINE`` (seconds, for the operator's
gateways), ``SEND_VISITOR_DEADLINE`` (for a URL a visitor typed, at most ``SEND_DEADLINE``),
``SEND_MAX_BYTES``, ``GATEWAYS`` (``[{"name", "base_url", "key_env"}]``, optional
``organization`` and ``project``), ``SEND_CONFIGURED_ONLY``, ``SEND_MAX_IN_FLIGHT`` and
``SEND_MAX_IN_FLIGHT_PER_CLIENT`` (sends waiting on upstreams at once, over every process of the
instance, or every instance sharing ``REDIS_URL``), ``SEND_MAX_IN_FLIGHT_PER_PROCESS``,
``RUN_DIR`` (where the instance's processes count them; see
:mod:`playground.transport.in_flight`), ``SSRF_GUARD`` and ``SSRF_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from playground.mock import PREFIX as MOCK_PREFIX
from playground.transport import inprocess
from playground.transport.checks import RequestRefused, check_gateway_url
from playground.transport.client import Limits, Upstream
from playground.transport.in_flight import InFlightLimit, places_for
from playground.transport.origin import Origin
from playground.transport.targets import ALLOWED_BY_DEFAULT, Guard
from playground.web import hosts

#: Where the app keeps its HTTP client and its limit on requests in flight.
UPSTREAM_EXTENSION = "playground.upstream"
IN_FLIGHT_EXTENSION = "playground.in_flight"

DEFAULTS: dict[str, Any] = {
    "SEND_CONNECT_TIMEOUT": 5.0,
    "SEND_READ_TIMEOUT": 30.0,
    "SEND_DEADLINE": 60.0,
    # A URL a visitor typed may be a server built to hold the thread: it gets less time.
    "SEND_VISITOR_DEADLINE": 20.0,
    "SEND_MAX_IN_FLIGHT": 8,
    "SEND_MAX_IN_FLIGHT_PER_CLIENT": 2,
    "SEND_MAX_IN_FLIGHT_PER_PROCESS": None,  # as many as SEND_MAX_IN_FLIGHT
    # Where the places in flight are counted: the Redis every instance shares, else a file in
    # this instance's run directory (a temporary one, made before gunicorn forks, if empty).
    "REDIS_URL": "",
    "RUN_DIR": "",
    "SEND_MAX_BYTES": 1024 * 1024,
    "GATEWAYS": [],
    "SEND_CONFIGURED_ONLY": False,
    # On unless the server is known to listen on loopback only (``realtime-playground serve``
    # says so); behind a reverse proxy set it explicitly.
    "SSRF_GUARD": True,
    "SSRF_ALLOWED_HOSTS": list(ALLOWED_BY_DEFAULT),
}


@dataclass(frozen=True)
class ConfiguredGateway:
    """A gateway the operator set up: the server supplies its key from the environment."""

    name: str
    base_url: str
    key_env: str
    organization: str = ""
    project: str = ""

    @property
    def key(self) -> str:
        """Give the key from the environment (read at send time, so it can be rotated)."""
        return os.environ.get(self.key_env, "") if self.key_env else ""


def parse_gateways(entries: Any) -> dict[str, ConfiguredGateway]:
    """Give the configured gateways by name, or raise ``ValueError`` saying what is wrong."""
    if not isinstance(entries, list):
        raise ValueError("GATEWAYS must be a list of {name, base_url, key_env} objects")
    gateways: dict[str, ConfiguredGateway] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ValueError(f"GATEWAYS[{index}] needs a name")
        unknown = set(entry) - {"name", "base_url", "key_env", "organization", "project"}
        if unknown:
            raise ValueError(f"GATEWAYS[{index}] has unknown keys: {', '.join(sorted(unknown))}")
        try:
            base_url = check_gateway_url(str(entry.get("base_url", "")))
        except RequestRefused as exc:
            raise ValueError(f"GATEWAYS[{index}] ({entry['name']}): {exc}") from None
        name = entry["name"].strip()
        if not name or name in gateways:
            raise ValueError(f"GATEWAYS[{index}]: names must be non-empty and unique")
        gateways[name] = ConfiguredGateway(
            name=name,
            base_url=base_url,
            key_env=str(entry.get("key_env", "")),
            organization=str(entry.get("organization", "")),
            project=str(entry.get("project", "")),
        )
    return gateways


def init_app(app: Flask) -> None:
    """Set the send defaults, check them and the configured gateways, make the HTTP client and
    the limit on requests in flight (raises ``ValueError`` for a bad setting)."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.config["GATEWAYS"] = parse_gateways(app.config["GATEWAYS"])
    if app.config["SEND_MAX_IN_FLIGHT_PER_PROCESS"] is None:
        app.config["SEND_MAX_IN_FLIGHT_PER_PROCESS"] = app.config["SEND_MAX_IN_FLIGHT"]
    app.extensions[IN_FLIGHT_EXTENSION] = InFlightLimit(
        total=_setting(app, "SEND_MAX_IN_FLIGHT", int, 1),
        per_client=_setting(app, "SEND_MAX_IN_FLIGHT_PER_CLIENT", int, 1),
        per_process=_setting(app, "SEND_MAX_IN_FLIGHT_PER_PROCESS", int, 1),
        places=places_for(str(app.config["REDIS_URL"]), str(app.config["RUN_DIR"])),
    )
    _setting(app, "SEND_VISITOR_DEADLINE", float, 0.001)
    limits = Limits(
        connect_timeout=float(app.config["SEND_CONNECT_TIMEOUT"]),
        read_timeout=float(app.config["SEND_READ_TIMEOUT"]),
        deadline=float(app.config["SEND_DEADLINE"]),
        max_bytes=int(app.config["SEND_MAX_BYTES"]),
    )
    allowed = _allowed_hosts(app.config["SSRF_ALLOWED_HOSTS"], app.config["GATEWAYS"])
    guard = Guard.of(allowed) if app.config["SSRF_GUARD"] else None
    client = Upstream(limits, guard=guard)
    client.mount_app(inprocess.BASE, hosts.in_process(app), only=MOCK_PREFIX)  # no other route
    app.extensions[UPSTREAM_EXTENSION] = client


def _setting(app: Flask, name: str, kind: type[int] | type[float], least: float) -> Any:
    """Give the setting ``name`` as a ``kind`` of at least ``least``, or raise ``ValueError``."""
    value = app.config[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < least:
        raise ValueError(f"{name} must be a number of at least {least:g}, not {value!r}")
    return kind(value)


def _allowed_hosts(hosts: Any, gateways: dict[str, ConfiguredGateway]) -> list[str | Origin]:
    """Give the guard's allow-list: the configured hosts and every configured gateway's origin."""
    if isinstance(hosts, str) or not isinstance(hosts, list):
        raise ValueError('SSRF_ALLOWED_HOSTS must be a list of host names, e.g. ["api.openai.com"]')
    allowed: list[str | Origin] = [str(h) for h in hosts]
    allowed.extend(Origin.of_url(gateway.base_url) for gateway in gateways.values())
    return allowed


def upstream() -> Upstream:
    """Give the app's one HTTP client for gateways."""
    found: Upstream = current_app.extensions[UPSTREAM_EXTENSION]
    return found


def in_flight_limit() -> InFlightLimit:
    """Give the app's limit on requests waiting on upstreams."""
    found: InFlightLimit = current_app.extensions[IN_FLIGHT_EXTENSION]
    return found

"""The host names this server answers for, and where its state-changing requests may come from.

DNS rebinding: a page on ``attacker.example`` whose name is then pointed at 127.0.0.1 reaches a
local playground as ``Host: attacker.example:8301``; to the browser that is the attacker's own
origin, so the page could read the form (and its CSRF token) and post sends. Only the names in
``TRUSTED_HOSTS`` (``PLAYGROUND_TRUSTED_HOSTS``, a JSON list of ``host``, ``host:port`` or
``.domain`` for it and its subdomains) are served; any other ``Host`` gets the playground's own
400 page saying why. ``realtime-playground serve`` trusts the name and port it binds (and the
loopback names on a loopback bind); ``create_app()`` alone trusts the loopback names on any port.

Flask's own ``TRUSTED_HOSTS`` check is replaced by this one: it ignores ports, and it fails
before the error page can be drawn.

A request that changes something (any method but GET, HEAD, OPTIONS) must also come from a
trusted origin: its ``Origin``, or when a browser sent none, ``Sec-Fetch-Site`` (same-origin or
none). The mock's API is checked too: a page on another site must not use it through a
visitor's browser; API clients send neither header.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, has_request_context, request

from playground.transport.origin import DEFAULT_PORTS, Origin
from playground.web.links import TRUSTED_HOSTS_EXTENSION
from playground.web.refusals import answer_refused
from playground.web.state import is_htmx

#: What ``create_app()`` trusts unless told: loopback names, any port.
DEFAULT = ("localhost", "127.0.0.1", "[::1]")
#: Set in the environ of requests the server makes to itself (its mock, answered in process):
#: no client can set a key without the ``HTTP_`` prefix.
IN_PROCESS = "playground.in_process"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SAME_ORIGIN_FETCHES = frozenset({"same-origin", "none"})


@dataclass(frozen=True)
class _Entry:
    name: str
    port: int | None  # None: any port
    subdomains: bool

    def matches(self, name: str, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        return name == self.name or (self.subdomains and name.endswith("." + self.name))


@dataclass(frozen=True)
class TrustedHosts:
    """The ``host[:port]`` values a request's ``Host`` (and ``Origin``) may name."""

    entries: tuple[_Entry, ...]

    @classmethod
    def of(cls, hosts: Any) -> TrustedHosts:
        """Give the trusted hosts of a ``TRUSTED_HOSTS`` value, or raise ``ValueError``."""
        if isinstance(hosts, str) or not isinstance(hosts, list | tuple):
            raise ValueError('TRUSTED_HOSTS must be a list of host names, e.g. ["play.example"]')
        entries = []
        for index, host in enumerate(hosts):
            try:
                if not isinstance(host, str):
                    raise ValueError
                subdomains = host.startswith(".")
                origin = Origin.parse(host[1:] if subdomains else host)
            except ValueError:
                raise ValueError(
                    f"TRUSTED_HOSTS[{index}] must be a host name, host:port or .domain "
                    "(no scheme or path)"
                ) from None
            entries.append(_Entry(origin.host, origin.port, subdomains))
        return cls(tuple(entries))

    def allows(self, host: str, scheme: str) -> bool:
        """Give whether ``host`` (a ``Host`` header: ``name[:port]``) is trusted; a missing
        port is the ``scheme``'s default."""
        try:
            origin = Origin.parse(host)
        except ValueError:
            return False
        port = origin.port_or(scheme)
        return any(entry.matches(origin.host, port) for entry in self.entries)


def is_loopback(host: str) -> bool:
    """Give whether ``host`` (a ``--host`` value) is a loopback-only address."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Give whether ``host`` (a ``--host`` value) binds every interface."""
    return host.strip("[]") in ("", "0.0.0.0", "::")


def serve_hosts(host: str, port: int) -> list[str]:
    """Give what ``realtime-playground serve --host HOST --port PORT`` trusts: that name and
    port, the loopback names on a loopback bind, and this machine's names on a wildcard one."""
    name = host.strip("[]").lower()
    wildcard = is_wildcard(host)
    names = [] if wildcard else [name]
    if wildcard or is_loopback(host):
        names += ["localhost", "127.0.0.1", "::1"]
    if wildcard:
        names += _machine_names()
    trusted: list[str] = []
    for each in names:
        entry = str(Origin(each, port))
        if entry not in trusted:
            trusted.append(entry)
    return trusted


def _machine_names() -> list[str]:
    """Give this machine's host names and their addresses (for a server bound to every
    interface, reached by any of them)."""
    names = [socket.gethostname().lower(), socket.getfqdn().lower()]
    try:
        names += [str(info[4][0]) for info in socket.getaddrinfo(names[0], None)]
    except OSError:
        pass
    return [n for n in names if n]


def init_app(app: Flask) -> None:
    """Check every request's ``Host`` (and a state-changing one's origin) before anything runs;
    give a configuration error (``ValueError``) at start."""
    configured = app.config.get("TRUSTED_HOSTS")
    app.extensions[TRUSTED_HOSTS_EXTENSION] = TrustedHosts.of(
        list(DEFAULT) if configured is None else configured
    )
    app.config["TRUSTED_HOSTS"] = None  # Flask's check would fail before the error page
    app.before_request(_check_request)


def in_process(wsgi_app: Any) -> Any:
    """Give ``wsgi_app`` marked as called by the server itself (its own mock, in process),
    whose requests name no host a visitor chose; they come from the visitor's address, so the
    mock's limits per client count the visitor, not the server."""

    def marked(environ: dict[str, Any], start_response: Any) -> Any:
        environ[IN_PROCESS] = True
        if has_request_context():  # the visitor's request, whose send this is
            environ["REMOTE_ADDR"] = request.remote_addr or ""
        return wsgi_app(environ, start_response)

    return marked


def _trusted() -> TrustedHosts:
    return current_app.extensions[TRUSTED_HOSTS_EXTENSION]  # type: ignore[no-any-return]


def _check_request() -> Response | None:
    if request.environ.get(IN_PROCESS):
        return None
    if not _trusted().allows(request.host, request.scheme):
        abort(
            400,
            f"This server does not answer for the host name {request.host or '(none)'!r}. "
            "If you run it, add that name to PLAYGROUND_TRUSTED_HOSTS; if you followed a "
            "link, the site that gave it may be trying to reach this server through your "
            "browser.",
        )
    if request.method in _SAFE_METHODS or _from_trusted_origin():
        return None
    message = (
        f"This request came from another site ({request.headers.get('Origin') or 'unnamed'}), "
        "so nothing was done. If it came from this page, its host name must be added to "
        "PLAYGROUND_TRUSTED_HOSTS."
    )
    if is_htmx():
        return answer_refused(message, 403, keep_form=False)
    abort(403, message)


def _from_trusted_origin() -> bool:
    """Give whether a state-changing request comes from a trusted origin, or from no browser."""
    origin = request.headers.get("Origin")
    if origin is None:  # an older browser, or not a browser: ask Fetch Metadata
        site = request.headers.get("Sec-Fetch-Site")
        return site is None or site in _SAME_ORIGIN_FETCHES
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in DEFAULT_PORTS or parts.path or parts.query or not parts.netloc:
        return False  # "null" (a sandbox, a file) included
    return _trusted().allows(parts.netloc, parts.scheme)

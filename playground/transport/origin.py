"""Where a server is reached: a host name or address and a port, with the scheme's default port.

One value for every ``host:port`` the playground reads or writes: the ``Host`` and ``Origin``
it trusts (:mod:`playground.web.hosts`), the gateways' origins the SSRF guard allows
(:mod:`playground.transport.targets`), the ``Host`` of a pinned connection and gunicorn's bind.
An IPv6 address is kept without brackets and written with them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

#: The port a scheme means when a URL names none (anything else: 80, as browsers do for http).
DEFAULT_PORTS = {"http": 80, "https": 443}


def default_port(scheme: str) -> int:
    """Give the port a URL of ``scheme`` reaches when it names none."""
    return DEFAULT_PORTS.get(scheme, 80)


@dataclass(frozen=True)
class Origin:
    """A host (a name or an address, IPv6 without brackets) and a port (``None``: not given)."""

    host: str
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> Origin:
        """Give the origin of ``name[:port]`` (IPv6 in brackets, or bare without a port), the
        name in lower case; raise ``ValueError`` for anything else (a scheme, a path, spaces)."""
        if not text or any(c in text for c in "/?#@\\") or any(c.isspace() for c in text):
            raise ValueError(text)
        if text.count(":") > 1 and not text.startswith("["):  # a bare IPv6 address
            return cls(str(ipaddress.IPv6Address(text)))
        parts = urlsplit("//" + text)
        name = (parts.hostname or "").lower()
        if not name:
            raise ValueError(text)
        return cls(name, parts.port)  # .port raises ValueError for a bad one

    @classmethod
    def of_url(cls, url: str) -> Origin:
        """Give the origin a URL reaches, its port given (the scheme's default when it names
        none)."""
        parts = urlsplit(url)
        return cls((parts.hostname or "").lower(), parts.port or default_port(parts.scheme))

    @property
    def name(self) -> str:
        """Give the host as a URL writes it: an IPv6 address in brackets."""
        return f"[{self.host}]" if ":" in self.host else self.host

    def with_port(self, port: int) -> Origin:
        """Give this host at ``port``."""
        return replace(self, port=port)

    def port_or(self, scheme: str) -> int:
        """Give the port, or ``scheme``'s default when none is given."""
        return self.port if self.port is not None else default_port(scheme)

    def host_header(self, scheme: str) -> str:
        """Give the ``Host`` a request of ``scheme`` sends here: the port left out when it is
        the scheme's default."""
        if self.port is None or self.port == default_port(scheme):
            return self.name
        return str(self)

    def __str__(self) -> str:
        """Give ``name:port`` (``[v6]:port``), or the name alone when no port is given."""
        return self.name if self.port is None else f"{self.name}:{self.port}"

"""The SSRF guard of hosted mode: which addresses a send may connect to, checked on the address
actually connected to.

A host on the allow-list (the operator's gateways, ``api.openai.com`` by default) is sent to as
it is. Any other host is resolved once, every address it resolves to must be public, and the
connection goes to the checked address (:class:`PinnedAdapter` puts it in the connection pool's
key, keeping the name for ``Host``, SNI and the certificate check), so a DNS answer that changes
between the check and the connect (rebinding) is never used. Numeric forms (``2130706433``,
``0x7f.1``, ``[::ffff:127.0.0.1]``) resolve to the address they mean and are checked as that.

Not :mod:`requests_hardened`: it logs the refused host name (the gateway URL must never reach
the logs), has no host allow-list and no resolver a test can replace; the pinning is the same.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import requests

from playground.transport.deadline import DeadlineAdapter
from playground.transport.origin import Origin

if TYPE_CHECKING:
    from requests.adapters import _HostParams, _PoolKwargs

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

#: What ``ipaddress``'s flags miss, or get wrong on some Python versions.
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host
        "100.64.0.0/10",  # shared address space (carrier-grade NAT): not is_private
        "169.254.0.0/16",  # link-local, the cloud metadata address 169.254.169.254
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast
        "198.18.0.0/15",  # benchmarking
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
        "64:ff9b::/96",  # NAT64: reaches any IPv4 address, private ones included
        "64:ff9b:1::/48",  # local-use NAT64
        "2002::/16",  # 6to4: embeds an IPv4 address
        "2001::/32",  # Teredo: embeds an IPv4 address
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
        "::/128",
        "::1/128",
    )
)
ALLOWED_BY_DEFAULT = ("api.openai.com",)


class AddressRefused(requests.exceptions.ConnectionError):
    """The gateway's address is not one a hosted playground may connect to."""


def refusal(address: str) -> str:
    """Give why ``address`` may not be connected to, or ``""`` when it is a public address."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for flag in ("loopback", "link_local", "multicast", "reserved", "unspecified", "private"):
        if getattr(ip, f"is_{flag}"):
            return flag.replace("_", "-")
    if any(ip in net for net in BLOCKED_NETWORKS if net.version == ip.version):
        return "special-purpose"
    if not ip.is_global:
        return "not global"
    return ""


def system_resolver(host: str, port: int) -> list[str]:
    """Give the addresses ``host`` resolves to, as the system's resolver gives them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]


@dataclass
class Guard:
    """Decides where a send may connect: allow-listed hosts as they are, else public addresses.

    ``allowed`` holds origins: a host without a port allows any port.
    """

    allowed: frozenset[Origin] = frozenset(Origin(host) for host in ALLOWED_BY_DEFAULT)
    resolver: Resolver = field(default=system_resolver)
    refuse: Callable[[str], str] = field(default=refusal)

    @classmethod
    def of(
        cls,
        hosts: Iterable[str | Origin],
        resolver: Resolver | None = None,
        refuse: Callable[[str], str] = refusal,
    ) -> Guard:
        """Give a guard allowing ``hosts`` (origins, or ``host`` or ``host:port`` strings)."""
        allowed = frozenset(_key(_origin(h)) for h in hosts if isinstance(h, Origin) or h.strip())
        return cls(allowed, resolver or system_resolver, refuse)

    def is_allowed(self, host: str, port: int) -> bool:
        """Give whether ``host:port`` is on the allow-list."""
        name = _key(Origin(host))
        return name in self.allowed or name.with_port(port) in self.allowed

    def address_for(self, host: str, port: int) -> str | None:
        """Give the address to connect to for ``host:port`` (None: connect by name, allowed),
        or raise :class:`AddressRefused` saying why, without naming the host."""
        host = host.strip("[]")
        if self.is_allowed(host, port):
            return None
        try:
            addresses = self.resolver(host, port)
        except (OSError, UnicodeError):
            raise AddressRefused("the gateway's host name could not be resolved") from None
        if not addresses:
            raise AddressRefused("the gateway's host name could not be resolved")
        for address in addresses:
            why = self.refuse(address)
            if why:
                raise AddressRefused(f"the gateway's address is {why}")
        return addresses[0]


def _origin(entry: str | Origin) -> Origin:
    """Give the origin an allow-list entry names (an entry that is no ``host[:port]`` stands
    for itself, as a host no request names)."""
    if isinstance(entry, Origin):
        return entry
    try:
        return Origin.parse(entry.strip())
    except ValueError:
        return Origin(entry.strip().strip("[]"))


def _key(origin: Origin) -> Origin:
    """Give the origin as the allow-list compares it: the name in lower case, no final dot."""
    return Origin(origin.host.lower().rstrip("."), origin.port)


class PinnedAdapter(DeadlineAdapter):
    """A transport adapter that connects only where the :class:`Guard` allows, to the address it
    checked (the pool is keyed by that address; the name stays the ``Host`` and TLS name)."""

    def __init__(
        self, guard: Guard, pool_connections: int = 10, pool_maxsize: int = 10, max_retries: int = 0
    ) -> None:
        self.guard = guard
        super().__init__(pool_connections, pool_maxsize, max_retries)

    def build_connection_pool_key_attributes(
        self,
        request: requests.PreparedRequest,
        verify: bool | str,
        cert: str | tuple[str, str] | None = None,
    ) -> tuple[_HostParams, _PoolKwargs]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        host = host_params["host"]
        scheme = host_params["scheme"]
        port = Origin(host, host_params["port"]).port_or(scheme)
        address = self.guard.address_for(host, port)
        if address is None:
            return host_params, pool_kwargs
        request.headers["Host"] = Origin(host.strip("[]"), port).host_header(scheme)
        if scheme == "https":
            # urllib3's pool takes these; the stubs' TypedDict lists only what requests sets.
            tls_names = cast("dict[str, Any]", pool_kwargs)
            tls_names["assert_hostname"] = host
            tls_names["server_hostname"] = host
        host_params["host"] = address
        return host_params, pool_kwargs

"""Which addresses ipwatch may reach: public ones, plus the private hosts an operator named.

Listing pages choose the URLs we fetch. ``AddressPolicy`` is the one rule that Scrapy's requests
(``crawler.middlewares.ssrf``), both browsers (through ``netguard.proxy``) and ``ipwatch detect``'s
image downloads ask; it knows no framework, so every layer may import it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self


# Cloud metadata services live here; an allowed *name* never unlocks them, only the exact address.
_LINK_LOCAL = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))
_NO_NETWORK_SCHEMES = ("data", "blob", "about")  # browser-internal, nothing leaves the machine
_NETWORK_SCHEMES = ("http", "https", "ws", "wss")


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip


def is_private_address(address: str) -> bool:
    ip = _ip(address)
    return not ip.is_global or ip.is_multicast


def is_link_local(address: str) -> bool:
    ip = _ip(address)
    return any(ip in network for network in _LINK_LOCAL)


def resolve(host: str) -> list[str]:
    """Every address ``host`` stands for, as the OS resolver reads it (decimal, octal, hex too)."""
    host = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []  # the download itself will fail and be counted as an error
    return sorted({str(info[4][0]) for info in infos})


def _host_port(entry: str) -> tuple[str, int | None]:
    """``HOST``, ``HOST:PORT``, ``[V6]:PORT`` or a bare IPv6 address (``fe80::1``, any port)."""
    entry = entry.strip().lower()
    if _is_canonical_address(entry) or _is_canonical_address(entry.strip("[]")):
        return (entry.strip("[]"), None)
    parts = urlsplit(f"//{entry}")
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "", port)


@dataclass(frozen=True)
class AddressPolicy:
    """Which URLs a crawl may fetch: public addresses, plus the private hosts an operator named.

    An allowed entry is ``HOST`` (any port) or ``HOST:PORT``. Link-local addresses (cloud
    metadata, 169.254.0.0/16, fe80::/10) are refused even for an allowed name; only an entry
    that is that exact address, used as that address in the URL, lets them through.
    """

    allowed: frozenset[tuple[str, int | None]] = frozenset()

    @classmethod
    def from_hosts(cls, hosts: Iterable[str]) -> Self:
        return cls(frozenset(_host_port(host) for host in hosts if host.strip()))

    def _allows(self, host: str, port: int | None) -> bool:
        return (host, None) in self.allowed or (host, port) in self.allowed

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, or None when it may (resolves the host: blocking)."""
        return self.check(url)[1]

    def check(self, url: str) -> tuple[list[str], str | None]:
        """The addresses ``url``'s host resolved to, and why it is refused (None: allowed).

        Connect to one of these addresses, not to the name again, so DNS cannot change its
        answer between the check and the connection.
        """
        addresses: list[str] = []
        return addresses, self._reason(url, addresses)

    def _reason(self, url: str, addresses: list[str]) -> str | None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in _NO_NETWORK_SCHEMES:
            return None
        if scheme not in _NETWORK_SCHEMES:
            return f"scheme {scheme!r} is not fetched"
        host = (parts.hostname or "").lower()
        if not host:
            return "the URL has no host"
        try:
            port = parts.port or (443 if scheme in ("https", "wss") else 80)
        except ValueError:
            return "the URL has an invalid port"
        addresses.extend(resolve(host))
        private = [address for address in addresses if is_private_address(address)]
        if not private:
            return None
        if self._allows(host, port):
            link_local = [address for address in private if is_link_local(address)]
            if not link_local or _is_canonical_address(host):
                return None
            return (
                f"{host} resolves to link-local (metadata) address(es) {', '.join(link_local)}; "
                "only an allowed entry naming that exact address (--allow-private-host "
                f"{_ip(link_local[0])}), used as that address in the URL, lets it through"
            )
        return (
            f"{host} resolves to non-public address(es) {', '.join(private)}; allow the host "
            "(--allow-private-host HOST or crawl.allowed_private_hosts) only if you run it yourself"
        )


def _is_canonical_address(host: str) -> bool:
    """``169.254.169.254`` or ``fe80::1`` as written by ``ipaddress``: not a name, not another
    spelling (decimal, octal, hex, IPv4-mapped) that an allowance for a name could cover."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    mapped = isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None
    return not mapped and str(ip) == host.strip("[]")

"""Refuse requests to private, loopback and link-local addresses (listing pages choose our URLs)."""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler


class PrivateAddressBlocked(IgnoreRequest):
    """The URL resolves to an address we never fetch from (SSRF guard)."""


def is_private_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def resolve(host: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return []  # the download itself will fail and be counted as an error
    return sorted({str(info[4][0]) for info in infos})


class PrivateAddressGuardMiddleware:
    """Images and links come from attacker-controlled pages; never let them point us inwards."""

    def __init__(self, allowed_hosts: list[str]):
        self.allowed_hosts = {host.lower() for host in allowed_hosts}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getlist("IPWATCH_ALLOWED_PRIVATE_HOSTS"))

    def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if host in self.allowed_hosts:
            return None
        private = [addr for addr in resolve(host) if is_private_address(addr)]
        if private:
            raise PrivateAddressBlocked(
                f"refusing {request.url}: {host} resolves to non-public address(es) "
                f"{', '.join(private)}; add the host to IPWATCH_ALLOWED_PRIVATE_HOSTS "
                "only if you run that marketplace yourself"
            )
        return None

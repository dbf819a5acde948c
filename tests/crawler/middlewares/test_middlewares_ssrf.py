from __future__ import annotations

import pytest
import scrapy

from crawler.middlewares.ssrf import PrivateAddressBlocked, PrivateAddressGuardMiddleware
from netguard.policy import is_private_address


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fc00::1",
        "0.0.0.0",
        "224.0.0.1",
    ],
)
def test_private_addresses(address: str) -> None:
    assert is_private_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses(address: str) -> None:
    assert not is_private_address(address)


def test_blocks_loopback_and_metadata_urls() -> None:
    guard = PrivateAddressGuardMiddleware(allowed_hosts=[])
    for url in (
        "http://127.0.0.1:8080/x",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/",
        "http://[::1]/",
    ):
        with pytest.raises(PrivateAddressBlocked, match="IPWATCH_ALLOWED_PRIVATE_HOSTS"):
            guard.process_request(scrapy.Request(url))


def test_allowed_host_passes() -> None:
    guard = PrivateAddressGuardMiddleware(allowed_hosts=["127.0.0.1"])
    assert guard.process_request(scrapy.Request("http://127.0.0.1:8080/item/1")) is None

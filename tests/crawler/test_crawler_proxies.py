"""Crawls through the marketplace's proxy pool: credentials from the environment, never logged."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from demomarket import DemoMarket
from tests.crawler.crawl_support import SEARCH, crawl, crawl_cli, listing_ids
from tests.services.forward_proxy import ForwardProxy

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

USER, PASSWORD = "crawler", "s3cr3t:p@ss/word"  # characters that need quoting in a URL
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def configure(home: Path, port: int) -> None:
    home.mkdir()
    (home / "ipwatch.yaml").write_text(
        "crawl:\n"
        "  log_level: DEBUG\n"
        "  marketplaces:\n"
        "    demo:\n"
        "      proxies:\n"
        f"        - http://${{T_PROXY_USER}}:${{T_PROXY_PASS}}@127.0.0.1:{port}\n",
        encoding="utf-8",
    )


def test_requests_go_through_the_proxy_and_credentials_never_leak_into_logs(
    tmp_path: Path, demo_market: DemoMarket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Credential leak: the proxy password must reach the proxy only, not logs or the index."""
    monkeypatch.setenv("T_PROXY_USER", USER)
    monkeypatch.setenv("T_PROXY_PASS", PASSWORD)
    home = tmp_path / "home"
    with ForwardProxy(expected_authorization=BASIC) as proxy:
        configure(home, proxy.port)
        result, run = crawl(home, demo_market)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = [request.url for request in proxy.requests]
    assert demo_market.url(SEARCH) in seen
    assert {demo_market.url(f"/item/{item}") for item in ("1031", "1033", "1035")} <= set(seen)
    assert {request.authorization for request in proxy.requests} == {BASIC}
    assert listing_ids(home) == {"1031", "1033", "1035"}
    assert run.counters["proxied"] == len(seen)
    output = result.stdout + result.stderr
    assert "DEBUG" in output  # the most talkative log level was on
    assert f"http://127.0.0.1:{proxy.port}" in output  # the pool is logged without secrets
    for secret in ("s3cr3t", BASIC.split()[1], "s3cr3t%3Ap%40ss"):
        assert secret not in output
        for path in home.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_missing_environment_variable_is_named(
    tmp_path: Path, demo_market: DemoMarket, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("T_PROXY_USER", USER)
    monkeypatch.delenv("T_PROXY_PASS", raising=False)
    home = tmp_path / "home"
    configure(home, 9)
    result, run = crawl_cli(home, demo_market)
    assert result.returncode == 2  # a usage error: fix the environment, not the shop
    message = " ".join(result.stderr.split())  # the console wraps long lines
    assert "crawl.marketplaces.demo.proxies[0]" in message
    assert "environment variable T_PROXY_PASS is not set" in message
    assert str(home / "ipwatch.yaml") in message
    assert run is None


def test_private_target_is_refused_even_through_a_proxy_ssrf(
    tmp_path: Path, demo_market: DemoMarket, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SSRF through a proxy: the guard judges the target host, whoever carries the request."""
    monkeypatch.setenv("T_PROXY_USER", USER)
    monkeypatch.setenv("T_PROXY_PASS", PASSWORD)
    home = tmp_path / "home"
    with ForwardProxy(expected_authorization=BASIC) as proxy:
        configure(home, proxy.port)
        result, run = crawl_cli(home, demo_market, allow=False)
    assert proxy.requests == []
    assert run is not None and run.counters["blocked"] >= 1
    assert run.counters["listings"] == 0, result.stdout + result.stderr


def test_rendered_pages_leave_through_the_same_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chromium's connections go guard -> pool -> shop, the pool's credentials added.

    Its own shop: the rendered section reaches listings that tests sharing the session's
    shop count requests to."""
    monkeypatch.setenv("T_PROXY_USER", USER)
    monkeypatch.setenv("T_PROXY_PASS", PASSWORD)
    home = tmp_path / "home"
    with ForwardProxy(expected_authorization=BASIC) as proxy, DemoMarket() as market:
        configure(home, proxy.port)
        result, run = crawl(home, market, sections=True)
        seen = [request.url for request in proxy.requests]
        authorizations = {request.authorization for request in proxy.requests}
        rendered = {market.url("/deals"), market.url("/api/deals.json?page=1")}
    assert result.returncode == 0, result.stdout + result.stderr
    assert rendered <= set(seen), seen
    assert authorizations == {BASIC}
    assert run.counters["proxied"] == len(seen)  # browser connections are counted as well
    output = result.stdout + result.stderr
    for secret in ("s3cr3t", BASIC.split()[1]):
        assert secret not in output

"""A marketplace's proxies and session from ipwatch.yaml reach the crawl's Scrapy settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from config.access import MarketplaceAccess
from config.profile import load_profile
from config.settings import AppConfig, CrawlConfig
from crawler import settings as defaults
from ipwatch.services.crawl import crawl_settings
from ipwatch.services.workspace import Workspace

if TYPE_CHECKING:
    from pathlib import Path


def test_proxies_and_storage_state_for_this_marketplace_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("T_USER", "u")
    monkeypatch.setenv("T_PASS", "p w")
    (tmp_path / "demo.json").write_text('{"cookies": [], "origins": []}')
    access = MarketplaceAccess(
        proxies=["http://${T_USER}:${T_PASS}@proxy.example:3128"], storage_state="demo.json"
    )
    other = MarketplaceAccess(proxies=["http://other.example:8080"])
    config = AppConfig(crawl=CrawlConfig(marketplaces={"demo": access, "other": other}))
    profile = load_profile("demo")
    settings = crawl_settings(Workspace(tmp_path, config), profile, trigger="manual")
    assert settings.getlist("IPWATCH_PROXIES") == ["http://u:p%20w@proxy.example:3128"]
    contexts = settings["PLAYWRIGHT_CONTEXTS"]
    assert contexts["default"]["storage_state"] == str((tmp_path / "demo.json").resolve())
    assert contexts["default"]["service_workers"] == "block"  # the guard's rule stays
    assert "storage_state" not in defaults.PLAYWRIGHT_CONTEXTS["default"]  # not mutated


def test_no_access_configured_means_no_proxy_and_no_session(tmp_path: Path) -> None:
    settings = crawl_settings(Workspace(tmp_path, AppConfig()), load_profile("demo"), trigger="x")
    assert settings.getlist("IPWATCH_PROXIES") == []
    assert "storage_state" not in settings["PLAYWRIGHT_CONTEXTS"]["default"]

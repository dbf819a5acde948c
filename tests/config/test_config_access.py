"""Proxies and sessions in ipwatch.yaml: secrets only from the environment, errors name them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from config.access import MarketplaceAccess, expand, redact
from config.errors import ConfigError
from config.settings import load_app_config

if TYPE_CHECKING:
    from pathlib import Path


def test_variables_are_expanded_and_quoted_for_urls() -> None:
    access = MarketplaceAccess(proxies=["http://${U}:${P}@proxy.example:3128"])
    env = {"U": "crawler", "P": "p@ss:w/rd"}
    assert access.proxy_urls("here", env) == ["http://crawler:p%40ss%3Aw%2Frd@proxy.example:3128"]


def test_missing_variable_is_named_with_where() -> None:
    with pytest.raises(ConfigError, match=r"^f.yaml: x\.proxies\[0\]: environment variable P "):
        MarketplaceAccess(proxies=["http://${U}:${P}@h:1"]).proxy_urls("f.yaml: x", {"U": "u"})


def test_literal_password_in_the_file_is_refused(tmp_path: Path) -> None:
    """Secret in a shared file: a password written in ipwatch.yaml is refused at load."""
    (tmp_path / "ipwatch.yaml").write_text(
        "crawl:\n  marketplaces:\n    shop:\n      proxies: ['http://bob:hunter2@h:8080']\n"
    )
    with pytest.raises(ConfigError) as error:
        load_app_config(tmp_path)
    message = str(error.value)
    assert "crawl.marketplaces.shop.proxies" in message
    assert "credentials must come from the environment" in message


@pytest.mark.parametrize("url", ["socks5://h:1", "http://h", "proxy.example:3128"])
def test_proxy_url_shape_is_checked(url: str) -> None:
    with pytest.raises(ValueError, match=r"proxy 0: expected http\(s\)://"):
        MarketplaceAccess(proxies=[url])


def test_redacted_url_keeps_host_and_port_only() -> None:
    assert redact("http://crawler:s3cr3t@proxy.example:3128") == "http://proxy.example:3128"


def test_storage_state_is_relative_to_home_and_must_exist(tmp_path: Path) -> None:
    access = MarketplaceAccess(storage_state="sessions/${ACCOUNT}.json")
    with pytest.raises(ConfigError, match=r"w\.storage_state: .*sessions/a1\.json does not exist"):
        access.storage_state_path(tmp_path, "w", {"ACCOUNT": "a1"})
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "a1.json").write_text("{}")
    found = access.storage_state_path(tmp_path, "w", {"ACCOUNT": "a1"})
    assert found == (tmp_path / "sessions" / "a1.json").resolve()


def test_plain_text_is_left_alone() -> None:
    assert expand("no variables $HOME here", "w", {}, quoted=False) == "no variables $HOME here"

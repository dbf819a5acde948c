"""A logged-in session: rendered sections load with the cookies of a Playwright storage state."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
import yaml

from config.profile import PROFILES_DIR
from demomarket import DemoMarket
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

COOKIE = "session=member-7f3a"


def deals_only_profile(folder: Path) -> Path:
    """The demo profile's browser-rendered /deals section alone, one page."""
    data = yaml.safe_load((PROFILES_DIR / "demo.yaml").read_text(encoding="utf-8"))
    data.pop("search")
    data["sections"] = [{**s, "max_pages": 1} for s in data["sections"] if s["url"] == "/deals"]
    path = folder / "deals.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_rendered_section_sends_the_storage_state_cookie(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "sessions").mkdir(parents=True)
    name, value = COOKIE.split("=")
    cookie = {"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}
    cookie |= {"expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax"}
    state = {"cookies": [cookie], "origins": []}
    (home / "sessions" / "demo-account.json").write_text(json.dumps(state), encoding="utf-8")
    monkeypatch.setenv("T_DEMO_ACCOUNT", "demo-account")
    (home / "ipwatch.yaml").write_text(
        "crawl:\n  marketplaces:\n    demo:\n"
        "      storage_state: sessions/${T_DEMO_ACCOUNT}.json\n",
        encoding="utf-8",
    )
    with DemoMarket() as market:
        result = run_ipwatch(
            home,
            "crawl",
            str(deals_only_profile(home)),
            "--base-url",
            market.base_url,
            "--allow-private-host",
            "127.0.0.1",
        )
        rendered = market.requests_to("/deals") + market.requests_to("/api/deals.json")
        plain = market.requests_to("/item/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {r.path for r in rendered} >= {"/deals", "/api/deals.json?page=1"}
    assert all(COOKIE in r.headers.get("Cookie", "") for r in rendered), rendered
    assert plain  # the listings themselves were fetched (over plain HTTP)


def test_missing_session_file_is_an_error_not_a_guest_crawl(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "ipwatch.yaml").write_text(
        "crawl:\n  marketplaces:\n    demo:\n      storage_state: sessions/none.json\n",
        encoding="utf-8",
    )
    result = run_ipwatch(home, "crawl", "demo", "--base-url", "http://127.0.0.1:9/")
    message = " ".join(result.stderr.split())
    assert result.returncode == 2
    assert "crawl.marketplaces.demo.storage_state" in message
    assert "does not exist" in message and "save a logged-in session" in message

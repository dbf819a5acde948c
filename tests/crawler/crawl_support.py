"""Quick CLI crawls of the demo shop with a search-only copy of the demo profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from config.profile import PROFILES_DIR
from store import open_store
from tests.support import run_ipwatch

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

    from demomarket import DemoMarket
    from model import CrawlRun

KEYWORD = "aurora"  # three listings: 1031, 1033, 1035
SEARCH = f"/search?q={KEYWORD}"


def write_profile(folder: Path, *, sections: bool = False, **politeness: object) -> Path:
    """The demo profile, search only unless ``sections`` (the browser-rendered one), quick to
    retry."""
    data = yaml.safe_load((PROFILES_DIR / "demo.yaml").read_text(encoding="utf-8"))
    if not sections:
        data.pop("sections")
    data["politeness"].update(
        {"retry_times": 1, "max_retry_after": 5, "max_consecutive_blocks": 3, **politeness}
    )
    path = folder / "demo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl(
    home: Path, market: DemoMarket, *extra: str, **politeness: object
) -> tuple[subprocess.CompletedProcess[str], CrawlRun]:
    """``ipwatch crawl`` of the demo shop for KEYWORD, and the run it recorded."""
    result, run = crawl_cli(home, market, *extra, **politeness)
    assert run is not None, result.stdout + result.stderr
    return result, run


def crawl_cli(
    home: Path, market: DemoMarket, *extra: str, allow: bool = True, **politeness: object
) -> tuple[subprocess.CompletedProcess[str], CrawlRun | None]:
    """``ipwatch crawl`` of the demo shop for KEYWORD; the run recorded, if any."""
    home.mkdir(exist_ok=True)
    profile = write_profile(home, **politeness)
    allowed = ["--allow-private-host", "127.0.0.1"] if allow else []
    result = run_ipwatch(
        home,
        "crawl",
        str(profile),
        "--keyword",
        KEYWORD,
        "--base-url",
        market.base_url,
        *allowed,
        *extra,
    )
    index = home / "index.db"
    runs = open_store(f"sqlite:///{index}").list_runs() if index.exists() else []
    return result, runs[0] if runs else None


def listing_ids(home: Path) -> set[str]:
    index = open_store(f"sqlite:///{home / 'index.db'}")
    return {listing.id.split(":", 1)[1] for listing in index.iter_listings("demo")}

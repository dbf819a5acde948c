"""Conditional requests: a re-crawl asks with the page's validators and the shop answers 304;
a 304 page whose listing must now be sealed is fetched again in full, so evidence is never a
stored copy."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from demomarket import DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.testing import fetch
from store import open_store
from tests.crawler.crawl_support import write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

pytestmark = pytest.mark.slow


def test_demo_shop_answers_304_to_current_validators_only(demo_market: DemoMarket) -> None:
    first = fetch(demo_market.url("/item/1031"))
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.status == 200 and etag.startswith('"')
    assert fetch(demo_market.url("/item/1031"), {"If-None-Match": etag}).status == 304
    assert fetch(demo_market.url("/item/1031"), {"If-Modified-Since": modified}).status == 304
    assert fetch(demo_market.url("/item/1031"), {"If-None-Match": '"stale"'}).status == 200
    other = fetch(demo_market.url("/item/1033"), {"If-None-Match": etag})
    assert other.status == 200 and other.body


def search(home: Path, market: DemoMarket) -> subprocess.CompletedProcess[str]:
    """A crawl for a word only a disguised NOVAFLEX listing (1014) and three ads carry."""
    profile = write_profile(home)
    return run_ipwatch(
        home, "crawl", str(profile), "--keyword", "novafelx", "--base-url", market.base_url,
        "--allow-private-host", "127.0.0.1",
    )  # fmt: skip


def test_recrawl_revalidates_and_refetches_pages_it_must_seal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    kit = write_brand_kit(tmp_path / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    (home / "ipwatch.yaml").write_text("detection:\n  threshold: 1.0\n")  # nothing flags yet
    with DemoMarket() as market:
        assert search(home, market).returncode == 0
        first = {r.path: r.status for r in market.requests_to("/item/")}
        market.reset()
        (home / "ipwatch.yaml").write_text("detection: {}\n")  # now 1014 must be sealed
        result = search(home, market)
        second = market.requests_to("/item/")
        photos = market.requests_to("/img/")
    assert result.returncode == 0, result.stdout + result.stderr
    run = open_store(f"sqlite:///{home / 'index.db'}").list_runs()[0]
    assert first and set(first.values()) == {200}
    revalidated = [r for r in second if "If-None-Match" in r.headers]
    assert revalidated and {r.status for r in revalidated} == {304}
    index = open_store(f"sqlite:///{home / 'index.db'}")
    snapshots = list(index.iter_snapshots())
    assert snapshots and run.counters["snapshots"] == len(snapshots)
    for path in {
        urlsplit(snapshot.url).path for snapshot in snapshots
    }:  # each sealed page was fetched in full after its 304
        full = [r for r in second if r.path == path and "If-None-Match" not in r.headers]
        assert full and full[-1].status == 200, path
    # photos too: each sealed listing's one photo was answered 304, then fetched in full
    assert run.counters["images_not_modified"] > 0
    assert any(r.status == 304 and "If-None-Match" in r.headers for r in photos)
    assert run.counters["refetched_for_evidence"] == 2 * len(snapshots)
    assert run_ipwatch(home, "evidence", "verify").returncode == 0

"""Three nights of the demo shop, each crawled by 2 workers and a sealer sharing a real
redis-server: night 1 finds every listing new; night 2 one changed, one answering 404 and one
new, the rest unchanged; night 3 the 404 listing is back (reappeared). The coordinator decides
each listing's state once, however many workers saw it, and ``runs show/diff/summary`` say so
as for an in-process crawl."""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
import yaml

from config.profile import PROFILES_DIR
from demomarket import CATALOG, Catalog, DemoMarket
from demomarket.faults import Fault, FaultPlan
from ipwatch.services.run_states import run_diff, state_counts
from ipwatch.services.workspace import Workspace
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

CHANGED = "1001"  # description reworded on night 2
TAKEN_DOWN = "1034"  # answers 404 on night 2, back on night 3
NEW = "1999"  # added on night 2
WORKER_LINE = re.compile(r"worker \S+: (\d+) listing\(s\)")


def prepare(tmp_path: Path) -> tuple[Path, Path]:
    """No assets (nothing flagged, so no captures: states do not depend on scores), images
    off, and the demo profile browsing its plain-HTML new-arrivals pages only (no browser)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "ipwatch.yaml").write_text("crawl:\n  images_per_listing: 0\n", encoding="utf-8")
    profile = yaml.safe_load((PROFILES_DIR / "demo.yaml").read_text(encoding="utf-8"))
    profile.pop("search")
    profile["sections"] = [{**profile["sections"][0], "max_pages": 500}]
    profile["politeness"]["download_delay"] = 0.2
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    return home, path


def later_nights() -> Catalog:
    items = [
        dataclasses.replace(item, description=item.description + " Now in blue.")
        if item.id == CHANGED
        else item
        for item in CATALOG.items
    ]
    added = dataclasses.replace(CATALOG.item("1003"), id=NEW, price=Decimal("19.90"))
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), (*items, added))


def crawl(home: Path, profile: Path, market: DemoMarket, redis_url: str) -> tuple[str, list[int]]:
    """One distributed night; the run id and how many listings each worker stored."""
    args = [str(profile), "--base-url", market.base_url, "--allow-private-host", "127.0.0.1"]
    done = run_ipwatch(home, "crawl", *args, "--workers", "2", "--redis", redis_url)
    assert done.returncode == 0, done.stdout + done.stderr
    per_worker = [int(n) for n in WORKER_LINE.findall(done.stdout)]
    (run,) = Workspace.open(home).index.list_runs(limit=1)
    return run.id, per_worker


def diff(home: Path, run_id: str) -> dict[str, tuple[str, str]]:
    found = run_diff(Workspace.open(home), run_id)
    return {r.listing_id.split(":", 1)[1]: (r.state, r.reason) for r in found.listings}


def cli_diff(home: Path, run_id: str) -> dict[str, tuple[str, str]]:
    shown = run_ipwatch(home, "runs", "diff", run_id, "--json")
    assert shown.returncode == 0, shown.stderr
    rows = map(json.loads, shown.stdout.splitlines())
    return {r["listing_id"].split(":", 1)[1]: (r["state"], r["reason"]) for r in rows}


def show(home: Path, run_id: str) -> dict[str, int]:
    return state_counts(Workspace.open(home), run_id)


@pytest.mark.timeout(1500)  # three distributed crawls, 4 processes each, on a shared machine
def test_two_workers_three_nights_new_changed_gone_reappeared(
    tmp_path: Path, redis_url: str
) -> None:
    home, profile = prepare(tmp_path)
    total = len(CATALOG.newest())  # every listing the new-arrivals pages link to
    with DemoMarket() as market:
        first, per_worker = crawl(home, profile, market, redis_url)
    # Two workers crawled it (how they shared it depends on the machine's load: a page both
    # fetched is forced in tests/ipwatch/services/test_service_workers_states.py), and each
    # listing has one state however many times a worker stored it.
    assert len(per_worker) == 2 and sum(per_worker) >= total, per_worker
    assert show(home, first) == {
        "new": total,
        "changed": 0,
        "unchanged": 0,
        "gone": 0,
        "reappeared": 0,
    }
    assert len(diff(home, first)) == total

    faults = FaultPlan({f"/item/{TAKEN_DOWN}": Fault("404")})
    with DemoMarket(catalog=later_nights(), faults=faults) as market:
        second, _ = crawl(home, profile, market, redis_url)
    assert cli_diff(home, second) == {
        CHANGED: ("changed", ""),
        TAKEN_DOWN: ("gone", "http 404"),
        NEW: ("new", ""),
    }
    shown = run_ipwatch(home, "runs", "show", second, "--json")
    assert shown.returncode == 0, shown.stderr
    # of night 1's listings, one changed and one gone
    assert json.loads(shown.stdout)["states"]["unchanged"] == total - 2
    run = Workspace.open(home).index.get_run(second)
    assert run is not None and run.status == "finished"
    assert run.counters["listings_gone"] == 1 and run.counters["listings_reappeared"] == 0
    summary = json.loads(run_ipwatch(home, "runs", "summary", second, "--json").stdout)
    assert summary["previous_run_id"] == first and summary["complete"] is True
    assert [g["listing_id"] for g in summary["gone"]] == [f"demo:{TAKEN_DOWN}"]

    with DemoMarket(catalog=later_nights()) as market:
        third, _ = crawl(home, profile, market, redis_url)
    assert diff(home, third) == {TAKEN_DOWN: ("reappeared", "")}
    assert show(home, third) == {
        "new": 0,
        "changed": 0,
        "unchanged": total,
        "gone": 0,
        "reappeared": 1,
    }

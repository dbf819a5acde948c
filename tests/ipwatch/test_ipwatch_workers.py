"""Distributed crawls from the CLI against a real redis-server and the demo shop: 3 worker
processes and 1 sealer share one frontier; each listing is crawled once, every flagged listing
sealed once, `evidence verify` passes; a worker and the sealer killed with SIGKILL mid-run lose
nothing; the combined request rate to the shop stays at the profile's."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from statistics import mean
from typing import TYPE_CHECKING

import pytest
import yaml

from config.profile import PROFILES_DIR
from crawler.distributed.keys import RunKeys, connect
from demomarket import CATALOG, DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.grow import grown
from ipwatch.services.workspace import Workspace
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Callable

    from demomarket import RequestRecord

pytestmark = pytest.mark.slow

# The pages Scrapy itself asks for (each waits for its slot); not what a rendered page's
# browser fetches (scripts, its JSON API, images), which scrapy-playwright sends as Chromium's.
CRAWLED = ("/new", "/item/", "/deals", "/robots.txt")
MAX_IN_FLIGHT = 16  # CONCURRENT_REQUESTS: what one worker can hold when it is killed


def prepare(tmp_path: Path, *, delay: float = 0.0) -> tuple[Path, Path]:
    """A data folder with the demo brand kit, images off (cheap detection), and the demo
    profile browsing every listing (the new-arrivals pages, and the rendered deals)."""
    home = tmp_path / "home"
    done = run_ipwatch(home, "assets", "import", str(write_brand_kit(tmp_path / "kit")))
    assert done.returncode == 0, done.stderr
    (home / "ipwatch.yaml").write_text("crawl:\n  images_per_listing: 0\n", encoding="utf-8")
    profile = yaml.safe_load((PROFILES_DIR / "demo.yaml").read_text(encoding="utf-8"))
    profile.pop("search")
    profile["sections"][0]["max_pages"] = 500
    profile["politeness"]["download_delay"] = delay
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    return home, path


def crawl_args(home: Path, profile: Path, market: DemoMarket, redis_url: str) -> list[str]:
    return [
        *IPWATCH,
        "--home",
        str(home),
        "crawl",
        str(profile),
        "--base-url",
        market.base_url,
        "--allow-private-host",
        "127.0.0.1",
        "--workers",
        "3",
        "--redis",
        redis_url,
        "--heartbeat-ttl",
        "3",
    ]


def by_scrapy(record: RequestRecord) -> bool:
    """The crawler's own requests: the capture browser's (and the rendered section's) carry
    Chromium's fetch metadata headers, Scrapy's do not."""
    return "sec-fetch-mode" not in {name.lower() for name in record.headers}


def item_hits(market: DemoMarket) -> Counter[str]:
    return Counter(r.path for r in market.requests_to("/item/") if by_scrapy(r))


def wait_for(what: str, check: Callable[[], bool], child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300
    while not check():
        assert child.poll() is None, f"the crawl ended before {what}: {child.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def pid_of(name: bytes | str) -> int:
    """Workers and the sealer are named HOST-PID."""
    text = name.decode() if isinstance(name, bytes) else name
    return int(text.rsplit("-", 1)[1])


def check_evidence(home: Path, flagged_ids: set[str]) -> None:
    """Every flagged listing has exactly one snapshot, each logged once; verify passes."""
    workspace = Workspace.open(home)
    snapshots = list(workspace.index.iter_snapshots())
    per_listing = Counter(s.listing_id for s in snapshots)
    assert set(per_listing) == flagged_ids
    assert set(per_listing.values()) == {1}
    assert workspace.translog.size == len(snapshots)  # nothing appended twice
    assert len({s.ledger_seq for s in snapshots}) == len(snapshots)
    verify = run_ipwatch(home, "evidence", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{len(snapshots)} of {len(snapshots)} snapshot(s) verified" in verify.stdout


def flagged_listings(home: Path) -> tuple[int, set[str]]:
    workspace = Workspace.open(home)
    listings = list(workspace.index.iter_listings())
    return len(listings), {x.id for x in listings if x.data.get("flagged")}


@pytest.mark.timeout(900)  # a thousand listings on a shared machine
def test_three_workers_and_a_sealer_lose_nothing_when_one_of_each_is_killed(
    tmp_path: Path, redis_url: str
) -> None:
    catalog = grown(1000)
    home, profile = prepare(tmp_path)
    server = connect(redis_url)
    with DemoMarket(catalog=catalog) as market:
        child = subprocess.Popen(
            crawl_args(home, profile, market, redis_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its workers and sealer too, for the clean-up below
        )
        try:
            wait_for("300 listings", lambda: len(item_hits(market)) >= 300, child)
            (spec,) = server.keys("ipwatch:*:spec")
            keys = RunKeys(spec.decode().split(":")[1])
            wait_for("three workers", lambda: server.scard(keys.workers) == 3, child)
            busiest = max(
                server.smembers(keys.workers), key=lambda w: server.hlen(keys.leases(w.decode()))
            )
            victim = pid_of(busiest)
            os.kill(victim, signal.SIGKILL)
            wait_for("a sealed listing", lambda: server.scard(keys.sealed) >= 1, child)
            (consumer,) = server.xinfo_consumers(keys.seal, "sealer")
            os.kill(pid_of(consumer["name"]), signal.SIGKILL)  # the crawl starts another
            out, err = child.communicate(timeout=600)
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
        hits = item_hits(market)
    assert child.returncode == 0, out + err
    # Each listing crawled, and once, but for what the killed worker held when it died.
    assert set(hits) == {item.url for item in catalog.items}
    twice = [path for path, n in hits.items() if n > 1]
    # A page the dead worker held is fetched again; on a loaded machine a live worker's lease
    # can also lapse once (its heartbeat late), so a page may be asked for a third time.
    assert len(twice) <= MAX_IN_FLIGHT and max(hits.values()) <= 3, hits.most_common(5)
    count, flagged = flagged_listings(home)
    assert count == len(catalog.items)
    assert len(flagged) >= 15  # the shop's infringing listings (the filler is clean)
    check_evidence(home, flagged)
    (run,) = Workspace.open(home).index.list_runs()
    assert run.status == "finished" and run.counters["workers_lost"] == 1
    assert run.counters["snapshots"] == len(flagged)


@pytest.mark.timeout(600)
def test_workers_crawl_each_listing_once_at_the_profiles_rate_to_the_shop(
    tmp_path: Path, redis_url: str
) -> None:
    delay = 0.25
    home, profile = prepare(tmp_path, delay=delay)
    with DemoMarket() as market:
        done = subprocess.run(
            crawl_args(home, profile, market, redis_url),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        scrapy = sorted(
            (r for r in market.requests if by_scrapy(r) and r.path.startswith(CRAWLED)),
            key=lambda r: r.time,
        )
        hits = item_hits(market)
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(hits) == {item.url for item in CATALOG.items}
    assert set(hits.values()) == {1}  # one frontier, one dupefilter: each listing once
    _, flagged = flagged_listings(home)
    check_evidence(home, flagged)
    # Slots are a full delay apart on Redis' clock (tests/crawler/distributed). The server
    # stamps arrival in its handler thread, and a loaded machine delays a send or that stamp
    # by some ms: one request moves, the rate does not. So: any 8 requests in a row span at
    # least 7 delays (10% tolerance), and the mean interval is at least the delay.
    times = [r.time for r in scrapy]
    assert len(times) >= 40
    spans = [(b - a, i) for i, (a, b) in enumerate(zip(times, times[7:], strict=False))]
    shortest, at = min(spans)
    assert shortest >= 0.9 * 7 * delay, [(r.path, r.time) for r in scrapy[at : at + 8]]
    assert mean(b - a for a, b in itertools.pairwise(times)) >= delay

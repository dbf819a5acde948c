"""`ipwatch detect-worker` processes against a real redis-server: one killed with SIGKILL while
it holds a listing loses nothing (another takes it over, every listing gets exactly one answer,
the same findings as in process); SIGTERM finishes the listing in hand and exits cleanly; a
distributed crawl with `--detect-workers` scores in them and seals each flagged listing once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.distributed.detection_queue import GROUP, RedisDetection
from crawler.distributed.keys import RunKeys, connect
from demomarket import CATALOG, DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.catalog import Catalog
from detector.cache import findings_json, registry_key
from ipwatch.services.crawl import crawl_problem
from ipwatch.services.workers import RunSpec, finish_run, open_run
from ipwatch.services.workspace import Workspace
from model import CrawlRun, ListingRecord, ListingState, RunListingState
from tests.crawler.distributed.test_distributed_detection_queue import demo_listings
from tests.ipwatch.test_ipwatch_workers import check_evidence, flagged_listings, prepare
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future
    from pathlib import Path

    from redis import Redis

    from model import Finding

pytestmark = pytest.mark.slow

RUN = "R-detect-test"
KEYS = RunKeys(RUN)


def start_worker(home: Path, redis_url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*IPWATCH, "--home", str(home), "detect-worker", "--run", RUN, "--redis", redis_url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def wait_for(what: str, check: Callable[[], bool], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def held_by(server: Redis, consumer: str) -> int:
    return len(
        server.xpending_range(KEYS.detect, GROUP, min="-", max="+", count=10, consumername=consumer)
    )


def kill_holding(server: Redis, worker: subprocess.Popen[str], consumer: str) -> None:
    """SIGKILL ``worker`` at a moment it holds an entry (frozen with SIGSTOP to look)."""
    for _ in range(500):
        os.kill(worker.pid, signal.SIGSTOP)
        if held_by(server, consumer):
            os.kill(worker.pid, signal.SIGKILL)
            worker.communicate()
            return
        os.kill(worker.pid, signal.SIGCONT)
        time.sleep(0.005)
    pytest.fail("the worker never held an entry")


@pytest.fixture
def home(tmp_path: Path, redis_url: str) -> Path:
    home = tmp_path / "home"
    done = run_ipwatch(home, "assets", "import", str(write_brand_kit(tmp_path / "kit")))
    assert done.returncode == 0, done.stderr
    connect(redis_url).set(KEYS.spec, RunSpec(marketplace="demo", keywords=[]).to_json())
    return home


@pytest.mark.timeout(600)
def test_a_killed_detect_worker_loses_nothing_and_sigterm_finishes_the_listing_in_hand(
    home: Path, redis_url: str
) -> None:
    server = connect(redis_url)
    workspace = Workspace.open(home)
    key = registry_key(workspace.assets.values(), workspace.detection_settings)
    queue = RedisDetection(server, KEYS, registry_key=key, timeout=300)
    listings = demo_listings(copies=6)
    first = start_worker(home, redis_url, "--consumer", "victim", "--claim-idle", "2")
    try:
        futures: list[Future[list[Finding]]] = [queue.submit(x) for x in listings]
        wait_for("some answers", lambda: sum(f.done() for f in futures) >= 20)
        kill_holding(server, first, "victim")
        assert held_by(server, "victim") == 1  # what a dead worker leaves behind
        second = start_worker(home, redis_url, "--claim-idle", "2")
        found = {
            x.id: findings_json(f.result(timeout=300))
            for x, f in zip(listings, futures, strict=True)
        }
        assert found == {x.id: findings_json(workspace.detector.detect(x)) for x in listings}
        assert queue.unmatched == 0  # exactly one answer per listing
        assert held_by(server, "victim") == 0

        # SIGTERM mid-stream: the listing in hand is answered, the rest wait for others.
        more = [queue.submit(x) for x in demo_listings(copies=4)]
        wait_for("answers", lambda: sum(f.done() for f in more) >= 5)
        second.send_signal(signal.SIGTERM)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, out + err
        assert "taken over from stopped workers" in out and "0 error(s)" in out, out
        answered = sum(f.done() for f in more)
        assert answered + server.xlen(KEYS.detect) == len(more)  # nothing lost or half done
        assert server.xpending(KEYS.detect, GROUP)["pending"] == 0
        assert all(f.exception() is None for f in more if f.done())
        consumers = {c["name"] for c in server.xinfo_consumers(KEYS.detect, GROUP)}
        assert b"victim" in consumers and len(consumers) == 1  # the clean one left the group
    finally:
        queue.close()
        for worker in (first, locals().get("second")):
            if isinstance(worker, subprocess.Popen) and worker.poll() is None:
                worker.kill()
                worker.communicate()


def small_catalog() -> Catalog:
    """A handful of the demo shop's listings, three of them infringing: a crawl in seconds."""
    wanted = {"1001", "1002", "1010", "1011", "1018", "1032", "1039"}
    items = tuple(item for item in CATALOG.items if item.id in wanted)
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), items)


@pytest.mark.timeout(600)
def test_a_crawl_with_detect_workers_scores_in_them_and_seals_once(
    tmp_path: Path, redis_url: str
) -> None:
    home, profile = prepare(tmp_path)
    catalog = small_catalog()
    spec = yaml.safe_load(profile.read_text(encoding="utf-8"))
    spec["sections"] = spec["sections"][:1]  # not the rendered deals: no browser but captures
    profile.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with DemoMarket(catalog=catalog) as market:
        done = run_ipwatch(
            home,
            "crawl",
            str(profile),
            "--base-url",
            market.base_url,
            "--allow-private-host",
            "127.0.0.1",
            "--workers",
            "2",
            "--detect-workers",
            "1",
            "--redis",
            redis_url,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    count, flagged = flagged_listings(home)
    assert count == len(catalog.items)
    assert flagged == {f"demo:{item.id}" for item in catalog.items if item.expected_flag}
    check_evidence(home, flagged)
    # Every listing went through the queue, and the detection worker scored them all.
    server = connect(redis_url)
    (spec,) = server.keys("ipwatch:*:spec")
    keys = RunKeys(spec.decode().split(":")[1])
    (group,) = server.xinfo_groups(keys.detect)
    assert group["entries-read"] == len(catalog.items) and group["pending"] == 0
    assert f"detect-worker: {len(catalog.items)} listing(s) scored, 0 error(s)" in done.stdout


def seed_previous_night(workspace: Workspace, catalog: Catalog) -> None:
    """A finished run that saw every listing: the next finished run would call the unseen gone."""
    t0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    prior = CrawlRun("R-20260301T020000Z-000000", "demo", "schedule", t0)
    workspace.index.start_run(prior)
    ids = [f"demo:{item.id}" for item in catalog.items]
    for lid in ids:
        url = f"http://127.0.0.1/item/{lid}"
        workspace.index.upsert_listing(ListingRecord(lid, "demo", url, lid, "h", t0, t0))
    workspace.index.put_listing_states(
        [RunListingState(prior.id, lid, "demo", ListingState.NEW, t0) for lid in ids]
    )
    workspace.index.finish_run(replace(prior, finished=t0, status="finished"))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("cause", ["error", "timeout"])
def test_detection_errors_and_timeouts_from_the_redis_queue_are_counted_and_make_the_run_partial(
    tmp_path: Path, redis_url: str, cause: str
) -> None:
    """A crawl worker whose listings a detection worker answers with errors (it scores against
    other assets: a data folder without the brand kit), or that no detection worker answers
    within IPWATCH_DETECT_TIMEOUT, drops them unscored; the coordinator's ``finish_run`` counts
    them as an in-process crawl does and the run is partial, so nothing is declared gone for
    not having been stored."""
    home, profile = prepare(tmp_path)
    catalog = small_catalog()
    spec = yaml.safe_load(profile.read_text(encoding="utf-8"))
    spec["sections"] = spec["sections"][:1]
    profile.write_text(yaml.safe_dump(spec), encoding="utf-8")
    workspace = Workspace.open(home)
    seed_previous_night(workspace, catalog)
    server = connect(redis_url)
    env = {**os.environ, "COLUMNS": "200"}
    with DemoMarket(catalog=catalog) as market:
        spec = RunSpec(
            marketplace=str(profile),
            keywords=[],
            base_url=market.base_url,
            allowed_private_hosts=["127.0.0.1"],
            detect_queue=True,
        )
        run, lock = open_run(workspace, server, spec)
        joined = ["--run", run.id, "--redis", redis_url]
        try:
            crawl = subprocess.Popen(
                [*IPWATCH, "--home", str(home), "worker", *joined],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**env, "IPWATCH_DETECT_TIMEOUT": "3"} if cause == "timeout" else env,
            )
            detect = None
            if cause == "error":
                detect = subprocess.Popen(
                    [*IPWATCH, "--home", str(tmp_path / "elsewhere"), "detect-worker", *joined],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                )
            crawled = crawl.communicate(timeout=400)
            detected = detect.communicate(timeout=120) if detect is not None else ("", "")
            run = finish_run(workspace, server, run, lost_workers=0)
        finally:
            lock.release()
            for child in (locals().get("crawl"), locals().get("detect")):
                if isinstance(child, subprocess.Popen) and child.poll() is None:
                    child.kill()
                    child.communicate()
    n = len(catalog.items)
    assert crawl.returncode == 0, crawled
    kind = "errors/detect" if cause == "error" else "errors/detect_timeout"
    if cause == "error":
        assert f"detect-worker: 0 listing(s) scored, {n} error(s)" in detected[0], detected
    assert run.status == "partial: detection"
    assert run.counters["detect_failed"] == n and run.counters[kind] == n
    assert run.counters["errors"] >= n and run.counters["dropped"] == n
    stored = workspace.index.get_run(run.id)
    assert stored is not None and stored.status == run.status and stored.counters == run.counters
    assert list(workspace.index.iter_listing_states(run.id)) == []  # nothing gone for absence
    problem = crawl_problem(run)
    assert problem is not None and f"{n} listing(s) of run {run.id} were not scored" in problem
    assert ("timed out waiting for a detection worker" in problem) is (cause == "timeout")

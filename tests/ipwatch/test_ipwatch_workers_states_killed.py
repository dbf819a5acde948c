"""A crawl worker SIGKILLed mid-run in a distributed crawl (real redis-server, demo shop, CLI
processes): the others finish its share and the coordinator still decides each listing's state
once: one changed, one gone (404), one new, every other listing unchanged, and nothing declared
gone for absence although the dead worker stored some listings and left others mid-flight."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

from crawler.distributed.keys import RunKeys, connect
from demomarket import CATALOG, DemoMarket
from demomarket.faults import Fault, FaultPlan
from ipwatch.services.workspace import Workspace
from tests.ipwatch.test_ipwatch_workers import pid_of
from tests.ipwatch.test_ipwatch_workers_states import (
    CHANGED,
    NEW,
    TAKEN_DOWN,
    cli_diff,
    crawl,
    later_nights,
    prepare,
)
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow


def wait_for(what: str, check: Callable[[], bool], child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300
    while not check():
        assert child.poll() is None, f"the crawl ended before {what}: {child.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.timeout(900)
def test_a_sigkilled_crawl_worker_leaves_every_listing_state_right(
    tmp_path: Path, redis_url: str
) -> None:
    home, profile = prepare(tmp_path)
    total = len(CATALOG.newest())
    with DemoMarket() as market:
        first, _ = crawl(home, profile, market, redis_url)
    server = connect(redis_url)
    faults = FaultPlan({f"/item/{TAKEN_DOWN}": Fault("404")})
    with DemoMarket(catalog=later_nights(), faults=faults) as market:
        args = [str(profile), "--base-url", market.base_url, "--allow-private-host", "127.0.0.1"]
        distributed = ["--workers", "2", "--redis", redis_url, "--heartbeat-ttl", "3"]
        child = subprocess.Popen(
            [*IPWATCH, "--home", str(home), "crawl", *args, *distributed],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:

            def second_run() -> list[bytes]:
                return [k for k in server.keys("ipwatch:*:spec") if first not in k.decode()]

            wait_for("the run", lambda: bool(second_run()), child)
            keys = RunKeys(second_run()[0].decode().split(":")[1])
            wait_for("two workers", lambda: server.scard(keys.workers) == 2, child)
            # Mid-run: some listings stored (reported seen), a lease in the victim's hands.
            wait_for("a third of the listings", lambda: server.hlen(keys.seen) >= total // 3, child)
            busiest = max(
                server.smembers(keys.workers), key=lambda w: server.hlen(keys.leases(w.decode()))
            )
            os.kill(pid_of(busiest), signal.SIGKILL)
            out, err = child.communicate(timeout=600)
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
    assert child.returncode == 0, out + err
    run = Workspace.open(home).index.get_run(keys.run_id)
    assert run is not None and run.status == "finished"
    assert run.counters["workers_lost"] == 1
    assert cli_diff(home, run.id) == {
        CHANGED: ("changed", ""),
        TAKEN_DOWN: ("gone", "http 404"),
        NEW: ("new", ""),
    }
    shown = run_ipwatch(home, "runs", "show", run.id, "--json")
    assert shown.returncode == 0, shown.stderr
    # Every listing of night 1 counted once: all but the changed and the gone one unchanged.
    assert json.loads(shown.stdout)["states"] == {
        "new": 1,
        "changed": 1,
        "unchanged": total - 2,
        "gone": 1,
        "reappeared": 0,
    }
    assert run.counters["listings_gone"] == 1

"""A distributed run has no crawling process of its own; its coordinator (`crawl --workers`)
holds the run's lock, so a single-process crawl of another marketplace that starts meanwhile
leaves the live run alone, and closes it as interrupted once the coordinator is killed. Real
redis-server, demo shop and CLI processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.distributed.keys import RunKeys, connect
from crawler.extensions.crawl_run import close_abandoned_runs
from demomarket import DemoMarket
from ipwatch.services.workspace import Workspace
from tests.ipwatch.test_ipwatch_workers_states import prepare
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow


def other_marketplace(tmp_path: Path, profile: Path) -> Path:
    """The same shop under another name: one page of it, no delay (a crawl in seconds)."""
    spec = yaml.safe_load(profile.read_text(encoding="utf-8"))
    spec["name"] = "other"
    spec["sections"][0]["max_pages"] = 1
    spec["politeness"]["download_delay"] = 0
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def wait_for(what: str, check: Callable[[], bool], child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300
    while not check():
        assert child.poll() is None, f"the crawl ended before {what}: {child.communicate()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def status(home: Path, run_id: str) -> str:
    run = Workspace.open(home).index.get_run(run_id)
    assert run is not None
    return run.status


@pytest.mark.timeout(600)
def test_a_live_distributed_run_survives_another_marketplaces_crawl_and_a_killed_one_is_closed(
    tmp_path: Path, redis_url: str
) -> None:
    home, profile = prepare(tmp_path)
    spec = yaml.safe_load(profile.read_text(encoding="utf-8"))
    spec["politeness"]["download_delay"] = 1.0  # about a minute: the other crawl fits inside
    profile.write_text(yaml.safe_dump(spec), encoding="utf-8")
    other = other_marketplace(tmp_path, profile)
    server = connect(redis_url)
    with DemoMarket() as market:
        place = ["--base-url", market.base_url, "--allow-private-host", "127.0.0.1"]
        distributed = ["--workers", "1", "--redis", redis_url]
        child = subprocess.Popen(
            [*IPWATCH, "--home", str(home), "crawl", str(profile), *place, *distributed],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its worker and sealer too, for the kill below
        )
        try:
            wait_for("the run's spec", lambda: bool(server.keys("ipwatch:*:spec")), child)
            (key,) = server.keys("ipwatch:*:spec")
            keys = RunKeys(key.decode().split(":")[1])
            wait_for("a crawling worker", lambda: bool(server.scard(keys.workers)), child)

            done = run_ipwatch(home, "crawl", str(other), *place)
            assert done.returncode == 0, done.stdout + done.stderr
            assert child.poll() is None, "the distributed run ended first: nothing was shown"
            assert status(home, keys.run_id) == "running"  # alive: left alone

            os.killpg(child.pid, signal.SIGKILL)  # the coordinator dies, its workers with it
            child.communicate()
            assert close_abandoned_runs(Workspace.open(home)) == [keys.run_id]
            assert status(home, keys.run_id) == "interrupted"
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
    runs = {run.marketplace: run.status for run in Workspace.open(home).index.list_runs()}
    assert runs == {"demo": "interrupted", "other": "finished"}

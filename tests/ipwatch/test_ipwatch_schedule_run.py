"""`ipwatch schedule run` for real: a per-second schedule crawls the demo shop in child
processes, catches up a missed run at start, records overlapping fires as skipped, and stops
cleanly on SIGTERM with no run left "running"."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest

from demomarket import DemoMarket
from ipwatch.services.schedule_runs import SKIPPED_BUSY, SKIPPED_MISSED, record_outcome
from ipwatch.services.workspace import Workspace
from model import CrawlRun
from store import open_store
from tests.support import IPWATCH

pytestmark = pytest.mark.slow


def runs(home: Path) -> list[CrawlRun]:
    if not (home / "index.db").exists():
        return []
    index = open_store(f"sqlite:///{home / 'index.db'}")
    try:
        return index.list_runs(limit=1000)
    finally:
        index.close()


def wait_for(
    home: Path, ready: Callable[[list[CrawlRun]], bool], process: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + 180
    while not ready(runs(home)):
        assert process.poll() is None, "the scheduler ended on its own"
        assert time.monotonic() < deadline, [(r.id, r.status) for r in runs(home)]
        time.sleep(0.2)


def run_until_a_second_crawl(home: Path, env: dict[str, str], log: IO[str]) -> str:
    """Start the scheduler, SIGTERM it in the middle of its second crawl, return its output."""
    process = subprocess.Popen(
        [*IPWATCH, "--home", str(home), "schedule", "run"],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        wait_for(home, lambda rs: any(r.status == "finished" for r in rs), process)
        # the next crawl has begun: stop the scheduler in the middle of it
        wait_for(home, lambda rs: any(r.status == "running" for r in rs), process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log.seek(0)
    return log.read()


def test_scheduled_crawls_skip_overlaps_catch_up_and_stop_on_sigterm(
    tmp_path: Path, demo_market: DemoMarket
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "ipwatch.yaml").write_text("crawl:\n  allowed_private_hosts: ['127.0.0.1']\n")
    (home / "schedule.yaml").write_text(
        "- marketplace: demo\n"
        "  cron: '* * * * * *'\n"
        "  keywords: [novaflex]\n"
        f"  base_url: {demo_market.base_url}\n"
    )
    # the last scheduled run was ten minutes ago: every fire since was missed while down
    workspace = Workspace.open(home)
    earlier = record_outcome(
        workspace, "demo", SKIPPED_MISSED, started=datetime.now(UTC) - timedelta(minutes=10)
    )
    workspace.close()

    env = {**os.environ, "IPWATCH_HOME": str(home)}
    env.pop("IPWATCH_INDEX", None)
    with (tmp_path / "scheduler.out").open("w+") as log:
        output = run_until_a_second_crawl(home, env, log)
    recorded = [r for r in runs(home) if r.id != earlier.id]
    assert {r.trigger for r in recorded} == {"schedule"}
    assert not [r for r in recorded if r.status == "running"], output
    crawls = [r for r in recorded if not r.status.startswith("skipped")]
    finished = [r for r in crawls if r.status == "finished"]
    assert finished and finished[-1].counters["listings"] > 0, output
    assert crawls[0].status in ("stopped: shutdown", "interrupted"), output  # the newest
    assert [r for r in recorded if r.status == SKIPPED_BUSY], output
    assert "catch-up demo: missed" in output  # run at once, not at the next fire
    assert "stopping demo: SIGTERM" in output and output.rstrip().endswith("stopped")

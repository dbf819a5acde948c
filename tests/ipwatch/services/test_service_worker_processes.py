"""The coordinator's local detection workers (``DetectWorkers``) against a real redis-server:
one SIGKILLed while it holds a listing is restarted and every listing is answered exactly once
with the in-process findings; each worker runs with one thread per library unless the operator
set the variables, as the local detection pool's workers do."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from crawler.distributed.detection_queue import GROUP, RedisDetection
from crawler.distributed.keys import RunKeys, connect
from demomarket.brandkit import write_brand_kit
from detector.cache import findings_json, registry_key
from detector.workers import THREAD_ENV
from ipwatch.services.worker_processes import DetectWorkers
from ipwatch.services.workers import RunSpec
from ipwatch.services.workspace import Workspace
from tests.crawler.distributed.test_distributed_detection_queue import demo_listings
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from redis import Redis

    from model import Finding

pytestmark = pytest.mark.slow

RUN = "R-detect-restart"
KEYS = RunKeys(RUN)


@pytest.fixture
def home(tmp_path: Path, redis_url: str) -> Path:
    home = tmp_path / "home"
    done = run_ipwatch(home, "assets", "import", str(write_brand_kit(tmp_path / "kit")))
    assert done.returncode == 0, done.stderr
    connect(redis_url).set(KEYS.spec, RunSpec(marketplace="demo", keywords=[]).to_json())
    return home


def consumer_of(process: subprocess.Popen[bytes]) -> str:
    """A detection worker's name in the group: HOST-PID (``worker_id``)."""
    return f"{socket.gethostname()}-{process.pid}"


def held_by(server: Redis, consumer: str) -> int:
    return len(
        server.xpending_range(KEYS.detect, GROUP, min="-", max="+", count=10, consumername=consumer)
    )


def environ(pid: int) -> dict[str, str]:
    """The environment a process was started with, as the kernel keeps it."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = [item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item]
    return {key.decode(): value.decode() for key, value in pairs}


def supervise_until(what: str, workers: DetectWorkers, done: Callable[[], bool]) -> None:
    """The coordinator's loop while a crawl worker still crawls: restart what died."""
    deadline = time.monotonic() + 400
    while not done():
        workers.check(crawling=True, all_failed=False)
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def kill_holding(server: Redis, worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL ``worker`` at a moment it holds an entry (frozen with SIGSTOP to look)."""
    for _ in range(2000):
        os.kill(worker.pid, signal.SIGSTOP)
        if held_by(server, consumer_of(worker)):
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            return
        os.kill(worker.pid, signal.SIGCONT)
        time.sleep(0.005)
    pytest.fail("the worker never held an entry")


@pytest.mark.timeout(900)
def test_a_sigkilled_detect_worker_is_restarted_and_every_listing_answered_once(
    home: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in THREAD_ENV:  # the operator set none: each worker gets one thread per library
        monkeypatch.delenv(name, raising=False)
    server = connect(redis_url)
    workspace = Workspace.open(home)
    key = registry_key(workspace.assets.values(), workspace.detection_settings)
    queue = RedisDetection(server, KEYS, registry_key=key, timeout=600)
    workers = DetectWorkers(workspace, redis_url, RUN, 2, claim_idle=2.0)
    try:
        for process in workers.processes:
            assert {name: environ(process.pid)[name] for name in THREAD_ENV} == dict.fromkeys(
                THREAD_ENV, "1"
            )
        listings = demo_listings(copies=6)
        futures: list[Future[list[Finding]]] = [queue.submit(x) for x in listings]
        supervise_until("some answers", workers, lambda: sum(f.done() for f in futures) >= 20)
        victim = workers.processes[0]
        kill_holding(server, victim)
        assert held_by(server, consumer_of(victim)) == 1  # what the dead worker leaves behind
        supervise_until("a restart", workers, lambda: workers.restarts == 1)
        restarted = workers.processes[0]
        assert restarted.pid != victim.pid and restarted.poll() is None
        assert environ(restarted.pid)["OMP_NUM_THREADS"] == "1"
        supervise_until("every answer", workers, lambda: all(f.done() for f in futures))
        found = {x.id: findings_json(f.result()) for x, f in zip(listings, futures, strict=True)}
        assert found == {x.id: findings_json(workspace.detector.detect(x)) for x in listings}
        assert queue.unmatched == 0  # exactly one answer per listing
        assert held_by(server, consumer_of(victim)) == 0
        assert server.xpending(KEYS.detect, GROUP)["pending"] == 0

        server.set(KEYS.done, 1)  # the run is over: the workers leave by themselves
        supervise_until("the workers to leave", workers, lambda: not workers.running())
        assert [p.returncode for p in workers.processes] == [0, 0]
        assert workers.restarts == 1
    finally:
        queue.close()
        for process in workers.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.mark.timeout(300)
def test_a_detect_worker_pins_one_thread_per_library_unless_the_operator_chose(
    home: Path, redis_url: str
) -> None:
    connect(redis_url).set(KEYS.done, 1)  # nothing to score: it reports and leaves
    args = [*IPWATCH, "--home", str(home), "detect-worker", "--run", RUN, "--redis", redis_url]
    plain = {k: v for k, v in os.environ.items() if k not in THREAD_ENV}
    for env, expected in (
        (plain, "threads: OpenCV 1, torch 1"),
        ({**plain, "OMP_NUM_THREADS": "2", "IPWATCH_DESCRIPTOR_THREADS": "3"}, "OpenCV 2, torch 3"),
    ):
        done = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
            env={**env, "COLUMNS": "200"},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert expected in done.stdout, done.stdout

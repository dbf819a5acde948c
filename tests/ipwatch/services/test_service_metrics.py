"""Crawl metrics agree with the run record, and the metrics server serves them over HTTP.

The crawl runs in a child process (Twisted's reactor runs once per process) on a registry of
its own; after the crawl the child scrapes its own metrics server with urllib.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.parser import text_string_to_metric_families

from demomarket import DemoMarket
from demomarket.brandkit import write_brand_kit
from ipwatch.services.errors import InvalidRequestError
from ipwatch.services.metrics import child_exited, prepare_multiprocess, start_metrics_server
from tests.support import run_ipwatch

CHILD = """
import json, sys, urllib.request
from pathlib import Path
from prometheus_client import CollectorRegistry
from crawler.metrics import crawl_metrics
from ipwatch.services.crawl import crawl_marketplace
from ipwatch.services.metrics import child_exited, prepare_multiprocess, start_metrics_server
from ipwatch.services.workspace import Workspace

registry = CollectorRegistry()
server = start_metrics_server(0, registry=registry)
run = crawl_marketplace(
    Workspace.open(Path(sys.argv[1])), "demo", base_url=sys.argv[2],
    allowed_private_hosts=["127.0.0.1"], metrics=crawl_metrics(registry),
)
with urllib.request.urlopen(server.url, timeout=10) as response:
    text = response.read().decode()
server.stop()
print(json.dumps({"counters": run.counters, "metrics": text}))
"""


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.mark.slow
def test_crawl_metrics_match_the_run_counters(demo_market: DemoMarket, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert (
        run_ipwatch(home, "assets", "import", str(write_brand_kit(tmp_path / "kit"))).returncode
        == 0
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), demo_market.base_url],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    counters, seen = report["counters"], samples(report["metrics"])

    def value(name: str, **labels: str) -> float:
        return seen.get((name, tuple(sorted({"marketplace": "demo", **labels}.items()))), 0.0)

    assert counters["pages"] > 0 and counters["snapshots"] > 0
    assert value("ipwatch_crawl_pages_total") == counters["pages"]
    for state in ("new", "changed", "unchanged"):
        assert value("ipwatch_crawl_listings_total", state=state) == counters[f"listings_{state}"]
    assert value("ipwatch_crawl_findings_total") == counters["findings_new"]
    assert value("ipwatch_crawl_flagged_listings_total") == counters["flagged"]
    assert value("ipwatch_crawl_captures_total") == counters["captures"]
    assert value("ipwatch_crawl_seals_total") == counters["snapshots"]
    assert value("ipwatch_crawl_errors_total", kind="image_errors") == counters["image_errors"]
    assert value("ipwatch_index_spooled_writes") == counters["spooled"]
    assert value("ipwatch_crawls_running") == 0  # finished
    assert value("ipwatch_crawl_duration_seconds_count") == 1


def test_the_metrics_server_serves_a_registry_on_loopback() -> None:
    registry = CollectorRegistry()
    Counter("ipwatch_test_things", "Things", registry=registry).inc(3)
    server = start_metrics_server(0, registry=registry)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.url, timeout=10) as response:
            assert samples(response.read().decode())[("ipwatch_test_things_total", ())] == 3
        with pytest.raises(InvalidRequestError, match="--metrics-port"):
            start_metrics_server(server.port)  # taken
    finally:
        server.stop()


MULTIPROC_CHILD = """
import os, sys
from crawler.metrics import crawl_metrics
metrics = crawl_metrics()
metrics.pages.labels("demo").inc(int(sys.argv[1]))
metrics.running.labels("demo").inc()
print(os.getpid())
"""


def test_child_crawls_in_multiprocess_mode_sum_into_one_scrape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "prom"
    folder.mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    pids = [
        int(
            subprocess.run(
                [sys.executable, "-c", MULTIPROC_CHILD, str(pages)],
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            ).stdout
        )
        for pages in (3, 4)
    ]
    server = start_metrics_server(0)
    try:
        with urllib.request.urlopen(server.url, timeout=10) as response:
            seen = samples(response.read().decode())
        assert seen[("ipwatch_crawl_pages_total", (("marketplace", "demo"),))] == 7
        assert seen[("ipwatch_crawls_running", (("marketplace", "demo"),))] == 2  # not told yet
        for pid in pids:
            child_exited(pid)
        with urllib.request.urlopen(server.url, timeout=10) as response:
            seen = samples(response.read().decode())
        assert seen[("ipwatch_crawl_pages_total", (("marketplace", "demo"),))] == 7  # kept
        assert seen.get(("ipwatch_crawls_running", (("marketplace", "demo"),)), 0) == 0
    finally:
        server.stop()


def test_a_multiprocess_folder_that_does_not_exist_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "missing"))
    with pytest.raises(InvalidRequestError, match=r"PROMETHEUS_MULTIPROC_DIR=.*missing"):
        start_metrics_server(0)


def test_scheduler_folder_is_emptied_of_a_previous_schedulers_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # recorded first, so the variable prepare_multiprocess sets is undone after the test
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "before"))
    folder = tmp_path / "home" / "metrics"
    folder.mkdir(parents=True)
    (folder / "counter_4242.db").write_bytes(b"stale values of a dead scheduler")
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")
    prepare_multiprocess(folder)
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]

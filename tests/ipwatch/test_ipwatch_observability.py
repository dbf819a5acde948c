"""``ipwatch --log-format json crawl``: every stderr line of a real crawl is one JSON object,
naming the run and the marketplace, and listing events name their listing."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from demomarket import CATALOG, Catalog, DemoMarket
from demomarket.brandkit import write_brand_kit
from tests.support import IPWATCH, free_port, run_ipwatch

pytestmark = pytest.mark.slow

HOSTILE_ID = "1039"  # the shop's <script> title, given line breaks and terminal escapes too
HOSTILE_TITLE = 'Cheap mouse\n{"level": "error", "event": "forged"}\x1b[2J\x1b[31m bright\r'


def hostile_catalog() -> Catalog:
    items = tuple(
        dataclasses.replace(item, title=HOSTILE_TITLE) if item.id == HOSTILE_ID else item
        for item in CATALOG.items
    )
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), items)


def test_log_injection_by_newline_and_ansi_title_json_crawl_logs_stay_one_object_per_line(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    kit = write_brand_kit(tmp_path / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    (home / "ipwatch.yaml").write_text("crawl:\n  log_level: INFO\n")
    env = {**os.environ, "COLUMNS": "200", "IPWATCH_LOG_FORMAT": "json"}
    env.pop("IPWATCH_INDEX", None)
    with DemoMarket(catalog=hostile_catalog()) as market:
        done = subprocess.run(
            [
                *IPWATCH,
                *("--home", str(home), "crawl", "demo", "--base-url", market.base_url),
                *("--allow-private-host", "127.0.0.1", "--metrics-port", "0"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "\x1b" not in done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines()]  # each line parses
    assert all({"ts", "level", "logger", "event"} <= set(r) for r in records)

    run_id = done.stdout.split("crawl run ", 1)[1].split()[0]
    crawl = [r for r in records if r.get("run_id") == run_id]
    assert {r["marketplace"] for r in crawl} == {"demo"}
    assert any(r["logger"].startswith("scrapy") for r in crawl)  # Scrapy's own records too
    listings = [r for r in crawl if r["logger"] == "crawler.pipelines.index"]
    assert len(listings) == len(CATALOG.items)
    assert all(r["listing_id"] and r["event"].startswith("listing new: ") for r in listings)
    assert any("forged" in r["event"] for r in listings)  # the hostile title, escaped inside
    assert not [r for r in records if r["event"] == "forged"]
    serving = [r["event"] for r in records if r["event"].startswith("serving crawl metrics")]
    assert serving and serving[0].startswith("serving crawl metrics at http://127.0.0.1:")


def test_serve_in_json_mode_logs_uvicorn_and_access_lines_as_json(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "IPWATCH_LOG_FORMAT": "json"}
    env.pop("IPWATCH_INDEX", None)
    desk = subprocess.Popen(
        [*IPWATCH, "--home", str(tmp_path / "home"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert json.loads(r.read())["status"] == "ok"
                break
            except OSError:
                assert desk.poll() is None and time.monotonic() < deadline, "the desk did not start"
                time.sleep(0.5)
    finally:
        desk.terminate()
        _out, err = desk.communicate(timeout=30)
    records = [json.loads(line) for line in err.splitlines()]
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert any("GET /healthz" in r["event"] for r in access)

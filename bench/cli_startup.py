"""Process start-up: what ``ipwatch --help``, ``ipwatch crawl --help`` and a crawl's imports cost.

Every ``ipwatch`` process (a crawl, a worker, a sealer, a scheduled run) pays its start-up
before it does any work, so on a re-crawl of unchanged listings start-up is a large share of
the whole. Each case runs in a fresh interpreter (bytecode already compiled by a warm-up run)
and is timed by its own CPU seconds (the child's rusage: user + system) and wall seconds, the
best of ``--repeat`` runs; the baselines run in the same script: a bare interpreter and
``import scrapy`` (the floor any crawl pays). Ratios are against ``import scrapy``.

    .venv/bin/python bench/cli_startup.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What ``ipwatch crawl`` imports before its first request: the command, the crawl service, and
# every component crawler/settings.py names (spider, pipelines, middlewares, extensions), plus
# the workspace factory. Building the detector is not an import: it is timed by the crawl bench.
CRAWL_IMPORTS = r"""
import importlib
import ipwatch.cli, ipwatch.commands.crawl, ipwatch.services.crawl, crawler.spiders.marketplace
from crawler import settings as s
paths = [*s.ITEM_PIPELINES, *s.DOWNLOADER_MIDDLEWARES, *s.SPIDER_MIDDLEWARES, *s.EXTENSIONS]
for path in [*paths, s.IPWATCH_WORKSPACE_FACTORY]:
    module, _, name = path.rpartition(".")
    getattr(importlib.import_module(module), name)
"""

CASES: list[tuple[str, list[str]]] = [
    ("bare interpreter", ["-c", "pass"]),
    ("import scrapy (baseline)", ["-c", "import scrapy"]),
    ("ipwatch --help", ["-m", "ipwatch.cli", "--help"]),
    ("ipwatch crawl --help", ["-m", "ipwatch.cli", "crawl", "--help"]),
    ("import what a crawl needs", ["-c", CRAWL_IMPORTS]),
]
BASELINE = "import scrapy (baseline)"


def measure(args: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system, the child's own rusage) and wall seconds of one run."""
    env = dict(os.environ, COLUMNS="120")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{args} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per case; the best counts")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    options = parser.parse_args()
    for _, args in CASES:  # warm-up: bytecode compiled, files in the page cache
        measure(args)
    load_before = os.getloadavg()
    best: dict[str, tuple[float, float]] = {}
    for _ in range(options.repeat):  # interleaved, so a burst of load hits every case alike
        for name, args in CASES:
            cpu, wall = measure(args)
            old = best.get(name, (cpu, wall))
            best[name] = (min(old[0], cpu), min(old[1], wall))
    load = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    base_cpu, base_wall = best[BASELINE]
    rows = [
        {
            "case": name,
            "cpu_s": round(cpu, 3),
            "wall_s": round(wall, 3),
            "cpu_ratio": round(cpu / base_cpu, 2),
            "wall_ratio": round(wall / base_wall, 2),
        }
        for name, (cpu, wall) in best.items()
    ]
    if options.json:
        print(json.dumps({"load_before_after": load, "rows": rows}))
        return
    print(f"load average before {load[:3]}, after {load[3:]}; best of {options.repeat} runs each")
    print(f"{'case':28} {'CPU s':>7} {'wall s':>7} {'CPU x':>7} {'wall x':>7}  (x: / {BASELINE})")
    for row in rows:
        print(
            f"{row['case']:28} {row['cpu_s']:7.3f} {row['wall_s']:7.3f}"
            f" {row['cpu_ratio']:7.2f} {row['wall_ratio']:7.2f}"
        )


if __name__ == "__main__":
    main()

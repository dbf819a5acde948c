"""Distributed crawls on one machine: 1, 2 and 4 workers (+ the sealer) on one generated shop.

For each worker count the same shop (demomarket.generated: N listings with one photo each, a
share of them copies of the demo's infringing listings) is crawled by ``ipwatch crawl
--workers K --redis URL`` into a fresh data folder against one real ``redis-server``, with the
image models off (hashes and text: the crawl's own cost, not the models'). Printed per K:

- pages/s (listings stored / wall seconds) and the efficiency against K = 1 (rate_K / (K x
  rate_1)); on a 2-core machine more than two workers can only share the same cores;
- peak RSS of each worker and of the sealer, the worker's median RSS in each quarter of the run,
  and each worker's RSS growth per 1,000 pages after
  warm-up (sampled against the run's dupefilter size divided by the workers: flat memory means
  a worker's RSS does not follow the number of listings; a larger shop is the same run, longer);
- the sealing stage: snapshots the workers handed to the seal stream per second (captures)
  against what the one sealer committed, the largest backlog it had and how long it took to
  drain after the last capture (the sealer's own capacity is ``bench/seal_speed.py``).

    .venv/bin/python bench/distributed_scale.py [--n 1000] [--workers 1,2,4]
                                                [--infringing 0.05] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from redis.exceptions import ResponseError

from bench.crawl_throughput import MODELS_OFF, profile_for
from crawler.distributed.keys import RunKeys, connect
from demomarket import DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.generated import generated_catalog
from demomarket.images import cached
from tests.services.redis import RedisServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_EVERY_S = 0.5
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Process:
    """One worker or sealer process, named HOST-PID in Redis, sampled from /proc."""

    pid: int
    role: str
    peak_rss_mb: float = 0.0
    samples: list[tuple[int, float]] = field(default_factory=list)  # (pages, RSS MB)


def rss_mb(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return None
    return int(fields[1]) * PAGE / 2**20


def pid_of(name: bytes | str) -> int:
    text = name.decode() if isinstance(name, bytes) else name
    return int(text.rsplit("-", 1)[1])


def growth_per_1000(samples: list[tuple[int, float]]) -> float:
    """Least-squares slope of RSS over the pages per worker, MB per 1,000, after warm-up (the
    first quarter of the run loads the browser, the registry and the caches)."""
    most = max((n for n, _ in samples), default=0)
    points = [(n, mb) for n, mb in samples if n > most / 4]
    if len(points) < 3:
        return 0.0
    mean_n = sum(n for n, _ in points) / len(points)
    mean_mb = sum(mb for _, mb in points) / len(points)
    spread = sum((n - mean_n) ** 2 for n, _ in points)
    if spread == 0:
        return 0.0
    slope = sum((n - mean_n) * (mb - mean_mb) for n, mb in points) / spread
    return slope * 1000


def prepare_home(tmp: Path, base_url: str, n: int) -> tuple[Path, Path]:
    home = tmp / "home"
    home.mkdir()
    config = {"detection": {"workers": 0, **MODELS_OFF}}
    (home / "ipwatch.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    kit = write_brand_kit(tmp / "kit")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ipwatch.cli", "--home", str(home), "assets", "import"]
    subprocess.run([*command, str(kit)], env=env, check=True, capture_output=True)
    profile, _ = profile_for(home, base_url, n)
    return home, profile


def crawl(k: int, n: int, market: DemoMarket, redis_url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ipwatch-dscale-") as tmp:
        home, profile = prepare_home(Path(tmp), market.base_url, n)
        command = [sys.executable, "-m", "ipwatch.cli", "--home", str(home), "crawl"]
        command += [str(profile), "--base-url", market.base_url]
        command += ["--allow-private-host", "127.0.0.1", "--workers", str(k)]
        command += ["--redis", redis_url]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        earlier = set(connect(redis_url).keys("ipwatch:*:spec"))  # runs before this one
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        try:
            watch = watch_run(child, redis_url, earlier)
            out, err = child.communicate()
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
        wall = time.perf_counter() - started
        if child.returncode != 0:
            raise SystemExit(f"crawl with {k} workers failed:\n{out[-2000:]}\n{err[-4000:]}")
        from store import open_store

        index = open_store(f"sqlite:///{home / 'index.db'}")
        try:
            listings = index.count_listings("demo")
            snapshots = sum(1 for _ in index.iter_snapshots())
        finally:
            index.close()
    return {"workers": k, "n": n, "wall_s": wall, "listings": listings,
            "snapshots": snapshots, "pages_per_s": listings / wall, **watch}  # fmt: skip


def watch_run(
    child: subprocess.Popen[str], redis_url: str, earlier: set[bytes | str]
) -> dict[str, Any]:
    """Samples the run's processes and its seal stream until the coordinator exits."""
    server = connect(redis_url)
    processes: dict[int, Process] = {}
    keys: RunKeys | None = None
    captures: list[tuple[float, int, int]] = []  # (time, handed to the sealer, sealed)
    while child.poll() is None:
        time.sleep(SAMPLE_EVERY_S)
        if keys is None:
            specs = [k for k in server.keys("ipwatch:*:spec") if k not in earlier]
            if not specs:
                continue
            spec = specs[-1]
            name = spec.decode() if isinstance(spec, bytes) else spec
            keys = RunKeys(name.split(":")[1])
        stored = server.scard(keys.dupefilter)  # pages asked for so far, all workers
        workers = [pid_of(w) for w in server.smembers(keys.workers)]
        sealers = [pid_of(c["name"]) for c in _consumers(server, keys)]
        for pid, role in [*((p, "worker") for p in workers), *((p, "sealer") for p in sealers)]:
            mb = rss_mb(pid)
            if mb is None:
                continue
            process = processes.setdefault(pid, Process(pid, role))
            process.peak_rss_mb = max(process.peak_rss_mb, mb)
            process.samples.append((stored // max(len(workers), 1), mb))
        handed = server.xlen(keys.seal) if server.exists(keys.seal) else 0
        captures.append((time.perf_counter(), handed, server.scard(keys.sealed)))
    server.close()
    return {**sealing(captures), **memory(processes)}


def _consumers(server: Any, keys: RunKeys) -> list[dict[str, Any]]:
    try:
        return list(server.xinfo_consumers(keys.seal, "sealer"))
    except ResponseError:  # no stream or group yet
        return []


def sealing(samples: list[tuple[float, int, int]]) -> dict[str, Any]:
    handed = [s for s in samples if s[1] > 0]
    if not handed:
        return {"captures_per_s": 0.0, "seal_backlog_max": 0, "seal_drain_s": 0.0}
    first, last_capture = handed[0][0], max(handed, key=lambda s: s[1])
    total = last_capture[1]
    drained = next((t for t, _, sealed in samples if sealed >= total), samples[-1][0])
    span = max(last_capture[0] - first, SAMPLE_EVERY_S)
    return {
        "captures_per_s": total / span,
        "seal_backlog_max": max(h - s for _, h, s in samples),
        "seal_drain_s": max(drained - last_capture[0], 0.0),
    }


def rss_by_quarter(samples: list[tuple[int, float]]) -> list[float]:
    """Median RSS (MB) in each quarter of the pages one worker crawled: where the peak fell, and
    whether the end sits above or below it (a trimmed heap gives memory back late in a run)."""
    most = max((n for n, _ in samples), default=0)
    quarters: list[list[float]] = [[], [], [], []]
    for n, mb in samples:
        quarters[min(int(4 * n / most), 3) if most else 0].append(mb)
    return [statistics.median(q) if q else 0.0 for q in quarters]


def memory(processes: dict[int, Process]) -> dict[str, Any]:
    workers = [p for p in processes.values() if p.role == "worker"]
    sealers = [p for p in processes.values() if p.role == "sealer"]
    return {
        "worker_peak_rss_mb": max((p.peak_rss_mb for p in workers), default=0.0),
        "sealer_peak_rss_mb": max((p.peak_rss_mb for p in sealers), default=0.0),
        "worker_rss_growth_mb_per_1000": max(
            (growth_per_1000(p.samples) for p in workers), default=0.0
        ),
        # the worker with the highest peak: its median RSS per quarter of the run
        "worker_rss_quarters_mb": rss_by_quarter(
            max(workers, key=lambda p: p.peak_rss_mb).samples if workers else []
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="listings in the generated shop")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument(
        "--infringing", type=float, default=0.05, help="share of copied (flagged) listings"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    counts = [int(k) for k in args.workers.split(",")]
    catalog = generated_catalog(args.n, args.infringing)
    for item in catalog.items:
        for name in item.images:
            cached(name)
    rows: list[dict[str, Any]] = []
    with RedisServer() as redis, DemoMarket(catalog=catalog) as market:
        for k in counts:
            row = crawl(k, args.n, market, redis.url)
            base = rows[0] if rows else row
            row["efficiency"] = row["pages_per_s"] / (k / base["workers"] * base["pages_per_s"])
            row["load_average"] = os.getloadavg()[0]
            rows.append(row)
            print(json.dumps(row) if args.json else describe(row), flush=True)
    return 0


def describe(row: dict[str, Any]) -> str:
    return (
        f"{row['workers']} worker(s), N={row['n']}: {row['listings']} listings in"
        f" {row['wall_s']:.0f} s = {row['pages_per_s']:.1f} pages/s"
        f" (efficiency {row['efficiency']:.2f}); peak RSS worker"
        f" {row['worker_peak_rss_mb']:.0f} MB ({row['worker_rss_growth_mb_per_1000']:+.1f} MB"
        f" per 1,000 pages; median by quarter of the run"
        f" {' / '.join(f'{mb:.0f}' for mb in row['worker_rss_quarters_mb'])} MB),"
        f" sealer {row['sealer_peak_rss_mb']:.0f} MB; sealing:"
        f" {row['snapshots']} snapshots, captures {row['captures_per_s']:.2f}/s, backlog max"
        f" {row['seal_backlog_max']}, drained {row['seal_drain_s']:.1f} s after the last"
        f" capture; load {row['load_average']:.1f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())

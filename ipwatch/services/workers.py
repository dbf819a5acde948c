"""Distributed crawls: one run's frontier in Redis, crawl workers on any machine, one sealer.

``crawl_distributed`` opens a run (its spec in Redis, its record in the index), starts N
``ipwatch worker`` processes and one ``ipwatch sealer`` here and waits for them; workers on
other machines join with ``ipwatch worker --run RUN_ID``. Each worker crawls from the shared
frontier and dupefilter (scrapy-redis, a key per run), scores what it finds and builds the
evidence of flagged listings; the sealer appends it to the transparency log, one at a time.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy.crawler import CrawlerProcess

from config.logs import bind_run, unbind_run
from config.profile import load_profile
from crawler.distributed.keys import RunKeys, connect
from crawler.distributed.sealing import WorkerContext
from crawler.distributed.states import RunStates
from crawler.extensions.crawl_run import COUNTERS, new_run_id, run_status
from crawler.extensions.run_lock import CrawlBusy, MarketplaceLock, RunLock
from crawler.run_states import record_states
from crawler.spiders.marketplace import MarketplaceSpider
from evidence.seal.custody import current_operator
from ipwatch.services.crawl import crawl_settings, noticed_urls, record_reappearances
from ipwatch.services.errors import ConflictError, InvalidRequestError, NotFoundError
from ipwatch.services.run_states import after_run
from ipwatch.services.worker_processes import DetectWorkers, spawn
from model import CrawlRun

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from redis import Redis
    from scrapy.settings import Settings

    from config.profile import MarketplaceProfile
    from ipwatch.services.workspace import Workspace

logger = logging.getLogger(__name__)

HEARTBEAT_TTL = 15.0  # seconds without a heartbeat before a worker's leases are re-queued
SEALER_RESTARTS = 3  # a sealer that dies mid-run is started again this often
KEEP_FINISHED_S = 24 * 3600  # then a finished run's keys (frontier, dupefilter, stream) expire


def redis_url(workspace: Workspace, override: str | None) -> str:
    """``--redis`` if given, else ``redis.url`` of ipwatch.yaml; checked, not guessed."""
    url = override or workspace.config.redis.url
    if not url:
        raise InvalidRequestError(
            "no Redis to share the crawl through: pass --redis redis://HOST:PORT/0 or set "
            f"redis.url in {workspace.home / 'ipwatch.yaml'} (`make redis` runs one locally)"
        )
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise InvalidRequestError(
            f"--redis {url!r}: must start with redis://, e.g. redis://127.0.0.1:6379/0"
        )
    return url


def server_for(url: str) -> Redis:
    server = connect(url)
    try:
        server.ping()
    except RedisError as exc:
        raise InvalidRequestError(
            f"Redis at {url} does not answer ({exc}); start it (`make redis`) or fix --redis"
        ) from None
    return server


@dataclass(frozen=True)
class RunSpec:
    """What every worker of a run crawls, written once by whoever opened the run."""

    marketplace: str
    keywords: list[str]
    base_url: str | None = None
    allowed_private_hosts: list[str] = field(default_factory=list)
    trigger: str = "manual"
    recheck_urls: list[str] = field(default_factory=list)
    # Listings go to the run's Redis detection queue (``ipwatch detect-worker``), not to a
    # detector inside each crawl worker: a choice of the run, so every worker that joins agrees.
    detect_queue: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> RunSpec:
        return cls(**json.loads(text))

    def profile(self, workspace: Workspace) -> MarketplaceProfile:
        profile = load_profile(self.marketplace, home=workspace.home)
        return profile.with_base_url(self.base_url) if self.base_url else profile


def open_run(workspace: Workspace, server: Redis, spec: RunSpec) -> tuple[CrawlRun, RunLock]:
    """Write the run's spec to Redis and start its record in the index, holding the run's lock.

    The run has no crawling process of its own to hold ``runs/<id>.lock``, so the opener
    holds it while it coordinates: a crawl of another marketplace that starts meanwhile
    (``close_abandoned_runs``) sees the run alive, and sees it abandoned once this process
    dies, however it dies. The caller releases it after ``finish_run``."""
    profile = spec.profile(workspace)
    if profile.search is not None and not spec.keywords and not profile.sections:
        raise InvalidRequestError(
            "nothing to search for: import assets first (`ipwatch assets import FILE`) "
            "or pass --keyword"
        )
    run = CrawlRun(
        id=new_run_id(), marketplace=profile.name, trigger=spec.trigger, started=datetime.now(UTC)
    )
    workspace.sealer  # noqa: B018 - make the signing key now, not in N workers at once
    lock = RunLock(workspace.home / "runs", run.id)
    lock.acquire()  # before the record says "running", so no one sees it running unlocked
    try:
        server.set(RunKeys(run.id).spec, spec.to_json(), nx=True)
        workspace.index.start_run(run)
    except BaseException:
        lock.release()
        raise
    return run, lock


def read_spec(server: Redis, run_id: str) -> RunSpec:
    try:
        keys = RunKeys(run_id)
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from None
    raw = server.get(keys.spec)
    if raw is None:
        raise NotFoundError(
            f"no run {run_id} in this Redis: start one with `ipwatch crawl MARKETPLACE "
            "--workers N` and pass the run id it prints"
        )
    return RunSpec.from_json(raw)


def worker_id() -> str:
    """Host and pid: unique while the worker lives, and says where to look for it."""
    return f"{socket.gethostname()}-{os.getpid()}"


def detect_queue_limits(environ: Mapping[str, str]) -> dict[str, float | int]:
    """``IPWATCH_DETECT_TIMEOUT`` (seconds) and ``IPWATCH_DETECT_IN_FLIGHT`` from a crawl
    worker's environment, where the operator set them: how long a listing may wait for a
    detection worker, and how many may wait at once."""
    limits: dict[str, float | int] = {}
    for name, kind in (("IPWATCH_DETECT_TIMEOUT", float), ("IPWATCH_DETECT_IN_FLIGHT", int)):
        raw = environ.get(name, "").strip()
        if not raw:
            continue
        try:
            value = kind(raw)
        except ValueError:
            value = 0
        if not value > 0:
            raise InvalidRequestError(f"{name}={raw!r} must be a number above 0, or unset")
        limits[name] = value
    return limits


def worker_settings(
    workspace: Workspace,
    profile: MarketplaceProfile,
    spec: RunSpec,
    *,
    url: str,
    run_id: str,
    worker: str,
    heartbeat_ttl: float,
) -> Settings:
    """The single-process crawl's settings, with the frontier, leases, politeness and sealing
    moved to Redis."""
    keys = RunKeys(run_id)
    settings = crawl_settings(
        workspace, profile, trigger=spec.trigger, allowed_private_hosts=spec.allowed_private_hosts
    )
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.extensions.crawl_run.CrawlRunRecorder"] = None  # the run is the opener's
    extensions["crawler.distributed.run.DistributedRun"] = 90
    downloader = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    downloader["crawler.distributed.run.LeaseDownloaderMiddleware"] = 10
    # Last before the download handler, so a request leaves as soon as its slot comes.
    downloader["crawler.distributed.politeness.HostSlotMiddleware"] = 950
    spider_mw = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mw["crawler.distributed.run.LeaseSpiderMiddleware"] = 10
    spider_mw["crawler.distributed.states.ReportGoneMiddleware"] = 20  # before the lease goes
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["crawler.distributed.states.ReportSeenPipeline"] = 1000  # after the upsert
    settings.setdict(
        {
            "REDIS_URL": url,
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "SCHEDULER_QUEUE_CLASS": "crawler.distributed.frontier.LeasedQueue",
            "SCHEDULER_QUEUE_KEY": keys.requests,
            "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,  # a worker that stops must not empty the run's frontier
            "IPWATCH_RUN_ID": run_id,
            "IPWATCH_WORKER_ID": worker,
            "IPWATCH_WORKER_HEARTBEAT_TTL": heartbeat_ttl,
            # The shared per-host slot replaces each process' own delay and throttle.
            "IPWATCH_HOST_DELAY": profile.politeness.download_delay,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            # Past the slot nothing may hold a request back (a full per-host queue would send
            # several at once when it drains): the slot alone limits the rate.
            "CONCURRENT_REQUESTS_PER_DOMAIN": settings.getint("CONCURRENT_REQUESTS"),
            "EXTENSIONS": extensions,
            "DOWNLOADER_MIDDLEWARES": downloader,
            "SPIDER_MIDDLEWARES": spider_mw,
            "ITEM_PIPELINES": pipelines,
            "IPWATCH_WORKSPACE": WorkerContext(workspace, connect(url), keys),
            "IPWATCH_DETECT_QUEUE": spec.detect_queue,
            **detect_queue_limits(os.environ),
        },
        priority="cmdline",
    )
    return settings


@dataclass(frozen=True)
class WorkerResult:
    worker: str
    counters: dict[str, int]
    reason: str


def run_worker(
    workspace: Workspace, url: str, run_id: str, *, heartbeat_ttl: float = HEARTBEAT_TTL
) -> WorkerResult:
    """Crawl from the run's frontier until the run is done (or this process is stopped)."""
    server = server_for(url)
    spec = read_spec(server, run_id)
    profile = spec.profile(workspace)
    worker = worker_id()
    settings = worker_settings(
        workspace, profile, spec, url=url, run_id=run_id, worker=worker, heartbeat_ttl=heartbeat_ttl
    )
    workspace.index  # noqa: B018 - open (or create) the index now: a failure is one clear line
    bind_run(run_id, profile.name)
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(MarketplaceSpider)
        process.crawl(
            crawler,
            profile=profile,
            keywords=spec.keywords,
            crawl_run_id=run_id,
            recheck_urls=spec.recheck_urls,
        )
        process.start()
    finally:
        unbind_run()
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    counters = {
        key.removeprefix("ipwatch/"): value
        for key, value in stats.items()
        if key.startswith("ipwatch/") and isinstance(value, int)
    }
    return WorkerResult(worker, counters, str(stats.get("finish_reason", "unknown")))


def crawl_distributed(
    workspace: Workspace,
    marketplace: str,
    *,
    workers: int,
    url: str,
    keywords: Sequence[str] = (),
    base_url: str | None = None,
    allowed_private_hosts: Sequence[str] = (),
    trigger: str = "manual",
    heartbeat_ttl: float = HEARTBEAT_TTL,
    on_start: Callable[[str], None] | None = None,
    detect_workers: int = 0,
) -> CrawlRun:
    """Open a run, start ``workers`` workers, ``detect_workers`` detection workers (0: the
    crawl workers detect themselves) and one sealer here, wait, record the run."""
    if workers < 1:
        raise InvalidRequestError(f"--workers must be at least 1, not {workers}")
    if detect_workers < 0:
        raise InvalidRequestError(f"--detect-workers must be 0 or more, not {detect_workers}")
    server = server_for(url)
    profile = load_profile(marketplace, home=workspace.home)
    lock = MarketplaceLock(workspace.home / "runs", profile.name)
    try:
        lock.acquire(f"distributed run, pid {os.getpid()}")
    except CrawlBusy as busy:
        raise ConflictError(
            f"another crawl of {profile.name} into {workspace.home} is running ({busy}); "
            "wait for it to finish, or add workers to it with `ipwatch worker --run RUN_ID`"
        ) from None
    try:
        spec = RunSpec(
            marketplace=marketplace,
            keywords=list(keywords) or workspace.registry.search_keywords(),
            base_url=base_url,
            allowed_private_hosts=list(allowed_private_hosts),
            trigger=trigger,
            recheck_urls=noticed_urls(workspace, profile.name),
            detect_queue=detect_workers > 0,
        )
        run, run_lock = open_run(workspace, server, spec)
        try:
            logger.warning("distributed run %s: %d worker(s) and one sealer", run.id, workers)
            if on_start is not None:
                on_start(run.id)
            lost = _supervise(workspace, url, run.id, workers, heartbeat_ttl, detect_workers)
            run = finish_run(workspace, server, run, lost)
        finally:
            run_lock.release()
    finally:
        lock.release()
    record_reappearances(workspace, profile.name, run)  # removed findings seen again
    after_run(workspace, run, current_operator())  # notice outcomes, run.summary
    return run


def _supervise(
    workspace: Workspace,
    url: str,
    run_id: str,
    workers: int,
    heartbeat_ttl: float,
    detect_workers: int = 0,
) -> int:
    """Wait for the workers; keep one sealer running until it has drained the finished run.
    Returns how many workers died (their share was finished by the others)."""
    ttl = str(heartbeat_ttl)
    crawlers = [
        spawn(workspace, "worker", "--redis", url, "--run", run_id, "--heartbeat-ttl", ttl)
        for _ in range(workers)
    ]
    detectors = DetectWorkers(workspace, url, run_id, detect_workers)
    sealer = spawn(workspace, "sealer", "--redis", url, "--run", run_id)
    restarts = 0
    while any(p.poll() is None for p in crawlers) or sealer.poll() is None or detectors.running():
        crawling = any(p.poll() is None for p in crawlers)
        detectors.check(
            crawling=crawling, all_failed=not crawling and all(p.returncode != 0 for p in crawlers)
        )
        if sealer.poll() not in (None, 0) and restarts < SEALER_RESTARTS:
            logger.warning("sealer of run %s died (exit %s): restarting", run_id, sealer.returncode)
            restarts += 1
            sealer = spawn(workspace, "sealer", "--redis", url, "--run", run_id)
        elif all(p.poll() not in (None, 0) for p in crawlers) and sealer.poll() is None:
            sealer.terminate()  # no worker finished the run: the sealer would wait forever
            sealer.wait()
        time.sleep(0.2)
    return sum(1 for p in crawlers if p.returncode != 0)


def _unsealed(server: Redis, keys: RunKeys) -> int:
    """Entries of the seal stream no sealer acknowledged (read and pending, or never read);
    none when nothing was ever handed to a sealer (no stream)."""
    if not server.exists(keys.seal):
        return 0
    groups: list[dict[str, Any]] = server.xinfo_groups(keys.seal)
    group = next((g for g in groups if g.get("name") in (b"sealer", "sealer")), None)
    if group is None:
        return int(server.xlen(keys.seal))
    return int(group.get("pending") or 0) + int(group.get("lag") or 0)


def finish_run(workspace: Workspace, server: Redis, run: CrawlRun, lost_workers: int) -> CrawlRun:
    """The run's counters are the workers' summed; finished when the frontier was drained
    (partial when listings went unscored or were blocked, as in process);
    its listing states decided here, once, from what every worker reported (an unfinished
    run declares no listing gone for not having seen it: ``crawler.run_states``)."""
    keys = RunKeys(run.id)
    summed: dict[bytes, bytes] = server.hgetall(keys.counters)  # type: ignore[assignment]
    counters = {key.decode(): int(value) for key, value in summed.items()}
    counters["snapshots"] = int(server.scard(keys.sealed))
    counters["workers_lost"] = lost_workers
    unsealed = _unsealed(server, keys)
    if unsealed:  # the sealer gave up: `crawl` reports it and exits non-zero
        counters["seal_failed"] = unsealed
    for key in COUNTERS:
        counters.setdefault(key, 0)
    run.counters = counters
    run.finished = datetime.now(UTC)
    # The in-process crawl's rule: detection failures or block pages make a drained run partial.
    reason = "finished" if server.exists(keys.done) else "workers ended early"
    run.status = run_status(reason, counters)
    seen, removed = RunStates(server, keys).read()
    record_states(workspace.index, run, seen, removed)
    workspace.index.finish_run(run)
    for key in keys.all_keys(server):  # kept a day for a look, then Redis forgets the run
        server.expire(key, KEEP_FINISHED_S)
    return run

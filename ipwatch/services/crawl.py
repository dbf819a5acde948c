"""Crawl one marketplace in this process: detect, seal, index; the run record comes back.

Progress goes to a callback (the CLI draws a bar from it, a scheduler logs it); Twisted's
reactor runs once per process, so a process crawls once.
"""

from __future__ import annotations

import logging
import os
import signal as sig
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from config.logs import bind_run, json_logging, set_log_level, unbind_run
from config.profile import load_profile
from config.settings import CONFIG_FILE
from crawler import settings as default_settings
from crawler.extensions.crawl_run import CrawlRunRecorder, new_run_id
from crawler.extensions.run_lock import CrawlBusy, MarketplaceLock
from crawler.spiders.marketplace import MarketplaceSpider
from evidence.seal.custody import current_operator
from ipwatch.services.crawl_jobs import open_job
from ipwatch.services.errors import ConflictError, InvalidRequestError
from ipwatch.services.identity import Principal
from ipwatch.services.reappearance import apply_reappearances
from ipwatch.services.run_states import after_run
from ipwatch.services.webhook_events import findings_flagged, flagged_since
from ipwatch.services.webhooks import anyone_listens
from model import FindingQuery, FindingStatus
from store.exceptions import IndexUnavailableError, StoreFullError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from config.profile import MarketplaceProfile
    from crawler.metrics import CrawlMetrics
    from ipwatch.services.crawl_jobs import CrawlJob, ResumeMode
    from ipwatch.services.workspace import Workspace
    from model import CrawlRun

logger = logging.getLogger(__name__)


def crawl_settings(
    workspace: Workspace,
    profile: MarketplaceProfile,
    *,
    trigger: str,
    allowed_private_hosts: Sequence[str] = (),
    metrics: CrawlMetrics | None = None,
) -> Settings:
    """Project defaults, then the profile's politeness, then the user's config."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    polite = profile.politeness
    crawl = workspace.config.crawl
    settings.setdict(access_settings(workspace, profile.name), priority="cmdline")
    settings.setdict(
        {
            "ROBOTSTXT_OBEY": polite.obey_robots_txt,
            "DOWNLOAD_DELAY": polite.download_delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrent_requests_per_domain,
            "AUTOTHROTTLE_ENABLED": polite.autothrottle,
            "AUTOTHROTTLE_START_DELAY": max(polite.download_delay, 0.1),
            "AUTOTHROTTLE_TARGET_CONCURRENCY": polite.autothrottle_target_concurrency,
            "RETRY_TIMES": polite.retry_times,
            "DOWNLOAD_TIMEOUT": polite.download_timeout,
            "IPWATCH_RETRY_AFTER_MAX": polite.max_retry_after,
            # Only what the operator allowed: a profile naming a private host (a metadata
            # address, an internal service) is refused like any link to one.
            "IPWATCH_ALLOWED_PRIVATE_HOSTS": [*crawl.allowed_private_hosts, *allowed_private_hosts],
            "IPWATCH_IMAGES_PER_LISTING": crawl.images_per_listing,
            "IPWATCH_IMAGE_MAX_BYTES": crawl.image_max_bytes,
            "IPWATCH_IMAGE_MAX_PIXELS": crawl.image_max_pixels,
            "IPWATCH_WORKSPACE": workspace,
            "IPWATCH_TRIGGER": trigger,
            "LOG_LEVEL": crawl.log_level,
            # JSON mode's root handler formats Scrapy's records too; a second (text) one
            # from Scrapy would print each record twice.
            "LOG_INSTALL_ROOT_HANDLER": not json_logging(),
            "IPWATCH_METRICS": metrics,
        },
        priority="cmdline",
    )
    return settings


def access_settings(workspace: Workspace, marketplace: str) -> dict[str, Any]:
    """Proxies and the logged-in browser session ``ipwatch.yaml`` gives this marketplace."""
    access = workspace.config.crawl.marketplaces.get(marketplace)
    if access is None:
        return {}
    where = f"{workspace.home / CONFIG_FILE}: crawl.marketplaces.{marketplace}"
    values: dict[str, Any] = {"IPWATCH_PROXIES": access.proxy_urls(where)}
    state = access.storage_state_path(workspace.home, where)
    if state is not None:
        contexts = deepcopy(default_settings.PLAYWRIGHT_CONTEXTS)
        contexts["default"]["storage_state"] = str(state)
        values["PLAYWRIGHT_CONTEXTS"] = contexts
        values["IPWATCH_STORAGE_STATE"] = str(state)  # evidence captures log in too
    return values


@dataclass(frozen=True)
class CrawlProgress:
    """Counters of the crawl so far, sent whenever a page or listing is done."""

    marketplace: str
    pages: int
    listings: int
    flagged: int
    errors: int


STOP_GRACE_S = 10  # after SIGTERM/SIGINT, Scrapy's graceful stop gets this long


def _arm_hard_stop() -> None:
    """SIGTERM always ends a crawl within seconds: Scrapy stops gracefully, and if that takes
    longer than ``STOP_GRACE_S`` the kernel ends the process (SIGALRM's default action), as a
    kill would; the next crawl recovers the run as it does after a kill."""
    for number in (sig.SIGTERM, sig.SIGINT):
        previous = sig.getsignal(number)

        def stop(signum: int, frame: object, previous: object = previous) -> None:
            sig.signal(sig.SIGALRM, sig.SIG_DFL)
            sig.alarm(STOP_GRACE_S)
            if callable(previous):
                previous(signum, frame)

        sig.signal(number, stop)


def crawl_problem(run: CrawlRun, data_folder: Path | None = None) -> str | None:
    """One line saying what a crawl failed to do that the operator must act on, or None."""
    failed = run.counters.get("seal_failed", 0)
    if not failed:
        problems = [p for p in (blocked_problem(run), detection_problem(run)) if p is not None]
        return "; ".join(problems) or None
    if run.counters.get("disk_full"):
        where = f" holding {data_folder}" if data_folder is not None else ""
        return (
            f"the disk{where} is full: {failed} flagged listing(s) of run {run.id} were not "
            "sealed and the crawl stopped; free space and crawl again: they will be sealed then"
        )
    return (
        f"{failed} flagged listing(s) of run {run.id} were not sealed; fix the cause "
        "(see the log) and crawl again: they will be sealed then"
    )


def detection_problem(run: CrawlRun) -> str | None:
    """Listings the detector could not score were not stored: the run is partial."""
    failed = run.counters.get("detect_failed", 0)
    if not failed:
        return None
    timeouts = run.counters.get("errors/detect_timeout", 0)
    why = f"{timeouts} timed out waiting for a detection worker" if timeouts else "see the log"
    return (
        f"partial: detection: {failed} listing(s) of run {run.id} were not scored ({why}) and "
        "not stored, so the run declares nothing gone; fix the cause (with --detect-workers: "
        "start more, `ipwatch detect-worker --run RUN_ID`) and crawl again"
    )


def blocked_problem(run: CrawlRun) -> str | None:
    """What block pages cost a run: its listings are unknown, not absent."""
    pages = run.counters.get("blocked_pages", 0)
    lost = run.counters.get("blocked_lost", 0)
    suspect = run.counters.get("blocked_suspect", 0)
    if run.status == "blocked":
        return (
            f"blocked: {run.marketplace} answered block or captcha pages "
            f"({pages} in all) and the crawl stopped (max_consecutive_blocks); run {run.id} "
            "is incomplete, not empty: crawl later, slower, or through a proxy"
        )
    if run.status == "partial: blocked":
        parts = []
        if lost:
            parts.append(f"{lost} page(s) of {run.marketplace} were block or captcha pages")
        if suspect:
            parts.append(
                f"{suspect} list page(s) of {run.marketplace} suddenly listed nothing "
                "(suspected block pages)"
            )
        return (
            f"partial: blocked: {'; '.join(parts)}; run {run.id} missed their listings: "
            "crawl again later"
        )
    return None


def crawl_marketplace(
    workspace: Workspace,
    marketplace: str,
    *,
    keywords: Sequence[str] = (),
    base_url: str | None = None,
    allowed_private_hosts: Sequence[str] = (),
    trigger: str = "manual",
    progress: Callable[[CrawlProgress], None] | None = None,
    metrics: CrawlMetrics | None = None,
    resume: ResumeMode = "auto",
) -> CrawlRun:
    """Crawl the named profile (or YAML path) for ``keywords`` (default: the registry's);
    ``metrics``: where the crawl's Prometheus metrics go (default: the process-wide registry);
    ``resume``: carry on a killed crawl of the same job (``services.crawl_jobs.open_job``)."""
    profile = load_profile(marketplace, home=workspace.home)
    if base_url:
        profile = profile.with_base_url(base_url)
    keywords = list(keywords) or workspace.registry.search_keywords()
    if profile.search is not None and not keywords and not profile.sections:
        raise InvalidRequestError(
            "nothing to search for: import assets first (`ipwatch assets import FILE`) "
            "or pass --keyword"
        )
    return run_crawl(
        workspace,
        profile,
        keywords,
        trigger=trigger,
        allowed_private_hosts=allowed_private_hosts,
        progress=progress,
        metrics=metrics,
        resume=resume,
    )


def run_crawl(
    workspace: Workspace,
    profile: MarketplaceProfile,
    keywords: Sequence[str],
    *,
    trigger: str = "manual",
    allowed_private_hosts: Sequence[str] = (),
    progress: Callable[[CrawlProgress], None] | None = None,
    metrics: CrawlMetrics | None = None,
    resume: ResumeMode = "auto",
) -> CrawlRun:
    """Crawl once with ``profile`` and return the recorded run.

    Refused (``ConflictError``, naming the running crawl) while another live process crawls
    the same marketplace into the same data folder.
    """
    run_id = new_run_id()
    lock = MarketplaceLock(workspace.home / "runs", profile.name)
    try:
        lock.acquire(
            f"run {run_id}, pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ}"
        )
    except CrawlBusy as busy:
        raise ConflictError(
            f"another crawl of {profile.name} into {workspace.home} is running ({busy}); "
            "wait for it to finish, or stop it (a killed crawl's lock is taken over)"
        ) from None
    bind_run(run_id, profile.name)  # every log record of the crawl names its run
    try:
        job = open_job(workspace.home, profile, keywords, resume)
        return _crawl(
            workspace,
            profile,
            keywords,
            run_id,
            trigger,
            allowed_private_hosts,
            progress,
            metrics,
            job,
        )
    finally:
        unbind_run()
        lock.release()


def _crawl(
    workspace: Workspace,
    profile: MarketplaceProfile,
    keywords: Sequence[str],
    run_id: str,
    trigger: str,
    allowed_private_hosts: Sequence[str],
    progress: Callable[[CrawlProgress], None] | None,
    metrics: CrawlMetrics | None,
    job: CrawlJob,
) -> CrawlRun:
    workspace.index  # noqa: B018 - open (or create) the index now: a failure is one clear line
    settings = crawl_settings(
        workspace,
        profile,
        trigger=trigger,
        allowed_private_hosts=allowed_private_hosts,
        metrics=metrics,
    )
    settings.setdict(job.settings(), priority="cmdline")
    if json_logging():  # Scrapy applies LOG_LEVEL to its own handler only
        set_log_level(workspace.config.crawl.log_level)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(MarketplaceSpider)

    def refresh(*_: object, **__: object) -> None:
        stats = crawler.stats
        if progress is None or stats is None:
            return
        progress(
            CrawlProgress(
                marketplace=profile.name,
                pages=stats.get_value("ipwatch/pages", 0),
                listings=stats.get_value("ipwatch/listings", 0),
                flagged=stats.get_value("ipwatch/flagged", 0),
                errors=stats.get_value("ipwatch/errors", 0),
            )
        )

    for signal in (signals.item_scraped, signals.item_dropped, signals.response_received):
        crawler.signals.connect(refresh, signal=signal, weak=False)
    crawler.signals.connect(_arm_hard_stop, signal=signals.engine_started, weak=False)
    process.crawl(
        crawler,
        profile=profile,
        keywords=list(keywords),
        crawl_run_id=run_id,
        recheck_urls=noticed_urls(workspace, profile.name),
    )
    process.start()
    refresh()
    # The recorder's own copy: it exists even when the index was unreachable and the run
    # record itself waits in the spool.
    assert crawler.extensions is not None
    recorder = next(
        (m for m in crawler.extensions.middlewares if isinstance(m, CrawlRunRecorder)), None
    )
    if recorder is None or recorder.run is None:
        raise RuntimeError(f"crawl {run_id} left no run record; see the log above")
    if anyone_listens(workspace):  # actioner hooks: the run's new flagged findings
        findings_flagged(workspace, flagged_since(workspace, profile.name, recorder.run.started))
    record_reappearances(workspace, profile.name, recorder.run)
    after_run(workspace, recorder.run, current_operator())  # notice outcomes, run.summary
    return recorder.run


RECHECK_LIMIT = 10_000  # noticed listings one crawl asks about directly


def noticed_urls(workspace: Workspace, marketplace: str) -> list[str]:
    """Listings a notice is about (sent: gone yet?) or took down (removed: back?), which the
    crawl asks for directly, whether its searches reach them or not."""
    urls: list[str] = []
    after: tuple[float, str] | None = None
    try:
        while len(urls) < RECHECK_LIMIT:
            page = workspace.index.list_findings(
                FindingQuery(
                    marketplace=marketplace,
                    statuses=(FindingStatus.NOTICE_SENT, FindingStatus.REMOVED),
                    flagged_only=False,
                    limit=500,
                    search_after=after,
                )
            )
            urls.extend(f.url for f in page if f.url)
            if len(page) < 500:
                break
            after = (page[-1].risk, page[-1].id)
    except IndexUnavailableError as exc:  # crawl anyway: searches still reach most of them
        logger.warning("noticed listings not rechecked: %s", exc)
    return list(dict.fromkeys(urls))[:RECHECK_LIMIT]


def record_reappearances(workspace: Workspace, marketplace: str, run: CrawlRun) -> None:
    """Removed findings whose listing this run saw again become ``reappeared``."""
    operator = Principal.operator(current_operator())
    try:
        back = apply_reappearances(workspace, marketplace, run.started, operator, run_id=run.id)
        if back.reappeared:
            run.counters["findings_reappeared"] = len(back.reappeared)
            workspace.index.finish_run(run)
    except (IndexUnavailableError, StoreFullError) as exc:
        # The listings are stored; the next crawl that sees them again moves them.
        logger.warning("reappeared findings of run %s not recorded: %s", run.id, exc)
        return
    for finding_id, why in back.problems:
        logger.warning("finding %s not moved to reappeared: %s", finding_id, why)

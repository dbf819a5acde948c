"""Record each crawl as a run with its counters (pages, listings, new, changed, flagged, errors)."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy import signals

from config.logs import bind_run
from crawler.context import workspace_for
from crawler.extensions.run_lock import RunLock, is_abandoned
from crawler.run_states import record_states
from evidence.log.tree_head import TransparencyLogError
from evidence.seal.recovery import reindex_orphans
from model import CrawlRun, ListingChange
from store.exceptions import IndexUnavailableError, StoreFullError

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

    from crawler.context import CrawlContext
    from crawler.items import ListingItem

logger = logging.getLogger(__name__)

PREFIX = "ipwatch/"
# Always present in a run record, zero when nothing happened.
COUNTERS = (
    "pages",
    "listings",
    "listings_new",
    "listings_changed",
    "listings_unchanged",
    "listings_gone",
    "listings_reappeared",
    "findings_new",
    "flagged",
    "snapshots",
    "captures",
    "capture_failed",
    "capture_retries",
    "images",
    "image_errors",
    "dropped",
    "detect_failed",  # listings not scored (detection error or timeout): dropped, not stored
    "blocked",  # requests the private-address guard refused (SSRF), not block pages
    "blocked_pages",  # block/captcha pages received (each retry counts), by kind below
    "blocked_lost",  # pages never fetched because of block pages
    "blocked_suspect",  # first list pages that listed items last run and none now
    "errors",
)


def run_status(reason: str, counters: dict[str, int]) -> str:
    """``finished``; ``blocked`` when the circuit breaker stopped it; ``partial: blocked`` when
    it finished without some pages a wall kept from it; ``partial: detection`` when it finished
    with listings it could not score (not stored: so it declares nothing gone for absence);
    else ``stopped: <reason>``. One rule for the in-process and the distributed crawl."""
    if reason == "blocked":
        return "blocked"
    if reason != "finished":
        return f"stopped: {reason}"
    if counters.get("blocked_lost", 0) or counters.get("blocked_suspect", 0):
        return "partial: blocked"
    if counters.get("detect_failed", 0):
        return "partial: detection"
    return "finished"


def new_run_id(now: datetime | None = None) -> str:
    """Sortable by start time, unique across processes."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"R-{stamp}-{secrets.token_hex(3)}"


def close_abandoned_runs(workspace: CrawlContext) -> list[str]:
    """Runs left 'running' by a killed process are marked interrupted, and whatever they
    sealed but did not index is indexed from its manifest; the ids of those runs come back."""
    index, locks = workspace.index, workspace.home / "runs"
    abandoned = []
    for run in index.list_runs(limit=1000):
        if run.status == "running" and is_abandoned(locks, run.id):
            run.status = "interrupted"
            index.finish_run(run)
            abandoned.append(run.id)
    if abandoned:
        _cut_torn_log_tail(workspace)
        recovered = reindex_orphans(
            store=workspace.blobs,
            index=index,
            ledger=workspace.ledger,
            log=workspace.translog,
            sealer=workspace.sealer if workspace.signing_key_path.exists() else None,
        )
        if recovered:
            logger.warning("re-indexed %d snapshot(s) sealed by an interrupted run", len(recovered))
    return abandoned


def _resumed_seen(spider: Spider) -> dict[str, str]:
    seen: dict[str, str] = getattr(spider, "resumed_seen", {})
    return seen


def _cut_torn_log_tail(workspace: CrawlContext) -> None:
    """A process killed while appending to the transparency log leaves a partial last record,
    which the log refuses to append after; cut it (only such a tail: other damage is kept)."""
    log = workspace.translog
    if not log.path.exists():
        return
    try:
        cut = log.recover()
    except TransparencyLogError as exc:  # not a torn tail: `ipwatch evidence verify` says what
        logger.error("transparency log not repaired: %s", exc)
        return
    for what in cut:
        logger.warning("cut the torn tail of the transparency log: %s", what)


class CrawlRunRecorder:
    def __init__(self, crawler: Crawler, workspace: CrawlContext):
        self.crawler = crawler
        self.workspace = workspace
        self.index = workspace.index
        self.locks = workspace.home / "runs"
        self.run: CrawlRun | None = None
        self.lock: RunLock | None = None
        self.seen: dict[str, ListingChange] = {}  # listing id -> what its upsert did

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        recorder = cls(crawler, workspace_for(crawler))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_scraped, signal=signals.item_scraped)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        self.run = CrawlRun(
            id=getattr(spider, "crawl_run_id", None) or new_run_id(),
            marketplace=getattr(getattr(spider, "profile", None), "name", spider.name),
            trigger=self.crawler.settings.get("IPWATCH_TRIGGER", "manual"),
            started=datetime.now(UTC),
            resumed_from=self.crawler.settings.get("IPWATCH_RESUMED_FROM"),
        )
        bind_run(self.run.id, self.run.marketplace)  # a plain `scrapy crawl` names its run too
        self.lock = RunLock(self.locks, self.run.id)
        self.lock.acquire()
        try:
            self._replay_spool()
            close_abandoned_runs(self.workspace)
        except IndexUnavailableError as exc:
            # Crawl anyway: every write goes to the local spool until the index is back.
            logger.warning("evidence index unavailable at start, spooling writes: %s", exc)
        self.index.start_run(self.run)

    def _replay_spool(self) -> None:
        """Writes a previous crawl spooled while the cluster was away go in first."""
        if self.index.pending():
            replayed = self.index.flush()
            logger.warning("replayed %d spooled index write(s) from an earlier run", replayed)

    def item_scraped(self, item: ListingItem) -> None:
        if item.listing is not None and item.change is not None:
            self.seen[item.listing.id] = item.change

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run is None:
            return
        stats = self.crawler.stats.get_stats()
        self.run.counters = {
            key.removeprefix(PREFIX): int(value)
            for key, value in stats.items()
            if key.startswith(PREFIX) and isinstance(value, int)
        }
        for key in COUNTERS:
            self.run.counters.setdefault(key, 0)
        self.run.counters["spooled"] = self.index.pending()
        self.run.finished = datetime.now(UTC)
        self.run.status = run_status(reason, self.run.counters)
        # A resumed run's states cover its job: what the killed runs recorded counts as seen.
        resumed = {lid: ListingChange(change) for lid, change in _resumed_seen(spider).items()}
        self.seen = {**resumed, **self.seen}
        self._record_states(getattr(spider, "gone_listings", {}))
        try:
            self.index.finish_run(self.run)
        except StoreFullError as exc:  # the crawl command still reports the run from memory
            self.run.counters["disk_full"] = 1
            logger.error("could not record the end of run %s: %s", self.run.id, exc.strerror)
        if self.lock is not None:
            self.lock.release()

    def _record_states(self, removed: dict[str, str]) -> None:
        """Each listing's state in this run (``crawler.run_states``), stored with the run."""
        assert self.run is not None
        record_states(self.index, self.run, self.seen, removed)

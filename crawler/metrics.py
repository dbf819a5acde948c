"""Prometheus metrics of crawls: one definition each, on a registry the caller chooses.

Counters are labelled by marketplace (and listing state or error kind), so one scrape of a
scheduler serving several marketplaces tells them apart. Gauges carry a multiprocess mode,
used when crawls run as child processes that share ``PROMETHEUS_MULTIPROC_DIR``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from prometheus_client import REGISTRY, Counter, Gauge, Histogram

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

# Listing states a run reports (crawl_run COUNTERS listings_<state>); gone and reappeared
# arrive when recrawls mark them, under the same metric.
LISTING_STATES = ("new", "changed", "unchanged", "gone", "reappeared")
# Run counters that count a failure, reported as errors_total{kind=...} beside the crawl's
# own ``errors/<kind>`` (parse, pipeline, http_404, TimeoutError, ...).
ERROR_COUNTERS = ("capture_failed", "seal_failed", "index_failed", "image_errors")
# A crawl of a few pages takes seconds; a marketplace's nightly crawl, hours.
DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, float("inf"))


@dataclass(frozen=True)
class CrawlMetrics:
    """The crawl's metric families, registered once per registry (see ``crawl_metrics``)."""

    pages: Counter
    listings: Counter
    findings: Counter
    flagged: Counter
    captures: Counter
    seals: Counter
    errors: Counter
    spooled: Gauge
    running: Gauge
    duration: Histogram

    def __deepcopy__(self, memo: dict[int, object]) -> CrawlMetrics:
        """Scrapy deep-copies its settings; the metrics must stay the registered ones."""
        return self

    @classmethod
    def register(cls, registry: CollectorRegistry) -> CrawlMetrics:
        market = ("marketplace",)
        return cls(
            pages=Counter("ipwatch_crawl_pages", "Pages crawled", market, registry=registry),
            listings=Counter(
                "ipwatch_crawl_listings",
                "Listings recorded, by state (new, changed, unchanged, gone, reappeared)",
                (*market, "state"),
                registry=registry,
            ),
            findings=Counter(
                "ipwatch_crawl_findings", "New findings recorded", market, registry=registry
            ),
            flagged=Counter(
                "ipwatch_crawl_flagged_listings",
                "Listings with at least one flagged finding",
                market,
                registry=registry,
            ),
            captures=Counter(
                "ipwatch_crawl_captures", "Browser captures made", market, registry=registry
            ),
            seals=Counter(
                "ipwatch_crawl_seals", "Evidence snapshots sealed", market, registry=registry
            ),
            errors=Counter(
                "ipwatch_crawl_errors", "Errors, by kind", (*market, "kind"), registry=registry
            ),
            spooled=Gauge(
                "ipwatch_index_spooled_writes",
                "Index writes waiting in the local spool for the index to come back",
                market,
                registry=registry,
                multiprocess_mode="livemax",
            ),
            running=Gauge(
                "ipwatch_crawls_running",
                "Crawls running now",
                market,
                registry=registry,
                multiprocess_mode="livesum",
            ),
            duration=Histogram(
                "ipwatch_crawl_duration_seconds",
                "Wall time of finished crawls",
                market,
                buckets=DURATION_BUCKETS,
                registry=registry,
            ),
        )


_REGISTERED: WeakKeyDictionary[CollectorRegistry, CrawlMetrics] = WeakKeyDictionary()


def crawl_metrics(registry: CollectorRegistry | None = None) -> CrawlMetrics:
    """The metrics on ``registry`` (default: the process-wide one), defined on first use."""
    registry = registry if registry is not None else REGISTRY
    metrics = _REGISTERED.get(registry)
    if metrics is None:
        metrics = _REGISTERED[registry] = CrawlMetrics.register(registry)
    return metrics

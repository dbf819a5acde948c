"""Run one crawl of one marketplace in this process, with a progress display."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.extensions.crawl_run import CrawlRunRecorder, new_run_id
from crawler.spiders.marketplace import MarketplaceSpider

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from config.profile import MarketplaceProfile
    from ipwatch.workspace import Workspace
    from model import CrawlRun


def crawl_settings(
    workspace: Workspace,
    profile: MarketplaceProfile,
    *,
    trigger: str,
    allowed_private_hosts: Sequence[str] = (),
) -> Settings:
    """Project defaults, then the profile's politeness, then the user's config."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    polite = profile.politeness
    crawl = workspace.config.crawl
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
            # The profile's own host was chosen by the user, so it may be on a private network;
            # links and images found on its pages may not point anywhere else private.
            "IPWATCH_ALLOWED_PRIVATE_HOSTS": [
                *crawl.allowed_private_hosts,
                *allowed_private_hosts,
                *profile.domains(),
            ],
            "IPWATCH_IMAGES_PER_LISTING": crawl.images_per_listing,
            "IPWATCH_IMAGE_MAX_BYTES": crawl.image_max_bytes,
            "IPWATCH_IMAGE_MAX_PIXELS": crawl.image_max_pixels,
            "IPWATCH_WORKSPACE": workspace,
            "IPWATCH_TRIGGER": trigger,
            "LOG_LEVEL": crawl.log_level,
        },
        priority="cmdline",
    )
    return settings


def run_crawl(
    workspace: Workspace,
    profile: MarketplaceProfile,
    keywords: Sequence[str],
    *,
    console: Console | None = None,
    trigger: str = "manual",
    allowed_private_hosts: Sequence[str] = (),
) -> CrawlRun:
    """Crawl once and return the recorded run. Twisted's reactor runs once per process."""
    run_id = new_run_id()
    settings = crawl_settings(
        workspace, profile, trigger=trigger, allowed_private_hosts=allowed_private_hosts
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(MarketplaceSpider)
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[pages]} pages · {task.completed:.0f} listings"),
        TextColumn("· {task.fields[flagged]} flagged · {task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=console is None,
    ) as progress:
        task = progress.add_task(
            f"crawling {profile.name}", total=None, pages=0, flagged=0, errors=0
        )

        def refresh(*_: object, **__: object) -> None:
            stats = crawler.stats
            assert stats is not None
            progress.update(
                task,
                completed=stats.get_value("ipwatch/listings", 0),
                pages=stats.get_value("ipwatch/pages", 0),
                flagged=stats.get_value("ipwatch/flagged", 0),
                errors=stats.get_value("ipwatch/errors", 0),
            )

        for signal in (signals.item_scraped, signals.item_dropped, signals.response_received):
            crawler.signals.connect(refresh, signal=signal, weak=False)
        process.crawl(crawler, profile=profile, keywords=list(keywords), crawl_run_id=run_id)
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
    return recorder.run

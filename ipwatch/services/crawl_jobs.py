"""Crawl jobs: find the journal a killed crawl left, to resume it, or discard it on request.

A job is one marketplace (its profile name and base URL) crawled for one keyword set; its
journal is ``<home>/jobs/<marketplace>-<digest>.sqlite``. The caller holds the marketplace's
crawl lock (``services.crawl.run_crawl``), so no live crawl writes the journal meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from crawler.frontier import CrawlJournal, FrontierError, discard
from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from pathlib import Path

    from config.profile import MarketplaceProfile

JOBS_DIR = "jobs"
ResumeMode = Literal["auto", "resume", "fresh"]
RESUME_MODES: tuple[ResumeMode, ...] = ("auto", "resume", "fresh")


@dataclass(frozen=True)
class CrawlJob:
    """The journal a crawl keeps, and the interrupted run it carries on (None: a new job)."""

    journal: Path
    resumed_from: str | None = None
    done: int = 0  # requests the killed crawl finished, which this one skips
    pending: int = 0  # requests it queued and did not finish, which this one does
    since: datetime | None = None  # when the job's first (killed) crawl began

    def settings(self) -> dict[str, Any]:
        return {
            "IPWATCH_FRONTIER_JOURNAL": str(self.journal),
            "IPWATCH_RESUMED_FROM": self.resumed_from,
            "IPWATCH_RESUMED_SINCE": self.since if self.resumed_from else None,
        }


def job_path(home: Path, profile: MarketplaceProfile, keywords: Sequence[str]) -> Path:
    """The journal file of this marketplace × base URL × keyword set."""
    key = json.dumps([profile.name, profile.base_url, sorted(set(keywords))], ensure_ascii=False)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", profile.name)[:60]
    return home / JOBS_DIR / f"{name}-{digest}.sqlite"


def open_job(
    home: Path,
    profile: MarketplaceProfile,
    keywords: Sequence[str],
    mode: ResumeMode = "auto",
) -> CrawlJob:
    """The job to crawl: ``auto`` resumes a killed crawl of it if there is one, ``resume``
    requires one, ``fresh`` discards it. Raises ``InvalidRequestError`` saying what to do."""
    if mode not in RESUME_MODES:
        raise InvalidRequestError(f"resume mode must be one of {', '.join(RESUME_MODES)}")
    path = job_path(home, profile, keywords)
    try:
        if mode == "fresh":
            discard(path)
        exists = path.exists()
        if mode == "resume" and not exists:
            raise InvalidRequestError(
                f"no interrupted crawl of {profile.name} for these keywords to resume "
                f"(no {path}); crawl without --resume to start one"
            )
        if not exists:
            path.parent.mkdir(parents=True, exist_ok=True)
            CrawlJournal(path).close()  # a read-only or full folder fails here, not mid-crawl
            return CrawlJob(path)
        journal = CrawlJournal(path)
        try:
            run_id, counts, since = journal.get("run_id"), journal.counts(), journal.started()
        finally:
            journal.close()
    except FrontierError as exc:
        raise InvalidRequestError(str(exc)) from None
    except OSError as exc:
        raise InvalidRequestError(
            f"cannot use the crawl job folder {path.parent} ({exc.strerror or exc}); make it "
            "writable and free disk space, then crawl again"
        ) from None
    return CrawlJob(path, run_id or None, counts["done"], counts["pending"], since)

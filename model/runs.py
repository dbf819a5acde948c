"""One crawl of one marketplace: trigger, times, counters, outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


@dataclass
class CrawlRun:
    id: str
    marketplace: str
    trigger: str  # "manual" | "schedule" | "demo"
    started: datetime
    finished: datetime | None = None
    counters: dict[str, int] = field(default_factory=dict)
    # running | finished | blocked | partial: blocked | stopped: REASON | interrupted[: why]
    # | skipped: still running | skipped: missed | failed: exit N (see log)
    status: str = "running"
    resumed_from: str | None = None  # the interrupted run whose unfinished work this one did

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
    status: str = "running"  # running | finished | failed

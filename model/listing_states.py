"""What each crawl run found of each listing: new, changed, unchanged, gone or reappeared."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class ListingState(StrEnum):
    """A listing's state in one run; only the first three mean the run saw it."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    GONE = "gone"  # seen by the previous complete run and not by this one, or a 404/410 page
    REAPPEARED = "reappeared"  # gone in an earlier run, seen again

    @property
    def seen(self) -> bool:
        return self is not ListingState.GONE


@dataclass(frozen=True)
class RunListingState:
    """One listing's state in one run; ``at`` orders runs, ``reason`` says why it is gone."""

    run_id: str
    listing_id: str
    marketplace: str
    state: ListingState
    at: datetime
    reason: str = ""

"""The repeat-infringer record: per seller and per network, each number with its finding ids."""

from __future__ import annotations

from enforcement.record.compute import (
    FindingFacts,
    Record,
    Thresholds,
    combine_records,
    seller_record,
)

__all__ = ["FindingFacts", "Record", "Thresholds", "combine_records", "seller_record"]

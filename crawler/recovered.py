"""Snapshots a killed crawl sealed but never indexed with their listing, for its resumed crawl.

A kill between sealing and indexing leaves a snapshot that the recovery (``reindex_orphans``)
puts in the index, but whose finding and listing were never recorded, so the resumed crawl
would find the listing "new" and seal it a second time. Instead it reuses such a snapshot when
the listing sealed in it reads as it does now (title, price, seller) and it cites every flagged
finding: evidence is sealed once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.seal.manifest import parse_manifest
from evidence.seal.snapshot import ListingInfo, sealed_listing

if TYPE_CHECKING:
    from datetime import datetime

    from crawler.context import CrawlContext
    from crawler.items import ListingItem
    from model import Finding, SnapshotRef


class RecoveredSnapshots:
    """Unlinked snapshots captured since ``since`` (the killed job's start), by listing."""

    def __init__(self, workspace: CrawlContext, since: datetime):
        self.workspace = workspace
        self.since = since
        self._by_listing: dict[str, list[SnapshotRef]] | None = None

    def _load(self) -> dict[str, list[SnapshotRef]]:
        """Read once, at the first flagged listing: the recovery has run by then."""
        index = self.workspace.index
        found: dict[str, list[SnapshotRef]] = {}
        for snapshot in index.iter_snapshots():
            if snapshot.captured_at < self.since:
                continue
            for finding_id in snapshot.finding_ids:
                stored = index.get_finding(finding_id)
                if stored is None or snapshot.id not in stored.snapshot_ids:
                    found.setdefault(snapshot.listing_id, []).append(snapshot)
                    break
        return found

    def take(self, item: ListingItem, flagged: list[Finding]) -> SnapshotRef | None:
        """The unlinked snapshot that already proves this listing as it reads now, if any."""
        if self._by_listing is None:
            self._by_listing = self._load()
        assert item.listing is not None
        candidates = self._by_listing.get(item.listing.id, [])
        wanted = {finding.id for finding in flagged}
        now = sealed_listing(ListingInfo.from_listing(item.listing, item_id=item.item_id))
        for snapshot in reversed(candidates):  # the latest first
            if not wanted <= set(snapshot.finding_ids):
                continue
            blobs = self.workspace.blobs
            if not blobs.verify(snapshot.manifest_sha256):
                continue  # damaged: `evidence verify` reports it; seal afresh
            sealed = parse_manifest(blobs.get(snapshot.manifest_sha256))["listing"]
            if sealed == now:
                candidates.remove(snapshot)
                return snapshot
        return None

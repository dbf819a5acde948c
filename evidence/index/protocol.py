"""The contract every evidence-index backend fulfils (SQLite now, the Elasticsearch API next)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from evidence.index.records import (
        AuditEventRecord,
        CrawlRunRecord,
        FindingQuery,
        FindingRecord,
        FindingStatus,
        ListingChange,
        ListingRecord,
        SnapshotRecord,
    )


class EvidenceIndex(Protocol):
    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        """Insert or update by id; keeps ``first_seen``; compares ``content_hash``."""
        ...

    def get_listing(self, listing_id: str) -> ListingRecord | None: ...

    def iter_listings(self, marketplace: str | None = None) -> list[ListingRecord]: ...

    def upsert_finding(self, finding: FindingRecord) -> bool:
        """Insert or update by id (keeping status, created, snapshot ids); True when it was new."""
        ...

    def get_finding(self, finding_id: str) -> FindingRecord | None: ...

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]: ...

    def set_status(
        self, finding_id: str, status: FindingStatus, actor: str, reason: str = ""
    ) -> None:
        """Change a finding's status and append an audit event."""
        ...

    def list_events(self, finding_id: str) -> list[AuditEventRecord]:
        """The finding's audit events, oldest first."""
        ...

    def add_snapshot(self, snapshot: SnapshotRecord) -> None:
        """Store a sealed snapshot and link it to its findings."""
        ...

    def get_snapshot(self, snapshot_id: str) -> SnapshotRecord | None: ...

    def list_snapshots(self) -> list[SnapshotRecord]: ...

    def start_run(self, run: CrawlRunRecord) -> None: ...

    def finish_run(self, run: CrawlRunRecord) -> None: ...

    def get_run(self, run_id: str) -> CrawlRunRecord | None: ...

    def list_runs(self, limit: int = 20) -> list[CrawlRunRecord]: ...

    def close(self) -> None: ...

"""The contract every store backend fulfils (SQLite, and the Elasticsearch/OpenSearch API).

Reads return records with their seller hydrated from the sellers the store keeps once each;
lists that can grow are iterators paged by key (keyset paging), never one big list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from model import (
        CountBy,
        CrawlRun,
        FindingQuery,
        FindingRecord,
        FindingStatus,
        ListingChange,
        ListingRecord,
        ListingState,
        ReviewEvent,
        RunListingState,
        Seller,
        SnapshotRef,
    )
    from model.notices import (
        NoticeEvent,
        NoticeQuery,
        NoticeRecord,
        NoticeState,
        WebhookDelivery,
    )


class Store(Protocol):
    """Listings, sellers, findings, review events, snapshots and crawl runs."""

    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        """Insert or update by id; keeps ``first_seen``; compares ``content_hash``."""
        ...

    def get_listing(self, listing_id: str) -> ListingRecord | None: ...

    def iter_listings(self, marketplace: str | None = None) -> Iterator[ListingRecord]:
        """Every listing (of one marketplace) by id, fetched a page at a time."""
        ...

    def count_listings(self, marketplace: str | None = None) -> int: ...

    def upsert_seller(self, seller: Seller) -> None:
        """Insert or merge by ``seller.key``: known fields kept, contacts merged, first/last
        seen widened. Listing and finding upserts do this for the seller they carry."""
        ...

    def get_seller(self, key: str) -> Seller | None: ...

    def iter_sellers(self, marketplace: str | None = None) -> Iterator[Seller]:
        """Every seller (of one marketplace) by key, fetched a page at a time."""
        ...

    def upsert_finding(self, finding: FindingRecord) -> bool:
        """Insert or update by id (keeping status, created, snapshot ids); True when it was new."""
        ...

    def get_finding(self, finding_id: str) -> FindingRecord | None: ...

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]:
        """Findings matching the query, risk descending then id ascending.

        ``query.owners`` is the tenant scope, applied here so no caller can forget it: an empty
        tuple lists nothing. A malformed filter raises ValueError (``FindingQuery.checked``).
        """
        ...

    def count_findings(self, by: CountBy, query: FindingQuery) -> dict[str, int]:
        """How many findings match, per marketplace / asset / seller id / UTC day of creation /
        status / owner / signal kind (a finding counts once under each of its kinds); values
        with no finding are absent, so an empty scope counts ``{}``."""
        ...

    def search_listings(
        self,
        text: str,
        marketplace: str | None = None,
        limit: int = 100,
        search_after: str | None = None,
    ) -> list[ListingRecord]:
        """Listings whose title or description match ``text``, by id; page with the last id."""
        ...

    def set_status(
        self,
        finding_id: str,
        status: FindingStatus,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> None:
        """Change a finding's status and append an audit event.

        With ``expected_revision`` (from ``get_finding``), raise RecordConflictError if the
        finding changed since, instead of overwriting someone else's decision.
        """
        ...

    def list_events(self, finding_id: str) -> list[ReviewEvent]:
        """The finding's audit events, oldest first."""
        ...

    def add_snapshot(self, snapshot: SnapshotRef) -> None:
        """Store a sealed snapshot and link it to its findings."""
        ...

    def get_snapshot(self, snapshot_id: str) -> SnapshotRef | None: ...

    def iter_snapshots(self) -> Iterator[SnapshotRef]:
        """Every snapshot, oldest capture first, fetched a page at a time."""
        ...

    def start_run(self, run: CrawlRun) -> None: ...

    def finish_run(self, run: CrawlRun) -> None: ...

    def get_run(self, run_id: str) -> CrawlRun | None: ...

    def list_runs(self, limit: int = 20) -> list[CrawlRun]: ...

    # listing states per run (issue 14)
    def put_listing_states(self, states: Iterable[RunListingState]) -> None:
        """Insert or replace each listing's state in its run (keyed by run id and listing id)."""
        ...

    def iter_listing_states(
        self, run_id: str, states: Sequence[ListingState] = ()
    ) -> Iterator[RunListingState]:
        """The run's listing states (only ``states`` when given), by listing id, paged."""
        ...

    def latest_listing_states(self, listing_ids: Sequence[str]) -> dict[str, RunListingState]:
        """Each listing's most recent state (latest ``at``) of any run; absent ones left out."""
        ...

    def pending(self) -> int:
        """Writes accepted but not yet in the index (spooled while the cluster was away)."""
        ...

    def flush(self) -> int:
        """Replay spooled writes; returns how many reached the index."""
        ...

    def close(self) -> None: ...

    # takedown notices (issue 13)
    def add_notice(self, notice: NoticeRecord) -> None:
        """Store a new notice; RecordConflictError when its id is already stored."""
        ...

    def get_notice(self, notice_id: str) -> NoticeRecord | None:
        """The notice with its ``revision`` set, or None."""
        ...

    def list_notices(self, query: NoticeQuery) -> list[NoticeRecord]:
        """Newest first, then id; ``query.owners`` is the tenant scope (empty: nothing)."""
        ...

    def set_notice_state(
        self,
        notice_id: str,
        state: NoticeState,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> NoticeEvent:
        """Change the state and append its event; compare-and-set like ``set_status``
        (RecordConflictError when the notice changed since ``expected_revision``)."""
        ...

    def list_notice_events(self, notice_id: str) -> list[NoticeEvent]:
        """The notice's state changes, oldest first."""
        ...

    def put_delivery(self, delivery: WebhookDelivery) -> None:
        """Insert or replace a webhook delivery by id (its attempts are updated in place)."""
        ...

    def list_deliveries(self, limit: int = 100) -> list[WebhookDelivery]:
        """Webhook deliveries, newest first."""
        ...

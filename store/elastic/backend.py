"""``Store`` on Elasticsearch/OpenSearch: aliases, scripted upserts, CAS and a spool.

The store is built in layers, one job per module: ``base`` (connection and shared state),
``sellers`` (sellers carried on writes), ``writes`` (live-or-spool writes and replay),
``findings`` (findings and review); this module pages reads and holds listings, snapshots
and runs.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any

from model import ListingChange
from store.elastic import queries
from store.elastic.base import PAGE
from store.elastic.bulk import run_bulk
from store.elastic.documents import (
    listing_doc,
    listing_from,
    run_doc,
    run_from,
    seller_doc,
    snapshot_doc,
    snapshot_from,
    split_seller,
)
from store.elastic.findings import ElasticFindings
from store.elastic.migrate import migrate as migrate_indices
from store.elastic.notices import ElasticNotices
from store.elastic.ops import LISTING_STATE, OP_TARGET, guarded_listing_item
from store.elastic.states import ElasticStates
from store.exceptions import IndexUnavailableError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from model import CrawlRun, ListingRecord, Seller, SnapshotRef


class ElasticStore(ElasticFindings, ElasticNotices, ElasticStates):
    """The evidence index on a cluster; writes that cannot reach it wait in a local spool.

    Writes use refresh=false; the first search of an index this instance wrote to since the
    last refresh refreshes it first, so the CLI and tests read their own writes while bulk
    crawling is never slowed by per-write refreshes. Gets are realtime and never refresh.
    """

    # listings
    def upsert_listing(self, listing: ListingRecord) -> ListingChange:
        doc = self._with_seller(listing_doc(listing), listing.seller)
        change: ListingChange = self._write("listing", doc, listing.id, ListingChange.SPOOLED)
        return change

    def bulk_upsert_listings(self, listings: Sequence[ListingRecord]) -> list[ListingChange]:
        """Many upserts in few requests (crawl pipeline, benchmark); same answers as one by one.

        Fast path: one realtime multi-get tells what is stored, then plain ``create`` /
        ``index`` actions guarded by ``if_seq_no``/``if_primary_term`` write them, so the
        cluster runs no script per document. A document someone else wrote in between fails
        its guard and goes through the scripted upsert, which decides against the new copy.
        """
        docs = [self._with_seller(listing_doc(x), x.seller) for x in listings]
        if docs and not len(self.spool) and time.monotonic() >= self._down_until:
            try:
                self._ensure()
                failed = self._write_sellers(docs)
                stored = self.adapter.mget(
                    self._ops.alias("listings"), [d["id"] for d in docs], LISTING_STATE
                )
            except IndexUnavailableError:
                self._went_down()  # the scripted path below spools what the cluster cannot take
            else:
                if not failed:
                    return self._guarded_listings([split_seller(d)[0] for d in docs], stored)
                self._went_down()  # sellers did not get in: spool the listings with them
        return self._bulk("listing", docs, ListingChange.SPOOLED)

    def _guarded_listings(
        self, docs: list[dict[str, Any]], stored: list[dict[str, Any]]
    ) -> list[ListingChange]:
        items, changes = [], []
        for doc, known in zip(docs, stored, strict=True):
            item, change = guarded_listing_item(self._ops.alias("listings"), doc, known)
            items.append(item)
            changes.append(change)
        out: list[ListingChange] = [ListingChange.SPOOLED] * len(docs)
        retry: list[int] = []
        for i, result in enumerate(run_bulk(self.adapter, items, self._backoff)):
            if result.ok:
                out[i] = changes[i]
            else:  # lost a race, throttled or refused: the scripted path decides and spools
                retry.append(i)
        self._dirty.add(OP_TARGET["listing"])
        if retry:
            again = self._bulk("listing", [docs[i] for i in retry], ListingChange.SPOOLED)
            for i, change in zip(retry, again, strict=True):
                out[i] = change
        return out

    def get_listing(self, listing_id: str) -> ListingRecord | None:
        hit = self._get("listings", listing_id)
        return None if hit is None else self._listings([hit])[0]

    def iter_listings(self, marketplace: str | None = None) -> Iterator[ListingRecord]:
        query = self._marketplace(marketplace)
        hits = self._scan("listings", query, queries.LISTING_SORT)
        while page := list(itertools.islice(hits, PAGE)):
            yield from self._listings(page)

    def count_listings(self, marketplace: str | None = None) -> int:
        self._ensure()
        if "listings" in self._dirty:
            self._dirty.discard("listings")
            self.adapter.refresh(self._ops.alias("listings"))
        return self.adapter.count(self._ops.alias("listings"), self._marketplace(marketplace))

    def _listings(self, hits: list[dict[str, Any]]) -> list[ListingRecord]:
        sellers = self._sellers(h["_source"].get("seller_key") for h in hits)
        return [
            listing_from(h["_source"], sellers.get(h["_source"].get("seller_key"))) for h in hits
        ]

    def search_listings(
        self,
        text: str,
        marketplace: str | None = None,
        limit: int = 100,
        search_after: str | None = None,
    ) -> list[ListingRecord]:
        if limit < 0:
            raise ValueError("limit must be zero or more")
        hits = self._scan(
            "listings",
            queries.listing_filter(text, marketplace),
            queries.LISTING_SORT,
            after=None if search_after is None else [search_after],
            limit=limit,
        )
        return self._listings(list(hits))

    def upsert_seller(self, seller: Seller) -> None:
        self._write("seller", seller_doc(seller), seller.key, None)

    # snapshots
    def add_snapshot(self, snapshot: SnapshotRef) -> None:
        self._write("snapshot", snapshot_doc(snapshot), snapshot.id, None)
        self._dirty.add("findings")

    def get_snapshot(self, snapshot_id: str) -> SnapshotRef | None:
        hit = self._get("snapshots", snapshot_id)
        return None if hit is None else snapshot_from(hit["_source"])

    def iter_snapshots(self) -> Iterator[SnapshotRef]:
        hits = self._scan("snapshots", {"match_all": {}}, queries.SNAPSHOT_SORT)
        return (snapshot_from(h["_source"]) for h in hits)

    # crawl runs
    def start_run(self, run: CrawlRun) -> None:
        self._write("start_run", run_doc(run), run.id, None)

    def finish_run(self, run: CrawlRun) -> None:
        self._write("finish_run", run_doc(run), run.id, None)

    def get_run(self, run_id: str) -> CrawlRun | None:
        hit = self._get("runs", run_id)
        return None if hit is None else run_from(hit["_source"])

    def list_runs(self, limit: int = 20) -> list[CrawlRun]:
        hits = self._scan("runs", {"match_all": {}}, queries.RUN_SORT, limit=max(limit, 0))
        return [run_from(h["_source"]) for h in hits]

    def migrate(self, kind: str | None = None) -> list[str]:
        """``ipwatch index migrate``: bring every kind (or one) to the current mapping."""
        with self._lock:
            steps = migrate_indices(self.adapter, self.prefix, kind or "all")  # type: ignore[arg-type]
            self._ready = False  # aliases may point at new indices: check them again
        return [step.describe() for step in steps]

    def close(self) -> None:
        self.adapter.close()
        self.spool.close()

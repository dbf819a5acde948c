"""``Store`` on Elasticsearch/OpenSearch: aliases, scripted upserts, CAS and a spool."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from model import FindingStatus, ListingChange
from store.elastic import queries
from store.elastic.bulk import Backoff, run_bulk
from store.elastic.client import Adapter, connect
from store.elastic.documents import (
    SELLER_FIELDS,
    event_from,
    finding_doc,
    finding_from,
    listing_doc,
    listing_from,
    run_doc,
    run_from,
    seller_doc,
    seller_from,
    snapshot_doc,
    snapshot_from,
    split_seller,
    ts,
    with_seller,
)
from store.elastic.errors import IndexRejectedError
from store.elastic.migrate import ensure_indices
from store.elastic.migrate import migrate as migrate_indices
from store.elastic.ops import (
    BULKABLE,
    LISTING_STATE,
    OP_TARGET,
    Ops,
    doc_key,
    guarded_listing_item,
)
from store.elastic.spool import Spool
from store.exceptions import IndexUnavailableError, StoreError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from model import (
        CountBy,
        CrawlRun,
        FindingQuery,
        FindingRecord,
        ListingRecord,
        ReviewEvent,
        Seller,
        SnapshotRef,
    )
    from store.elastic.spool import SpooledOp
    from store.elastic.templates import Kind

T = TypeVar("T")
PAGE = 1000  # hits per search_after page when a read walks a whole result set
SELLER_SORT: list[dict[str, Any]] = [{"key": "asc"}]
SELLER_FRESH = timedelta(minutes=10)  # a seller written this recently is not written again
SELLER_CACHE = 50_000  # sellers remembered as written (forgotten all at once past this)
SEEN = ("first_seen", "last_seen")
NO_MATCH: list[str] = ["\x00none"]  # a seller filter that resolved to no seller


def _seller_key(doc: dict[str, Any]) -> str | None:
    """The key of the seller a listing/finding document carries."""
    seller = split_seller(doc)[1]
    return None if seller is None else str(seller["key"])


def _doc_id(kind: str, doc: dict[str, Any]) -> str:
    return str(doc["key"] if kind == "seller" else doc["id"])


FLUSH_BATCH = 500


class ElasticStore:
    """The evidence index on a cluster; writes that cannot reach it wait in a local spool.

    Writes use refresh=false; the first search of an index this instance wrote to since the
    last refresh refreshes it first, so the CLI and tests read their own writes while bulk
    crawling is never slowed by per-write refreshes. Gets are realtime and never refresh.
    """

    def __init__(
        self,
        url_or_adapter: str | Adapter,
        *,
        prefix: str | None = None,
        spool_path: Path | str,
        clock: Callable[[], datetime] | None = None,
        retry_after: float = 30.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.adapter = (
            connect(url_or_adapter) if isinstance(url_or_adapter, str) else url_or_adapter
        )
        self.prefix = prefix or self.adapter.prefix
        self.spool = Spool(spool_path)
        self._ops = Ops(self.adapter, self.prefix)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._retry_after = retry_after  # seconds to spool straight away after an outage
        self._backoff = backoff or Backoff()
        self._lock = threading.RLock()
        self._ready = False
        self._dirty: set[Kind] = set()
        self._down_until = 0.0
        self._replay_due = True  # a fresh process replays what an earlier one spooled
        # seller key -> (document without seen times, first_seen, last_seen + SELLER_FRESH)
        self._written: dict[str, tuple[dict[str, Any], str | None, str | None]] = {}

    # plumbing
    def _ensure(self) -> None:
        with self._lock:
            if not self._ready:
                ensure_indices(self.adapter, self.prefix)
                self._ready = True

    def _went_down(self) -> None:
        self._down_until = time.monotonic() + self._retry_after
        self._replay_due = True

    def _spool(self, kind: str, payload: dict[str, Any], doc_id: str, error: str) -> None:
        self.spool.append(kind, doc_key(kind, doc_id), payload, error, self._clock())

    def _must_queue(self, kind: str, doc_id: str) -> str:
        """Why this write must go to the spool ("" if it may go live): keeps per-doc order."""
        if time.monotonic() < self._down_until:
            return "the index cluster was unavailable moments ago"
        if self._replay_due and len(self.spool):
            self.flush()
        if time.monotonic() < self._down_until:
            return "the index cluster is unavailable"
        if self.spool.holds(doc_key(kind, doc_id)):
            return "an earlier write to this document is still spooled"
        return ""

    def _write(self, kind: str, payload: dict[str, Any], doc_id: str, spooled: T) -> Any:
        """Apply live, or spool and return ``spooled`` when the cluster is away."""
        reason = self._must_queue(kind, doc_id)
        if reason:
            self._spool(kind, payload, doc_id, reason)
            return spooled
        try:
            self._ensure()
            result = self._ops.apply(kind, payload)
        except IndexUnavailableError as exc:
            self._went_down()
            self._spool(kind, payload, doc_id, str(exc))
            return spooled
        self._dirty.add(OP_TARGET[kind])
        if _seller_key(payload) is not None:
            self._dirty.add("sellers")
            self._remember(split_seller(payload)[1])
        if kind == "status":
            self._write("event", result, result["id"], None)
        return result

    def _search(self, kind: Kind, body: dict[str, Any]) -> dict[str, Any]:
        self._ensure()
        if kind in self._dirty:
            self._dirty.discard(kind)
            self.adapter.refresh(self._ops.alias(kind))
        return self.adapter.search(self._ops.alias(kind), body)

    def _get(self, kind: Kind, doc_id: str) -> dict[str, Any] | None:
        self._ensure()
        return self.adapter.get(self._ops.alias(kind), doc_id)

    def _scan(
        self,
        kind: Kind,
        query: dict[str, Any],
        sort: list[dict[str, Any]],
        *,
        after: list[Any] | None = None,
        skip: int = 0,
        limit: int | None = None,
        seq_no: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Hits in ``sort`` order, paged with search_after (no 10,000-hit window limit)."""
        left = limit
        while left is None or left > 0:
            size = PAGE if left is None else min(PAGE, left + skip)
            body: dict[str, Any] = {"query": query, "sort": sort, "size": size}
            body["track_total_hits"] = False
            if seq_no:
                body["seq_no_primary_term"] = True
            if after is not None:
                body["search_after"] = after
            hits = self._search(kind, body)["hits"]["hits"]
            for hit in hits[skip:]:
                yield hit
                if left is not None:
                    left -= 1
                    if left == 0:
                        return
            skip = max(0, skip - len(hits))
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

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

    @staticmethod
    def _marketplace(marketplace: str | None) -> dict[str, Any]:
        return {"match_all": {}} if marketplace is None else {"term": {"marketplace": marketplace}}

    # sellers
    def upsert_seller(self, seller: Seller) -> None:
        self._write("seller", seller_doc(seller), seller.key, None)

    def _write_sellers(self, docs: Iterable[dict[str, Any]]) -> set[str]:
        """The sellers these listing/finding documents carry, each once, in one bulk request,
        before the documents naming them; returns the keys the cluster did not take."""
        sellers: dict[str, dict[str, Any]] = {}
        for doc in docs:
            seller = split_seller(doc)[1]
            if seller is not None:
                sellers[seller["key"]] = seller
        if not sellers:
            return set()
        items = [self._ops.bulk_item("seller", s) for s in sellers.values()]
        results = run_bulk(self.adapter, items, self._backoff)
        self._dirty.add("sellers")
        for seller, result in zip(sellers.values(), results, strict=True):
            if result.ok:
                self._remember(seller)
        return {key for key, r in zip(sellers, results, strict=True) if not r.ok}

    def _with_seller(self, doc: dict[str, Any], seller: Seller | None) -> dict[str, Any]:
        """Attach the seller's document unless this store wrote the same seller moments ago:
        a crawl names one seller on many listings, and rewriting it each time would double
        the writes. Its last_seen may then lag by up to ``SELLER_FRESH``."""
        if seller is None:
            return doc
        sdoc = seller_doc(seller)
        content = {k: v for k, v in sdoc.items() if k not in SEEN}
        known = self._written.get(seller.key)
        if known is not None and known[0] == content:
            first, last = sdoc["first_seen"], sdoc["last_seen"]
            if (first is None or (known[1] is not None and known[1] <= first)) and (
                last is None or (known[2] is not None and last <= known[2])
            ):
                return doc
        return with_seller(doc, seller)

    def _remember(self, sdoc: dict[str, Any] | None) -> None:
        """Note a seller document the cluster took; its seen times count as covered for
        ``SELLER_FRESH`` beyond the last one."""
        if sdoc is None:
            return
        if len(self._written) >= SELLER_CACHE:
            self._written.clear()
        last = sdoc["last_seen"]
        if last is not None:
            last = ts(datetime.fromisoformat(last) + SELLER_FRESH)
        content = {k: v for k, v in sdoc.items() if k not in SEEN}
        self._written[sdoc["key"]] = (content, sdoc["first_seen"], last)

    def _sellers(self, keys: Iterable[str | None]) -> dict[str, Seller]:
        """The stored sellers of these keys, in one realtime multi-get."""
        wanted = sorted({k for k in keys if k})
        if not wanted:
            return {}
        self._ensure()
        docs = self.adapter.mget(self._ops.alias("sellers"), wanted, SELLER_FIELDS)
        return {d["_id"]: seller_from(d["_source"]) for d in docs if d.get("found")}

    def get_seller(self, key: str) -> Seller | None:
        return self._sellers([key]).get(key)

    def iter_sellers(self, marketplace: str | None = None) -> Iterator[Seller]:
        hits = self._scan("sellers", self._marketplace(marketplace), SELLER_SORT)
        return (seller_from(h["_source"]) for h in hits)

    def _seller_keys(self, seller: str) -> list[str]:
        """Keys of the sellers a filter names by id, name (case-insensitive) or key: the
        cluster cannot join, so a seller filter is resolved here first."""
        hits = self._scan("sellers", queries.seller_filter(seller), SELLER_SORT)
        return [h["_source"]["key"] for h in hits] or NO_MATCH

    def _listings(self, hits: list[dict[str, Any]]) -> list[ListingRecord]:
        sellers = self._sellers(h["_source"].get("seller_key") for h in hits)
        return [
            listing_from(h["_source"], sellers.get(h["_source"].get("seller_key"))) for h in hits
        ]

    def _findings(self, hits: list[dict[str, Any]]) -> list[FindingRecord]:
        sellers = self._sellers(h["_source"].get("seller_key") for h in hits)
        return [finding_from(h, sellers.get(h["_source"].get("seller_key"))) for h in hits]

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

    # findings
    def upsert_finding(self, finding: FindingRecord) -> bool:
        doc = self._with_seller(finding_doc(finding), finding.seller)
        return bool(self._write("finding", doc, finding.id, False))

    def bulk_upsert_findings(self, findings: Sequence[FindingRecord]) -> list[bool]:
        """Many finding upserts in few requests; True where the finding was new."""
        return self._bulk(
            "finding", [self._with_seller(finding_doc(x), x.seller) for x in findings], False
        )

    def get_finding(self, finding_id: str) -> FindingRecord | None:
        hit = self._get("findings", finding_id)
        return None if hit is None else self._findings([hit])[0]

    def list_findings(self, query: FindingQuery) -> list[FindingRecord]:
        if query.limit < 0 or query.offset < 0:
            raise ValueError("limit and offset must be zero or more")
        after = list(query.search_after) if query.search_after is not None else None
        hits = self._scan(
            "findings",
            self._finding_filter(query),
            queries.FINDING_SORT,
            after=after,
            skip=0 if after is not None else query.offset,
            limit=query.limit,
            seq_no=True,
        )
        return self._findings(list(hits))

    def _finding_filter(self, query: FindingQuery) -> dict[str, Any]:
        keys = None if query.seller is None else self._seller_keys(query.seller)
        return queries.finding_filter(query, keys)

    def count_findings(self, by: CountBy, query: FindingQuery) -> dict[str, int]:
        counts: dict[str, int] = {}
        after: dict[str, Any] | None = None
        keys = None if query.seller is None else self._seller_keys(query.seller)
        while True:
            body = queries.count_body(by, query, after, PAGE, keys)
            agg = self._search("findings", body)["aggregations"]["counts"]
            for bucket in agg["buckets"]:
                counts[queries.bucket_key(bucket["key"]["key"])] = int(bucket["doc_count"])
            after = agg.get("after_key")
            if after is None or not agg["buckets"]:
                break
        if by != "seller":
            return counts
        # Buckets are seller keys; count per marketplace seller id, as SQLite does.
        sellers = self._sellers(counts)
        by_id: dict[str, int] = {}
        for key, n in counts.items():
            seller = sellers.get(key)
            name = (seller.id if seller is not None else None) or ""
            by_id[name] = by_id.get(name, 0) + n
        return by_id

    def set_status(
        self,
        finding_id: str,
        status: FindingStatus,
        actor: str,
        reason: str = "",
        expected_revision: str | None = None,
    ) -> None:
        op = {
            "finding_id": finding_id,
            "to_status": FindingStatus(status).value,
            "actor": actor,
            "reason": reason,
            "at": ts(self._clock()),
            "event_id": uuid.uuid4().hex,  # replaying the op rewrites the same event
            "expected_revision": expected_revision,
        }
        if expected_revision is None:
            self._write("status", op, finding_id, None)
            return
        # A revision can only be checked against the cluster: never spool a conditional change.
        if self._must_queue("status", finding_id):
            raise IndexUnavailableError(
                f"cannot check revision {expected_revision} of finding {finding_id}: the index "
                f"cluster at {self.adapter.settings.host} is unavailable or writes to this "
                "finding are still spooled; retry once `ipwatch index flush` succeeds"
            )
        self._ensure()
        event = self._ops.apply("status", op)
        self._dirty.add("findings")
        self._write("event", event, event["id"], None)

    def list_events(self, finding_id: str) -> list[ReviewEvent]:
        query = {"term": {"finding_id": finding_id}}
        return [event_from(h["_source"]) for h in self._scan("events", query, queries.EVENT_SORT)]

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

    # bulk and spool
    def _bulk(self, kind: str, docs: list[dict[str, Any]], spooled: T) -> list[Any]:
        out: list[Any] = [spooled] * len(docs)
        live: list[int] = []
        for i, doc in enumerate(docs):
            reason = self._must_queue(kind, _doc_id(kind, doc))
            if reason:
                self._spool(kind, doc, _doc_id(kind, doc), reason)
            else:
                live.append(i)
        if not live:
            return out
        try:
            self._ensure()
            failed = self._write_sellers(docs[i] for i in live)
        except IndexUnavailableError as exc:
            self._went_down()
            for i in live:
                self._spool(kind, docs[i], _doc_id(kind, docs[i]), str(exc))
            return out
        rejected: list[str] = []
        spooled_now = 0
        for i in [i for i in live if _seller_key(docs[i]) in failed]:
            live.remove(i)  # its seller did not get in: retry both from the spool
            self._spool(kind, docs[i], _doc_id(kind, docs[i]), "its seller was not written")
            spooled_now += 1
        items = [self._ops.bulk_item(kind, docs[i]) for i in live]
        for i, result in zip(live, run_bulk(self.adapter, items, self._backoff), strict=True):
            if result.ok:
                out[i] = self._ops.bulk_outcome(kind, result)
            elif result.transient:
                self._spool(kind, docs[i], _doc_id(kind, docs[i]), result.error)
                spooled_now += 1
            else:
                rejected.append(f"{_doc_id(kind, docs[i])}: {result.error}")
        self._dirty.add(OP_TARGET[kind])
        if spooled_now:
            self._went_down()
        if rejected:
            raise IndexRejectedError(
                f"the cluster rejected {len(rejected)} of {len(docs)} documents (the others "
                f"were written or spooled): {'; '.join(rejected[:5])}"
            )
        return out

    def migrate(self, kind: str | None = None) -> list[str]:
        """``ipwatch index migrate``: bring every kind (or one) to the current mapping."""
        with self._lock:
            steps = migrate_indices(self.adapter, self.prefix, kind or "all")  # type: ignore[arg-type]
            self._ready = False  # aliases may point at new indices: check them again
        return [step.describe() for step in steps]

    def pending(self) -> int:
        return len(self.spool)

    def flush(self) -> int:
        """Replay spooled ops oldest first; stop at the first sign the cluster is still away.

        Ops the cluster rejects for good stay spooled with their error (see ``spool.ops()``)
        and do not block the ones behind them.
        """
        with self._lock:
            self._replay_due = False
            done, after = 0, 0
            while True:
                ops = self.spool.ops(after=after, limit=FLUSH_BATCH)
                if not ops:
                    return done
                ok, stop = self._replay(ops)
                done += ok
                if stop:
                    return done
                after = ops[-1].seq

    def _replay(self, ops: list[SpooledOp]) -> tuple[int, bool]:
        """(ops acknowledged, whether to stop) for one page of the spool."""
        done = 0
        i = 0
        try:
            self._ensure()
        except IndexUnavailableError:
            self._went_down()
            return 0, True
        while i < len(ops):
            op = ops[i]
            if op.kind in BULKABLE:
                # A run of upserts to distinct documents goes as one bulk request.
                batch, seen = [], set()
                while i < len(ops) and ops[i].kind == op.kind and ops[i].doc_key not in seen:
                    seen.add(ops[i].doc_key)
                    batch.append(ops[i])
                    i += 1
                try:
                    failed = self._write_sellers(b.payload for b in batch)
                except IndexUnavailableError:
                    self._went_down()
                    return done, True
                for b in [b for b in batch if _seller_key(b.payload) in failed]:
                    batch.remove(b)
                    self.spool.failed_again(b.seq, "its seller was not written")
                items = [self._ops.bulk_item(b.kind, b.payload) for b in batch]
                results = run_bulk(self.adapter, items, self._backoff)
                for b, result in zip(batch, results, strict=True):
                    if result.ok:
                        self.spool.done(b.seq)
                        done += 1
                    else:
                        self.spool.failed_again(b.seq, result.error)
                self._dirty.add(OP_TARGET[op.kind])
                if any(r.transient for r in results):
                    self._went_down()
                    return done, True
                continue
            i += 1
            try:
                result = self._ops.apply(op.kind, op.payload, replay=True)
                if op.kind == "status":
                    self._ops.apply("event", result)
                    self._dirty.add("events")
            except IndexUnavailableError as exc:
                self.spool.failed_again(op.seq, str(exc))
                self._went_down()
                return done, True
            except (StoreError, ValueError) as exc:
                self.spool.failed_again(op.seq, str(exc))
                continue
            self.spool.done(op.seq)
            self._dirty.add(OP_TARGET[op.kind])
            if _seller_key(op.payload) is not None:
                self._dirty.add("sellers")
            done += 1
        return done, False

    def close(self) -> None:
        self.adapter.close()
        self.spool.close()

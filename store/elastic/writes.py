"""Writes to the cluster that fall back to the local spool, and the replay that drains it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, TypeVar

from store.elastic.bulk import run_bulk
from store.elastic.documents import split_seller
from store.elastic.errors import IndexRejectedError
from store.elastic.ops import BULKABLE, OP_TARGET, doc_key
from store.elastic.sellers import ElasticSellers, seller_key
from store.exceptions import IndexUnavailableError, StoreError

if TYPE_CHECKING:
    from store.elastic.spool import SpooledOp

T = TypeVar("T")
FLUSH_BATCH = 500


def _doc_id(kind: str, doc: dict[str, Any]) -> str:
    return str(doc["key"] if kind == "seller" else doc["id"])


class SpooledWrites(ElasticSellers):
    """Every write goes live or to the spool, never both, and per document in order: a write
    waits behind an earlier spooled write to the same document."""

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
        if seller_key(payload) is not None:
            self._dirty.add("sellers")
            self._remember(split_seller(payload)[1])
        if kind == "status":
            self._write("event", result, result["id"], None)
        return result

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
        for i in [i for i in live if seller_key(docs[i]) in failed]:
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
                for b in [b for b in batch if seller_key(b.payload) in failed]:
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
            if seller_key(op.payload) is not None:
                self._dirty.add("sellers")
            done += 1
        return done, False

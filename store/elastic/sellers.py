"""Sellers on the cluster: written once ahead of the documents naming them, read by key."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from store.elastic import queries
from store.elastic.base import ElasticBase
from store.elastic.bulk import run_bulk
from store.elastic.documents import (
    SELLER_FIELDS,
    seller_doc,
    seller_from,
    split_seller,
    ts,
    with_seller,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from model import Seller

SELLER_SORT: list[dict[str, Any]] = [{"key": "asc"}]
SELLER_FRESH = timedelta(minutes=10)  # a seller written this recently is not written again
SELLER_CACHE = 50_000  # sellers remembered as written (forgotten all at once past this)
SEEN = ("first_seen", "last_seen")
NO_MATCH: list[str] = ["\x00none"]  # a seller filter that resolved to no seller


def seller_key(doc: dict[str, Any]) -> str | None:
    """The key of the seller a listing/finding document carries."""
    seller = split_seller(doc)[1]
    return None if seller is None else str(seller["key"])


class ElasticSellers(ElasticBase):
    """Sellers ride along on listing/finding writes; the cluster cannot join, so reads look
    them up by key in one multi-get."""

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

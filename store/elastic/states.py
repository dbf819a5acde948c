"""Each run's listing states on the cluster: one document per run and listing, bulk-written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from model import ListingState, RunListingState
from store.elastic.base import ElasticBase
from store.elastic.bulk import BulkItem, run_bulk
from store.elastic.documents import dt, ts
from store.exceptions import IndexUnavailableError, StoreError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

STATE_SORT: list[dict[str, Any]] = [{"listing_id": "asc"}]
LATEST_SORT: list[dict[str, Any]] = [{"listing_id": "asc"}, {"at": "asc"}, {"run_id": "asc"}]
CHUNK = 500  # listing ids per terms query


def _doc_id(state: RunListingState) -> str:
    return f"{state.run_id}|{state.listing_id}"


def _state_from(source: dict[str, Any]) -> RunListingState:
    at = dt(source["at"])
    assert at is not None
    return RunListingState(
        source["run_id"],
        source["listing_id"],
        source["marketplace"],
        ListingState(source["state"]),
        at,
        source.get("reason", ""),
    )


class ElasticStates(ElasticBase):
    """Listing states per run; mixed into ``ElasticStore``. Not spooled: the crawl that decided
    them logs a failed write, and a later run decides against the last run that has states."""

    def put_listing_states(self, states: Iterable[RunListingState]) -> None:
        self._ensure()
        alias = self._ops.alias("listing_states")
        items = [
            BulkItem(
                {"index": {"_index": alias, "_id": _doc_id(s)}},
                {
                    "id": _doc_id(s),
                    "run_id": s.run_id,
                    "listing_id": s.listing_id,
                    "marketplace": s.marketplace,
                    "state": s.state.value,
                    "at": ts(s.at),
                    "reason": s.reason,
                },
            )
            for s in states
        ]
        if not items:
            return
        failed = [r for r in run_bulk(self.adapter, items, self._backoff) if not r.ok]
        self._dirty.add("listing_states")
        if failed:
            kind = IndexUnavailableError if any(r.transient for r in failed) else StoreError
            raise kind(f"{len(failed)} listing state(s) not written: {failed[0].error}")

    def iter_listing_states(
        self, run_id: str, states: Sequence[ListingState] = ()
    ) -> Iterator[RunListingState]:
        query: dict[str, Any] = {"bool": {"filter": [{"term": {"run_id": run_id}}]}}
        if states:
            wanted = [ListingState(s).value for s in states]
            query["bool"]["filter"].append({"terms": {"state": wanted}})
        for hit in self._scan("listing_states", query, STATE_SORT):
            yield _state_from(hit["_source"])

    def latest_listing_states(self, listing_ids: Sequence[str]) -> dict[str, RunListingState]:
        ids = list(dict.fromkeys(listing_ids))
        latest: dict[str, RunListingState] = {}
        for start in range(0, len(ids), CHUNK):
            query = {"terms": {"listing_id": ids[start : start + CHUNK]}}
            for hit in self._scan("listing_states", query, LATEST_SORT):
                latest[hit["_source"]["listing_id"]] = _state_from(hit["_source"])
        return latest

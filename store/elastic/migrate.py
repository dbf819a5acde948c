"""Create the indices on first use and move an alias to a new mapping version without downtime."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from store.elastic.bulk import BulkItem, run_bulk
from store.elastic.documents import seller_update, upgrade_v1
from store.elastic.errors import IndexRejectedError
from store.elastic.templates import (
    KINDS,
    VERSIONS,
    alias_name,
    index_body,
    index_name,
    index_version,
    template_body,
)
from store.exceptions import IndexConfigError, StoreError

if TYPE_CHECKING:
    from store.elastic.client import Adapter
    from store.elastic.templates import Kind

WRITE_BLOCK = "index.blocks.write"
PAGE = 1000
# Kinds whose documents change shape (not just mapping) between versions: copied through
# Python instead of the cluster's _reindex. v1 -> v2: the seller is stored once, by key.
UPGRADED: dict[str, int] = {"listings": 1, "findings": 1}


@dataclass(frozen=True)
class MigrationStep:
    """What ``migrate`` did for one kind; ``kept`` names the old index left in place."""

    kind: str
    action: Literal["created", "current", "migrated"]
    index: str
    previous: str | None = None
    documents: int = 0

    def describe(self) -> str:
        if self.action == "migrated":
            return (
                f"{self.kind}: copied {self.documents} documents from {self.previous} to "
                f"{self.index} and moved the alias; {self.previous} is kept (write-blocked) "
                "for rollback: delete it when you are satisfied"
            )
        if self.action == "created":
            return f"{self.kind}: created {self.index}"
        return f"{self.kind}: {self.index} already has the latest mapping"


def _put_template(adapter: Adapter, prefix: str, kind: Kind) -> None:
    """Install our template unless the cluster already holds this version or a newer one."""
    name = alias_name(prefix, kind)
    stored = adapter.index_template_version(name)
    if stored is None or stored < VERSIONS[kind]:
        adapter.put_index_template(name, template_body(prefix, kind))


def _current_index(adapter: Adapter, prefix: str, kind: Kind) -> str | None:
    alias = alias_name(prefix, kind)
    found = adapter.alias_indices(alias)
    if len(found) > 1:
        raise IndexConfigError(
            f"alias {alias} points at several indices ({', '.join(found)}); a migration was "
            "interrupted: remove the alias from all but the newest index, then run "
            "`ipwatch index migrate` again"
        )
    return found[0] if found else None


def ensure_kind(adapter: Adapter, prefix: str, kind: Kind) -> str:
    """The index behind the kind's alias, creating template, index and alias when missing."""
    _put_template(adapter, prefix, kind)
    current = _current_index(adapter, prefix, kind)
    if current is not None:
        version = index_version(prefix, kind, current)
        if version is not None and version > VERSIONS[kind]:
            raise IndexConfigError(
                f"{current} was created by a newer ipwatch (mapping v{version}, this one knows "
                f"v{VERSIONS[kind]}); upgrade ipwatch"
            )
        return current
    name = index_name(prefix, kind)
    alias = alias_name(prefix, kind)
    try:
        adapter.create_index(name, {**index_body(kind), "aliases": {alias: {}}})
    except IndexRejectedError as exc:
        if "resource_already_exists" not in str(exc):
            raise
        # Another process created it first, or the alias was lost: (re)attach it.
        adapter.update_aliases([{"add": {"index": name, "alias": alias}}])
    return name


def ensure_indices(adapter: Adapter, prefix: str) -> None:
    """Every kind's index exists; refuse documents of an older shape until they are migrated."""
    stale = []
    for kind in KINDS:
        current = ensure_kind(adapter, prefix, kind)
        version = index_version(prefix, kind, current)
        if version is not None and version < VERSIONS[kind] and UPGRADED.get(kind) == version:
            stale.append(current)
    if stale:
        raise IndexConfigError(
            f"{', '.join(stale)} hold documents an older ipwatch wrote (each seller copied into "
            "every listing and finding); run `ipwatch index migrate` once to store sellers "
            "apart, then try again"
        )


def _migrate_kind(adapter: Adapter, prefix: str, kind: Kind) -> MigrationStep:
    _put_template(adapter, prefix, kind)
    current = _current_index(adapter, prefix, kind)
    if current is None:
        return MigrationStep(kind, "created", ensure_kind(adapter, prefix, kind))
    target = index_name(prefix, kind)
    if current == target:
        return MigrationStep(kind, "current", current)
    ensure_kind(adapter, prefix, kind)  # refuses an index newer than this ipwatch
    alias = alias_name(prefix, kind)
    # Writers that hit the block get a cluster_block error, which the backend treats as the
    # cluster being away: the write is spooled and replayed into the new index after the swap.
    adapter.put_settings(current, {WRITE_BLOCK: True})
    try:
        adapter.refresh(current)  # reindex reads by search: make the last writes visible
        if not adapter.index_exists(target):
            adapter.create_index(target, index_body(kind))
        if UPGRADED.get(kind) == index_version(prefix, kind, current):
            copied = _copy_upgraded(adapter, prefix, kind, current, target)
        else:
            copied = adapter.reindex(current, target)
        if copied.get("failures"):
            raise IndexRejectedError(
                f"reindex {current} -> {target} failed for some documents: "
                f"{str(copied['failures'])[:500]}; fix them and run `ipwatch index migrate` again"
            )
        adapter.refresh(target)
        adapter.update_aliases(
            [
                {"remove": {"index": current, "alias": alias}},
                {"add": {"index": target, "alias": alias}},
            ]
        )
    except StoreError:
        adapter.put_settings(current, {WRITE_BLOCK: False})  # back to where we started
        raise
    total = int(copied.get("total", 0))
    return MigrationStep(kind, "migrated", target, previous=current, documents=total)


def _copy_upgraded(
    adapter: Adapter, prefix: str, kind: Kind, current: str, target: str
) -> dict[str, Any]:
    """Copy a v1 listings/findings index into v2 documents and backfill the sellers they name.

    Pages by id with search_after; each page goes as one bulk request, then every distinct
    seller is upserted (first/last seen widened) into the sellers index.
    """
    ensure_kind(adapter, prefix, "sellers")
    sellers: dict[str, dict[str, Any]] = {}
    total, failures = 0, []
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {"query": {"match_all": {}}, "sort": [{"id": "asc"}], "size": PAGE}
        if after is not None:
            body["search_after"] = after
        hits = adapter.search(current, body)["hits"]["hits"]
        items = []
        for hit in hits:
            doc, seller = upgrade_v1(kind, hit["_source"])
            items.append(
                BulkItem(action={"index": {"_index": target, "_id": hit["_id"]}}, body=doc)
            )
            if seller is not None:
                _merge_seller(sellers, seller)
        results = run_bulk(adapter, items)
        failures += [r.error for r in results if not r.ok]
        total += len(hits)
        if len(hits) < PAGE:
            break
        after = hits[-1]["sort"]
    alias = alias_name(prefix, "sellers")
    docs = list(sellers.values())
    for start in range(0, len(docs), PAGE):
        items = [
            BulkItem(
                action={"update": {"_index": alias, "_id": d["key"], "retry_on_conflict": 5}},
                body=seller_update(d),
            )
            for d in docs[start : start + PAGE]
        ]
        failures += [r.error for r in run_bulk(adapter, items) if not r.ok]
    adapter.refresh(alias)
    return {"total": total, "failures": failures}


def _merge_seller(sellers: dict[str, dict[str, Any]], doc: dict[str, Any]) -> None:
    known = sellers.get(doc["key"])
    if known is None:
        sellers[doc["key"]] = doc
        return
    firsts = [t for t in (known["first_seen"], doc["first_seen"]) if t]
    lasts = [t for t in (known["last_seen"], doc["last_seen"]) if t]
    if (doc["last_seen"] or "") >= (known["last_seen"] or ""):
        known.update({k: v for k, v in doc.items() if v not in (None, {})})
    known["contacts"] = {**known["contacts"], **doc["contacts"]}
    known["first_seen"] = min(firsts) if firsts else None
    known["last_seen"] = max(lasts) if lasts else None


def migrate(
    adapter: Adapter, prefix: str, kind: Kind | Literal["all"] = "all"
) -> list[MigrationStep]:
    """Bring each kind's alias to the latest mapping version; a no-op when already there."""
    if kind != "all" and kind not in KINDS:
        raise IndexConfigError(f"unknown index kind {kind!r}; use one of {', '.join(KINDS)}, all")
    kinds: tuple[Kind, ...] = KINDS if kind == "all" else (kind,)
    return [_migrate_kind(adapter, prefix, k) for k in kinds]

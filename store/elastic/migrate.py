"""Create the indices on first use and move an alias to a new mapping version without downtime."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from evidence.exceptions import EvidenceIndexError, IndexConfigError
from evidence.index.elastic.errors import IndexRejectedError
from evidence.index.elastic.templates import (
    KINDS,
    VERSIONS,
    alias_name,
    index_body,
    index_name,
    index_version,
    template_body,
)

if TYPE_CHECKING:
    from evidence.index.elastic.client import Adapter
    from evidence.index.elastic.templates import Kind

WRITE_BLOCK = "index.blocks.write"


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
    for kind in KINDS:
        ensure_kind(adapter, prefix, kind)


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
    except EvidenceIndexError:
        adapter.put_settings(current, {WRITE_BLOCK: False})  # back to where we started
        raise
    total = int(copied.get("total", 0))
    return MigrationStep(kind, "migrated", target, previous=current, documents=total)


def migrate(
    adapter: Adapter, prefix: str, kind: Kind | Literal["all"] = "all"
) -> list[MigrationStep]:
    """Bring each kind's alias to the latest mapping version; a no-op when already there."""
    if kind != "all" and kind not in KINDS:
        raise IndexConfigError(f"unknown index kind {kind!r}; use one of {', '.join(KINDS)}, all")
    kinds: tuple[Kind, ...] = KINDS if kind == "all" else (kind,)
    return [_migrate_kind(adapter, prefix, k) for k in kinds]

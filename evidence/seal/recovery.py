"""Re-index snapshots a killed process sealed but never recorded in the evidence index.

Sealing writes blobs and the log (or, for old workspaces, the ledger) first and the index last,
so a crash in between leaves a snapshot the log proves but the index does not know. The manifest
holds everything the index record needs, so nothing has to be captured again; a seal record
lost the same way is rebuilt from the log and the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.log.tree_head import TransparencyLogError
from evidence.seal.manifest import parse_manifest, parse_utc
from evidence.seal.seals import parse_log_entry
from model import SnapshotRef

if TYPE_CHECKING:
    from collections.abc import Iterator

    from evidence.log.translog import TransparencyLog
    from evidence.seal.ledger import Ledger
    from evidence.seal.sealing import Sealer
    from evidence.storage.blobstore import BlobStore
    from store.protocol import Store


def logged_snapshots(
    ledger: Ledger | None, log: TransparencyLog | None
) -> Iterator[tuple[str, str, int]]:
    """(snapshot id, manifest digest, position) of every committed snapshot, ledger first."""
    if ledger is not None:
        for entry in ledger.entries():
            yield entry.snapshot_id, entry.manifest_sha256, entry.seq
    if log is not None:
        try:
            entries = log.entries()
        except TransparencyLogError:
            entries = []  # a torn tail: verify reports it, recover() cuts it
        for index, data in entries:
            parsed = parse_log_entry(data)
            if parsed is not None:
                yield parsed[0], parsed[1], index


def reindex_orphans(
    *,
    store: BlobStore,
    index: Store,
    ledger: Ledger | None = None,
    log: TransparencyLog | None = None,
    sealer: Sealer | None = None,
) -> list[str]:
    """Add every committed snapshot missing from the index; returns their ids.

    With ``sealer``, a logged snapshot whose seal record was never written gets one.
    """
    known = {snapshot.id for snapshot in index.iter_snapshots()}
    recovered = []
    for snapshot_id, manifest_sha, position in logged_snapshots(ledger, log):
        if snapshot_id in known or not store.verify(manifest_sha):
            continue  # a damaged manifest is for `evidence verify` to report, not to index
        manifest_bytes = store.get(manifest_sha)
        manifest = parse_manifest(manifest_bytes)
        if sealer is not None and manifest["version"] >= 2 and not sealer.seals.raw(snapshot_id):
            sealer.rebuild_record(snapshot_id, manifest_bytes, manifest_sha, position)
        index.add_snapshot(
            SnapshotRef(
                id=snapshot_id,
                finding_ids=[finding["finding_id"] for finding in manifest["findings"]],
                listing_id=manifest["listing"]["id"],
                manifest_sha256=manifest_sha,
                ledger_seq=position,
                captured_at=parse_utc(manifest["captured_at"]),
                url=manifest["capture"]["final_url"],
                artifacts=manifest["artifacts"],
            )
        )
        recovered.append(snapshot_id)
    return recovered

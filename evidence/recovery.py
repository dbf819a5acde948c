"""Re-index snapshots a killed process sealed but never recorded in the evidence index.

Sealing writes blobs and the ledger first and the index last, so a crash in between leaves a
snapshot the ledger proves but the index does not know. The manifest holds everything the
index record needs, so nothing has to be captured again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.index.records import SnapshotRecord
from evidence.manifest import parse_manifest, parse_utc

if TYPE_CHECKING:
    from evidence.blobstore import BlobStore
    from evidence.index.protocol import EvidenceIndex
    from evidence.ledger import Ledger


def reindex_orphans(*, store: BlobStore, ledger: Ledger, index: EvidenceIndex) -> list[str]:
    """Add every ledger snapshot missing from the index; returns their ids."""
    known = {snapshot.id for snapshot in index.list_snapshots()}
    recovered = []
    for entry in ledger.entries():
        if entry.snapshot_id in known or not store.verify(entry.manifest_sha256):
            continue  # a damaged manifest is for `evidence verify` to report, not to index
        manifest = parse_manifest(store.get(entry.manifest_sha256))
        index.add_snapshot(
            SnapshotRecord(
                id=entry.snapshot_id,
                finding_ids=[finding["finding_id"] for finding in manifest["findings"]],
                listing_id=manifest["listing"]["id"],
                manifest_sha256=entry.manifest_sha256,
                ledger_seq=entry.seq,
                captured_at=parse_utc(manifest["captured_at"]),
                url=manifest["capture"]["final_url"],
                artifacts=manifest["artifacts"],
            )
        )
        recovered.append(entry.snapshot_id)
    return recovered

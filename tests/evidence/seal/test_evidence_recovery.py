"""Snapshots sealed by a process killed before it indexed them are re-indexed from the ledger."""

from __future__ import annotations

from evidence.seal.ledger import Ledger
from evidence.seal.recovery import reindex_orphans
from evidence.storage.blobstore import BlobStore
from evidence.verify.artifacts import verify_all
from store.sqlite import SqliteStore
from tests.evidence.evidence_samples import (
    CountingIds,
    FixedClock,
    flip_byte,
    sample_citations,
    sample_listing,
    seal_sample,
)


def test_orphans_are_indexed_once_from_their_manifest(tmp_path):
    store, ledger = BlobStore(tmp_path / "blobs"), Ledger(tmp_path / "ledger.jsonl")
    index = SqliteStore(tmp_path / "index.db")
    ids, clock = CountingIds(), FixedClock()
    kept = seal_sample(store, ledger, clock, ids)
    index.add_snapshot(kept.to_record(sample_listing().id, []))
    orphan = seal_sample(store, ledger, clock, ids)
    assert not all(r.ok for r in verify_all(store=store, ledger=ledger, index=index))

    assert reindex_orphans(store=store, ledger=ledger, index=index) == [orphan.id]
    record = index.get_snapshot(orphan.id)
    expected = orphan.to_record(sample_listing().id, [c.finding_id for c in sample_citations()])
    assert record is not None
    assert (record.manifest_sha256, record.ledger_seq, record.artifacts, record.url) == (
        expected.manifest_sha256,
        expected.ledger_seq,
        expected.artifacts,
        expected.url,
    )
    assert record.captured_at == expected.captured_at
    assert all(r.ok for r in verify_all(store=store, ledger=ledger, index=index))
    assert reindex_orphans(store=store, ledger=ledger, index=index) == []


def test_a_damaged_orphan_is_left_for_verify_to_report(tmp_path):
    store, ledger = BlobStore(tmp_path / "blobs"), Ledger(tmp_path / "ledger.jsonl")
    index = SqliteStore(tmp_path / "index.db")
    orphan = seal_sample(store, ledger, FixedClock(), CountingIds())
    flip_byte(store.path(orphan.manifest_sha256), 5)
    assert reindex_orphans(store=store, ledger=ledger, index=index) == []
    assert index.get_snapshot(orphan.id) is None

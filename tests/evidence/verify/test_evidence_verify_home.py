"""Verifying a workspace: old ledger snapshots and new log snapshots side by side."""

from __future__ import annotations

from pathlib import Path

from evidence.seal.custody import CustodyLog
from evidence.seal.ledger import Ledger
from evidence.storage.blobstore import BlobStore
from evidence.verify.home import HomeEvidence, verify_home_all, verify_home_snapshot
from tests.evidence.evidence_samples import (
    CountingIds,
    FixedClock,
    make_sealer,
    seal_sample,
    seal_sample_v2,
)


def mixed_home(root: Path):
    """One snapshot sealed the old way (ledger, v1), two the current way (log, v2)."""
    store, clock, ids = BlobStore(root / "blobs"), FixedClock(), CountingIds()
    ledger = Ledger(root / "ledger.jsonl")
    old = seal_sample(store, ledger, clock, ids)
    sealer = make_sealer(root, clock)
    new = [seal_sample_v2(store, sealer, ids) for _ in range(2)]
    home = HomeEvidence(
        store=store,
        ledger=ledger,
        log=sealer.log,
        seals=sealer.seals,
        custody=CustodyLog(root / "custody.jsonl"),
        index=None,
        public_key=sealer.signer.public_key_pem(),
    )
    return home, old, new


def test_old_and_new_snapshots_both_verify(tmp_path: Path) -> None:
    home, old, new = mixed_home(tmp_path)
    reports = {r.snapshot_id: r for r in verify_home_all(home)}
    assert set(reports) == {old.id, *(s.id for s in new)}
    assert all(r.ok and not r.failed for r in reports.values())
    assert reports[old.id].get("ledger.chain").status == "passed"
    assert reports[new[0].id].get("signature.manifest").status == "passed"


def test_an_altered_log_entry_fails_integrity_for_every_new_snapshot(tmp_path: Path) -> None:
    home, old, new = mixed_home(tmp_path)
    entries = tmp_path / "log" / "entries.jsonl"
    entries.write_bytes(entries.read_bytes().replace(b'"index":0', b'"index":7', 1))
    reports = {r.snapshot_id: r for r in verify_home_all(home)}
    for snapshot in new:
        assert "wrong_index" in reports[snapshot.id].get("log.integrity").detail
    assert not reports[old.id].failed


def test_missing_seal_record_fails_and_nothing_is_passed_on_trust(tmp_path: Path) -> None:
    home, _, new = mixed_home(tmp_path)
    (tmp_path / "seals" / new[0].id / "seal.json").unlink()
    report = verify_home_snapshot(home, new[0].id)
    assert report.get("seal.record").status == "failed"
    assert report.get("manifest.sha256").status == "not_checked"
    assert not report.ok


def test_given_key_that_did_not_seal_fails_signatures(tmp_path: Path) -> None:
    from tests.evidence.evidence_samples import OTHER_KEY_SEED, fixed_signer

    home, _, new = mixed_home(tmp_path)
    home.public_key = fixed_signer(OTHER_KEY_SEED).public_key_pem()
    report = verify_home_snapshot(home, new[0].id)
    names = {c.name for c in report.failed}
    assert {"signature.manifest", "log.tree_head", "log.consistency"} <= names

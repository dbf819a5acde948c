"""Sealing version-2 snapshots: reproducible bytes, signed log heads, and timestamps that never
cost a snapshot when the TSA is away."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from config.timestamp import TimestampSettings
from evidence.seal.custody import CustodyLog
from evidence.seal.ledger import Ledger
from evidence.seal.manifest import parse_manifest
from evidence.seal.recovery import reindex_orphans
from evidence.seal.sealing import Sealer, Timestamper
from evidence.seal.seals import SealStore, log_entry
from evidence.storage.blobstore import BlobStore
from evidence.verify.home import HomeEvidence, verify_home_snapshot
from store import open_store
from tests.evidence.evidence_samples import CountingIds, FixedClock, make_sealer, seal_sample_v2
from tests.services.tsa import LocalTsa
from tests.support import free_port

# The first sample snapshot sealed with the fixed key, clock and ids. It changes only when the
# manifest format, the sample or the ipwatch version does: then check why, and re-pin it.
PINNED_MANIFEST_SHA256 = "e3533de024201fc38ac31cddef1a04f54f4a8ba64e10d2bd634f3c8d47e372ed"


def seal_in(root: Path, timestamper: Timestamper | None = None, count: int = 1):
    store = BlobStore(root / "blobs")
    sealer = make_sealer(root, FixedClock(), timestamper=timestamper)
    ids = CountingIds()
    return [seal_sample_v2(store, sealer, ids) for _ in range(count)], store, sealer


def home_for(root: Path, store: BlobStore, sealer: Sealer, roots=()) -> HomeEvidence:
    return HomeEvidence(
        store=store,
        ledger=Ledger(root / "ledger.jsonl"),
        log=sealer.log,
        seals=sealer.seals,
        custody=CustodyLog(root / "custody.jsonl"),
        index=None,
        public_key=sealer.signer.public_key_pem(),
        tsa_roots=roots,
    )


def test_sealed_snapshot_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    (first, *_), store_a, sealer_a = seal_in(tmp_path / "a")
    (second, *_), store_b, sealer_b = seal_in(tmp_path / "b")
    assert first.manifest_sha256 == second.manifest_sha256 == PINNED_MANIFEST_SHA256
    assert store_a.get(first.manifest_sha256) == store_b.get(second.manifest_sha256)
    assert sealer_a.seals.raw(first.id) == sealer_b.seals.raw(second.id)
    for name in ("entries.jsonl", "leaves.bin", "heads.jsonl"):
        assert (tmp_path / "a" / "log" / name).read_bytes() == (
            tmp_path / "b" / "log" / name
        ).read_bytes()


def test_manifest_names_its_signer_and_the_log_holds_its_digest(tmp_path: Path) -> None:
    (sealed,), store, sealer = seal_in(tmp_path)
    manifest = parse_manifest(store.get(sealed.manifest_sha256))
    assert manifest["version"] == 2
    assert manifest["signer"] == {"algorithm": "Ed25519", "key_id": sealer.signer.key_id}
    assert sealer.log.entry(0) == log_entry(sealed.id, sealed.manifest_sha256)
    record = sealer.seals.get(sealed.id)
    assert record is not None and record.tree_head.size == 1 and record.log_index == 0


def test_every_seal_signs_a_head_and_old_heads_stay_consistent(tmp_path: Path) -> None:
    sealed, store, sealer = seal_in(tmp_path, count=5)
    heads = sealer.log.heads()
    assert [h.size for h in heads] == [1, 2, 3, 4, 5]
    home = home_for(tmp_path, store, sealer)
    for snapshot in sealed:
        report = verify_home_snapshot(home, snapshot.id)
        assert not report.failed, report.failed
        assert report.get("log.consistency").status == "passed"


def test_timestamp_from_a_real_tsa_verifies_to_its_root(tmp_path: Path, local_tsa: LocalTsa):
    settings = TimestampSettings(url=local_tsa.url, ca_files=(local_tsa.ca_file,))
    (sealed,), store, sealer = seal_in(tmp_path, Timestamper(settings))
    assert sealer.seals.token(sealed.id) is not None
    report = verify_home_snapshot(home_for(tmp_path, store, sealer, [local_tsa.ca_pem]), sealed.id)
    assert report.get("timestamp.imprint").status == "passed"
    assert report.get("timestamp.chain").status == "passed"


def test_token_from_an_untrusted_tsa_fails_the_chain(
    tmp_path: Path, local_tsa: LocalTsa, other_tsa: LocalTsa
) -> None:
    (sealed,), store, sealer = seal_in(tmp_path, Timestamper(TimestampSettings(url=other_tsa.url)))
    report = verify_home_snapshot(home_for(tmp_path, store, sealer, [local_tsa.ca_pem]), sealed.id)
    assert report.get("timestamp.imprint").status == "passed"
    assert report.get("timestamp.chain").status == "failed"


def test_tsa_down_seals_anyway_records_why_and_a_retry_fills_in(
    tmp_path: Path, local_tsa: LocalTsa, caplog: pytest.LogCaptureFixture
) -> None:
    dead = TimestampSettings(url=f"http://127.0.0.1:{free_port()}/", timeout=2)
    with caplog.at_level(logging.WARNING, logger="evidence.seal.sealing"):
        (first, second), store, sealer = seal_in(tmp_path, Timestamper(dead), count=2)
    assert "sealed without it" in caplog.text
    assert sealer.log.size == 2  # both snapshots sealed
    first_error = sealer.seals.token_error(first.id)
    assert first_error is not None and first_error["tsa"] == dead.url
    # The second seal did not wait for a TSA that just failed.
    assert "not requested" in sealer.seals.token_error(second.id)["error"]
    report = verify_home_snapshot(home_for(tmp_path, store, sealer), first.id)
    timestamp = report.get("timestamp")
    assert timestamp.status == "not_checked" and "TSA failed at seal time" in timestamp.detail

    sealer.timestamper = Timestamper(TimestampSettings(url=local_tsa.url))
    assert sealer.timestamp(first.id, first.manifest_sha256)
    assert sealer.seals.token_error(first.id) is None
    report = verify_home_snapshot(home_for(tmp_path, store, sealer), first.id)
    assert report.get("timestamp.imprint").status == "passed"


def test_lost_seal_record_is_rebuilt_by_recovery(tmp_path: Path) -> None:
    (sealed,), store, sealer = seal_in(tmp_path)
    record_file = tmp_path / "seals" / sealed.id / "seal.json"
    record_file.unlink()  # as if the process died right after the log append
    index = open_store(f"sqlite:///{tmp_path / 'index.db'}")
    try:
        recovered = reindex_orphans(store=store, index=index, log=sealer.log, sealer=sealer)
        assert recovered == [sealed.id]
        assert index.get_snapshot(sealed.id).ledger_seq == 0
    finally:
        index.close()
    assert SealStore(tmp_path / "seals").get(sealed.id) is not None
    report = verify_home_snapshot(home_for(tmp_path, store, sealer), sealed.id)
    assert not report.failed, report.failed

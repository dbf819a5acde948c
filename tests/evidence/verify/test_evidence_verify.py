from __future__ import annotations

import json

import pytest

from evidence.seal.ledger import Ledger
from evidence.storage.blobstore import BlobStore
from evidence.verify.artifacts import verify_all, verify_snapshot
from store.sqlite import SqliteStore
from tests.evidence.evidence_samples import (
    CountingIds,
    FixedClock,
    flip_byte,
    seal_sample,
)


@pytest.fixture
def sealed(tmp_path):
    store = BlobStore(tmp_path / "blobs")
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ids, clock = CountingIds(), FixedClock()
    snaps = [seal_sample(store, ledger, clock, ids) for _ in range(2)]
    return snaps, store, ledger


def statuses(report):
    return {c.name: c.status for c in report.checks}


def failed_names(report):
    return sorted(c.name for c in report.failed)


def test_intact_snapshot_passes_and_unchecked_index_is_said(sealed):
    snaps, store, ledger = sealed
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    assert report.ok, report.checks
    got = statuses(report)
    assert got["index.record"] == "not_checked"
    assert got["manifest.sha256"] == got["manifest.content"] == "passed"
    assert got["warc:response.warc"] == "passed"
    assert sum(name.startswith("artifact:") for name in got) == 3
    assert all(s == "passed" for n, s in got.items() if n.startswith("artifact:"))


def test_verify_all_with_index(sealed, tmp_path):
    snaps, store, ledger = sealed
    index = SqliteStore(tmp_path / "index.db")
    for snap in snaps:
        index.add_snapshot(snap.to_record("L-1", ["F-1"]))
    reports = verify_all(store=store, ledger=ledger, index=index)
    assert [r.snapshot_id for r in reports] == [s.id for s in snaps]
    assert all(r.ok and r.get("index.record").status == "passed" for r in reports)
    index.close()


def test_index_record_disagreeing_with_ledger_fails(sealed, tmp_path):
    snaps, store, ledger = sealed
    index = SqliteStore(tmp_path / "index.db")
    record = snaps[0].to_record("L-1", ["F-1"])
    record.manifest_sha256 = "0" * 64
    index.add_snapshot(record)
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=index)
    assert failed_names(report) == ["index.record"]
    assert not report.ok
    index.close()


def test_flipped_warc_byte(sealed):
    snaps, store, ledger = sealed
    warc = snaps[0].artifacts[0]
    path = store.path(warc.sha256)
    flip_byte(path, path.read_bytes().index("réplica".encode()))
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    assert failed_names(report) == ["artifact:response.warc", "warc:response.warc"]
    assert "response.warc changed" in report.get("artifact:response.warc").detail
    assert "payload digest failed" in report.get("warc:response.warc").detail
    assert not report.ok


def test_flipped_warc_header_byte_outside_any_record_digest(sealed):
    snaps, store, ledger = sealed
    path = store.path(snaps[0].artifacts[0].sha256)
    flip_byte(path, path.read_bytes().rindex(b"WARC-Target-URI: http") + 40)
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    # record digests do not cover WARC headers; the artifact hash and URI cross-check do
    assert failed_names(report) == ["artifact:response.warc", "warc:response.warc"]
    assert "manifest says 200" in report.get("warc:response.warc").detail


def test_flipped_image_byte(sealed):
    snaps, store, ledger = sealed
    image = snaps[0].artifacts[1]
    flip_byte(store.path(image.sha256), 10)
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    assert failed_names(report) == [f"artifact:{image.name}"]
    assert f"{image.name} changed" in report.failed[0].detail


def test_flipped_manifest_byte(sealed):
    snaps, store, ledger = sealed
    flip_byte(store.path(snaps[0].manifest_sha256), 30)
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    assert failed_names(report) == ["manifest.sha256"]
    assert "manifest bytes changed" in report.failed[0].detail
    assert statuses(report)["artifacts"] == "not_checked"
    assert not report.ok


def test_ledger_entry_field_changed(sealed):
    snaps, store, ledger = sealed
    text = ledger.path.read_text()
    ledger.path.write_text(text.replace(snaps[0].manifest_sha256, "f" * 64, 1))
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    assert failed_names(report) == ["ledger.chain", "manifest.sha256"]
    assert "wrong_entry_hash" in report.get("ledger.chain").detail
    assert "missing" in report.get("manifest.sha256").detail
    # the other snapshot's own data is intact but it shares the broken chain
    other = verify_snapshot(snaps[1].id, store=store, ledger=ledger, index=None)
    assert failed_names(other) == ["ledger.chain"]
    assert not other.ok


def test_ledger_chain_link_changed(sealed):
    snaps, store, ledger = sealed
    lines = ledger.path.read_text().splitlines(keepends=True)
    prev = json.loads(lines[1])["prev_hash"]
    lines[1] = lines[1].replace(prev, "0" * 64)
    ledger.path.write_text("".join(lines))
    report = verify_snapshot(snaps[1].id, store=store, ledger=ledger, index=None)
    assert failed_names(report) == ["ledger.chain"]
    assert "line 2: broken_link" in report.get("ledger.chain").detail


def test_truncated_ledger_line(sealed):
    snaps, store, ledger = sealed
    ledger.path.write_bytes(ledger.path.read_bytes()[:-15])
    report = verify_snapshot(snaps[1].id, store=store, ledger=ledger, index=None)
    assert failed_names(report) == ["ledger.chain", "ledger.entry"]
    assert "truncated_last_line" in report.get("ledger.chain").detail
    assert statuses(report)["manifest.sha256"] == "not_checked"
    assert not report.ok


@pytest.mark.parametrize("which", ["warc", "image", "manifest"])
def test_missing_blob(sealed, which):
    snaps, store, ledger = sealed
    sha = {
        "warc": snaps[0].artifacts[0].sha256,
        "image": snaps[0].artifacts[1].sha256,
        "manifest": snaps[0].manifest_sha256,
    }[which]
    store.path(sha).unlink()
    report = verify_snapshot(snaps[0].id, store=store, ledger=ledger, index=None)
    assert not report.ok
    assert any("missing" in c.detail for c in report.failed)
    if which == "warc":
        assert statuses(report)["warc:response.warc"] == "not_checked"


def test_unknown_snapshot(sealed):
    _, store, ledger = sealed
    report = verify_snapshot("S-nope", store=store, ledger=ledger, index=None)
    assert failed_names(report) == ["ledger.entry"]
    assert statuses(report)["manifest.sha256"] == "not_checked"
    assert not report.ok

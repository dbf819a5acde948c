"""An insider with write access to the data folder cannot make `evidence verify` vouch for
evidence or decisions they altered: a sealed snapshot downgraded to the unsigned version-1
ledger, or a finding's status edited in the database, fails verification."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from config.settings import AppConfig
from evidence.seal.ledger import Ledger
from evidence.seal.manifest import canonical_json, parse_manifest
from evidence.seal.snapshot import seal
from ipwatch.services.evidence import verify_home
from ipwatch.services.workspace import Workspace
from tests.evidence.evidence_samples import (
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from evidence.seal.snapshot import SealedSnapshot


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    home = tmp_path / "home"
    home.mkdir()
    opened = Workspace(home, AppConfig())
    yield opened
    opened.close()


def seal_two(workspace: Workspace) -> list[SealedSnapshot]:
    """Two snapshots sealed the way the crawl pipeline seals them (log, seal record, index)."""
    sealed = []
    for _ in range(2):
        snapshot = seal(
            sample_capture(),
            sample_listing(),
            sample_images(),
            sample_citations(),
            store=workspace.blobs,
            sealer=workspace.sealer,
        )
        workspace.index.add_snapshot(snapshot.to_record("L-1", ["F-1"]))
        sealed.append(snapshot)
    return sealed


def downgrade_to_v1(workspace: Workspace, victim: SealedSnapshot, *, drop_seal: bool) -> None:
    """The attack: drop an artifact, rewrite the manifest as version 1 without it, vouch for the
    new manifest with an unsigned ledger entry and point the index row at it."""
    home = workspace.home
    manifest = parse_manifest(workspace.blobs.get(victim.manifest_sha256))
    gone = manifest["artifacts"].pop(0)
    workspace.blobs.path(gone["sha256"]).unlink()
    manifest["version"] = 1
    del manifest["signer"]
    forged = workspace.blobs.put(canonical_json(manifest))
    entry = Ledger(home / "ledger.jsonl").append(victim.id, forged, datetime.now(UTC))
    with sqlite3.connect(home / "index.db") as db:
        db.execute(
            "UPDATE snapshots SET manifest_sha256 = ?, ledger_seq = ?, artifacts = ? WHERE id = ?",
            (forged, entry.seq, json.dumps(manifest["artifacts"], sort_keys=True), victim.id),
        )
    if drop_seal:
        shutil.rmtree(home / "seals" / victim.id)


@pytest.mark.parametrize("drop_seal", [False, True], ids=["seal-kept", "seal-removed"])
def test_verify_refuses_downgrade_of_sealed_snapshot_to_unsigned_v1_ledger_entry(
    workspace: Workspace, drop_seal: bool
) -> None:
    victim, other = seal_two(workspace)
    assert verify_home(workspace, None, "auditor").ok
    downgrade_to_v1(workspace, victim, drop_seal=drop_seal)

    result = verify_home(workspace, None, "auditor")
    assert not result.ok
    reports = {r.snapshot_id: r for r in result.reports}
    assert set(reports) == {victim.id, other.id}
    downgrade = reports[victim.id].get("ledger.downgrade")
    assert downgrade is not None and downgrade.status == "failed"
    assert "signed" in downgrade.detail
    assert reports[victim.id].get("ledger.entry") is None  # the v1 path never ran for it
    assert reports[other.id].ok


def test_cli_verify_exits_1_on_downgrade_to_unsigned_v1_entry(workspace: Workspace) -> None:
    victim, _ = seal_two(workspace)
    workspace.close()
    downgrade_to_v1(workspace, victim, drop_seal=True)
    done = run_ipwatch(workspace.home, "evidence", "verify")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ledger.downgrade" in done.stdout
    assert "Traceback" not in done.stderr


def test_verify_fails_when_insider_hides_every_sealed_snapshot_and_tears_the_log(
    workspace: Workspace,
) -> None:
    sealed = seal_two(workspace)
    for snapshot in sealed:
        shutil.rmtree(workspace.home / "seals" / snapshot.id)
    with sqlite3.connect(workspace.home / "index.db") as db:
        db.execute("DELETE FROM snapshots")
    entries = workspace.home / "log" / "entries.jsonl"
    entries.write_bytes(entries.read_bytes()[:-20])  # a torn tail: the entries cannot be read
    result = verify_home(workspace, None, "auditor")
    assert not result.ok
    (log,) = result.workspace
    assert log.get("log.integrity").status == "failed"

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
from ipwatch.cli import main
from ipwatch.services.evidence import verify_home
from ipwatch.services.identity import Principal
from ipwatch.services.review import ReviewRequest, review_finding
from ipwatch.services.workspace import Workspace
from model import FindingStatus
from tests.evidence.evidence_samples import (
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)
from tests.ipwatch.services.test_service_review import finding
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from evidence.seal.snapshot import SealedSnapshot
    from evidence.verify.artifacts import VerificationReport
    from ipwatch.services.evidence import VerifyResult


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
    log = next(r for r in result.workspace if r.snapshot_id == "transparency log")
    assert log.get("log.integrity").status == "failed"


def reviewed(workspace: Workspace, *, with_snapshot: bool) -> str:
    """A finding confirmed through the review service; with a sealed snapshot citing it or not."""
    workspace.index.upsert_finding(finding("F-1"))
    if with_snapshot:
        seal_two(workspace)
    for status in (FindingStatus.IN_REVIEW, FindingStatus.CONFIRMED):
        review_finding(
            workspace,
            ReviewRequest("F-1", status, "same mark, same shoe"),
            Principal.operator("alice"),
        )
    return "F-1"


def decisions_report(result: VerifyResult) -> VerificationReport:
    return next(r for r in result.workspace if r.snapshot_id == "review decisions")


@pytest.mark.parametrize("with_snapshot", [False, True], ids=["no-snapshot", "with-snapshot"])
def test_verify_detects_finding_status_forged_with_sql_update(
    workspace: Workspace, with_snapshot: bool
) -> None:
    finding_id = reviewed(workspace, with_snapshot=with_snapshot)
    with sqlite3.connect(workspace.home / "index.db") as db:
        db.execute("UPDATE findings SET status = 'dismissed' WHERE id = ?", (finding_id,))
    result = verify_home(workspace, None, "auditor")
    assert not result.ok
    check = decisions_report(result).get(f"decision:{finding_id}")
    assert check is not None and check.status == "failed"
    assert "the index says dismissed" in check.detail and "lead to confirmed" in check.detail


def test_verify_detects_forged_status_with_forged_audit_row(workspace: Workspace) -> None:
    finding_id = reviewed(workspace, with_snapshot=False)
    with sqlite3.connect(workspace.home / "index.db") as db:
        db.execute("UPDATE findings SET status = 'dismissed' WHERE id = ?", (finding_id,))
        db.execute(
            "INSERT INTO finding_events (finding_id, at, actor, from_status, to_status, reason) "
            "VALUES (?, '2026-01-01T00:00:00+00:00', 'alice', 'confirmed', 'dismissed', 'x')",
            (finding_id,),
        )
    check = decisions_report(verify_home(workspace, None, "auditor")).get(f"decision:{finding_id}")
    assert check is not None and check.status == "failed"


def test_verify_detects_status_of_never_reviewed_finding_forged_with_sql_update(
    workspace: Workspace,
) -> None:
    workspace.index.upsert_finding(finding("F-2"))
    seal_two(workspace)  # makes the signing key, as any workspace with evidence has
    with sqlite3.connect(workspace.home / "index.db") as db:
        db.execute("UPDATE findings SET status = 'removed' WHERE id = 'F-2'")
    check = decisions_report(verify_home(workspace, None, "auditor")).get("decision:F-2")
    assert check is not None and check.status == "failed"
    assert "no signed decision ever moved it from new" in check.detail


def test_untampered_reviewed_workspace_verifies_its_decisions(workspace: Workspace) -> None:
    reviewed(workspace, with_snapshot=True)
    result = verify_home(workspace, None, "auditor")
    assert result.ok, [c for r in result.every_report for c in r.failed]
    assert decisions_report(result).get("decisions.status").status == "passed"


def test_cli_verify_names_the_finding_whose_status_was_forged(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    finding_id = reviewed(workspace, with_snapshot=False)
    workspace.close()
    assert main(["--home", str(workspace.home), "evidence", "verify"]) == 0
    with sqlite3.connect(workspace.home / "index.db") as db:
        db.execute("UPDATE findings SET status = 'dismissed' WHERE id = ?", (finding_id,))
    capsys.readouterr()
    assert main(["--home", str(workspace.home), "evidence", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"decision:{finding_id}" in out and "dismissed" in out


def test_statuses_decided_before_signing_are_adopted_so_later_sql_edits_fail(
    workspace: Workspace,
) -> None:
    workspace.index.upsert_finding(finding("F-old"))
    workspace.index.upsert_finding(finding("F-new"))
    seal_two(workspace)
    # What an ipwatch from before signed decisions did: the index alone records the decision.
    workspace.index.set_status("F-old", FindingStatus.CONFIRMED, actor="bob", reason="old")
    before = decisions_report(verify_home(workspace, None, "auditor")).get("decision:F-old")
    assert before is not None and before.status == "not_checked"  # never passed on trust

    review_finding(
        workspace,
        ReviewRequest("F-new", FindingStatus.DISMISSED, "no"),
        Principal.operator("alice"),
    )
    adopted = verify_home(workspace, None, "auditor")
    assert adopted.ok and decisions_report(adopted).get("decision:F-old") is None

    with sqlite3.connect(workspace.home / "index.db") as db:
        db.execute("UPDATE findings SET status = 'dismissed' WHERE id = 'F-old'")
    check = decisions_report(verify_home(workspace, None, "auditor")).get("decision:F-old")
    assert check is not None and check.status == "failed"

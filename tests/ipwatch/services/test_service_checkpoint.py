"""Checkpoint services in process: publish, verify against it, carry it in a bundle."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from evidence.log.note import parse_note
from evidence.verify.checkpoint import CHECKPOINT, CHECKPOINT_PROOF
from ipwatch.services.checkpoint import write_checkpoint
from ipwatch.services.errors import InvalidRequestError
from ipwatch.services.evidence import (
    PublishedCheckpoint,
    bundle_snapshot,
    verify_home,
    verify_package,
)
from tests.evidence.verify.test_evidence_verify_wacz_hostile import corrupt_deflate
from tests.ipwatch.services.test_service_review import seal_for

if TYPE_CHECKING:
    from pathlib import Path

    from ipwatch.services.workspace import Workspace


def test_checkpoint_of_an_empty_workspace_says_nothing_is_sealed(workspace: Workspace) -> None:
    with pytest.raises(InvalidRequestError, match="nothing has been sealed yet"):
        write_checkpoint(workspace, None, timestamp=False)


def test_timestamp_without_a_tsa_says_how_to_configure_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    seal_for(workspace, ["F-1"])
    with pytest.raises(InvalidRequestError, match="needs a TSA"):
        write_checkpoint(workspace, tmp_path / "cp.txt", timestamp=True)


def test_verify_home_against_a_published_checkpoint(workspace: Workspace, tmp_path: Path) -> None:
    seal_for(workspace, ["F-1"])
    published = write_checkpoint(workspace, tmp_path / "cp.txt", timestamp=False)
    origin = published.note.split(b"\n", 1)[0].decode()
    name, key_hash, _ = published.verifier_key.split("+", 2)
    assert name == origin and key_hash == parse_note(published.note).signatures[0].key_id.hex()
    seal_for(workspace, ["F-2"])  # the log grows: still extends the checkpoint
    result = verify_home(
        workspace, None, "erin", checkpoint=PublishedCheckpoint("cp", published.note)
    )
    assert result.ok, result.package
    assert result.package is not None
    assert result.package.get("checkpoint.consistency").status == "passed"
    assert result.package.get("checkpoint.timestamp").status == "not_checked"


def test_bundle_carries_a_checkpoint_and_verifies_offline(
    workspace: Workspace, tmp_path: Path
) -> None:
    snapshot_id = seal_for(workspace, ["F-1"])
    seal_for(workspace, ["F-2"])
    out = bundle_snapshot(workspace, snapshot_id, tmp_path / "b", "erin").path
    assert (out / CHECKPOINT).is_file() and (out / CHECKPOINT_PROOF).is_file()
    result = verify_package(str(out), workspace.public_key_pem(), [])
    assert result.ok
    assert result.reports[0].get("log.checkpoint").status == "passed"


def test_bundle_refuses_a_checkpoint_from_before_the_snapshot(
    workspace: Workspace, tmp_path: Path
) -> None:
    seal_for(workspace, ["F-1"])
    early = write_checkpoint(workspace, None, timestamp=False).note
    later = seal_for(workspace, ["F-2"])
    with pytest.raises(InvalidRequestError, match="publish a later checkpoint"):
        bundle_snapshot(workspace, later, tmp_path / "b", "erin", early)


def test_corrupt_deflate_in_a_bundle_zip_is_a_failed_check(
    workspace: Workspace, tmp_path: Path
) -> None:
    snapshot_id = seal_for(workspace, ["F-1"])
    bundle = bundle_snapshot(workspace, snapshot_id, tmp_path / "b.zip", "erin").path
    broken = corrupt_deflate(bundle, tmp_path / "broken.zip", "manifest.json")
    result = verify_package(str(broken), workspace.public_key_pem(), [])
    assert not result.ok
    details = " ".join(c.detail for r in result.reports for c in r.failed)
    assert "manifest.json" in details and "is corrupt" in details

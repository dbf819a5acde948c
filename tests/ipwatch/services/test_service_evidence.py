"""Evidence services in process: verify records custody, bundles verify offline, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.seal.custody import parse_event
from ipwatch.services.errors import InvalidRequestError, NotFoundError
from ipwatch.services.evidence import (
    bundle_snapshot,
    custody_lines,
    timestamp_snapshots,
    verify_home,
    verify_package,
)
from ipwatch.services.workspace import Workspace
from tests.ipwatch.services.test_service_review import seal_for


def actions(workspace: Workspace, snapshot_id: str) -> list[tuple[str, str]]:
    events = [parse_event(line) for line in custody_lines(workspace, snapshot_id)]
    return [(e.action, e.operator) for e in events if not isinstance(e, str)]


def test_verify_home_passes_and_is_a_custody_event(workspace: Workspace) -> None:
    snapshot_id = seal_for(workspace, ["F-1"])
    result = verify_home(workspace, snapshot_id, "erin")
    assert result.ok and result.verified == 1 and result.failed_checks == 0
    assert actions(workspace, snapshot_id) == [("verified", "erin")]
    everything = verify_home(workspace, None, "erin")
    assert everything.ok and [r.snapshot_id for r in everything.reports] == [snapshot_id]


def test_a_tampered_artifact_fails_verification(workspace: Workspace) -> None:
    snapshot_id = seal_for(workspace, ["F-1"])
    blobs = sorted((workspace.home / "blobs").rglob("*"))
    victim = next(p for p in blobs if p.is_file())
    victim.chmod(0o644)
    victim.write_bytes(victim.read_bytes() + b"x")
    result = verify_home(workspace, snapshot_id, "erin")
    assert not result.ok and result.failed_checks >= 1


def test_bundle_verifies_offline_and_refuses_to_overwrite(
    workspace: Workspace, tmp_path: Path
) -> None:
    snapshot_id = seal_for(workspace, ["F-1"])
    out = bundle_snapshot(workspace, snapshot_id, tmp_path / "case.zip", "frank").path
    assert ("bundled", "frank") in actions(workspace, snapshot_id)
    offline = verify_package(str(out), workspace.public_key_pem(), [])
    assert offline.target == "bundle" and offline.ok
    with pytest.raises(InvalidRequestError, match="already exists"):
        bundle_snapshot(workspace, snapshot_id, out, "frank")
    with pytest.raises(NotFoundError, match="no bundle"):
        verify_package(str(tmp_path / "missing" / "b.zip"), None, [])
    with pytest.raises(NotFoundError, match="no WACZ"):
        verify_package(str(tmp_path / "missing.wacz"), None, [])


def test_timestamp_without_a_tsa_says_how_to_configure_one(workspace: Workspace) -> None:
    with pytest.raises(InvalidRequestError, match="no TSA configured"):
        timestamp_snapshots(workspace, None, "gina")

"""Evidence through the desk: artifacts, reference images, verify and downloads, in scope.

A snapshot is visible to a user when it is evidence for at least one finding they may see; an
artifact only through a snapshot that lists it; a registered image only through a finding whose
signals cite it. Anything else is "not found", whatever id or hash is asked for.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ipwatch.services.errors import NotFoundError

if TYPE_CHECKING:
    from ipwatch.services.evidence import VerifyResult
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import SnapshotRef

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Served inline only as these; anything else (SVG, HTML, unknown) downloads as an attachment.
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass(frozen=True)
class Blob:
    data: bytes
    media_type: str
    name: str

    @property
    def inline(self) -> bool:
        return self.media_type in INLINE_TYPES


def visible_snapshot(workspace: Workspace, principal: Principal, snapshot_id: str) -> SnapshotRef:
    principal.require("read")
    snapshot = workspace.index.get_snapshot(snapshot_id)
    if snapshot is not None:
        for finding_id in snapshot.finding_ids:
            finding = workspace.index.get_finding(finding_id)
            if finding is not None and principal.sees(finding.owner):
                return snapshot
    raise NotFoundError(f"no snapshot {snapshot_id!r}")


def artifact(workspace: Workspace, principal: Principal, snapshot_id: str, sha256: str) -> Blob:
    snapshot = visible_snapshot(workspace, principal, snapshot_id)
    for item in snapshot.artifacts:
        if item.get("sha256") == sha256 and SHA256.match(sha256):
            data = workspace.blobs.get(sha256)
            return Blob(data, str(item.get("media_type") or ""), str(item.get("name") or ""))
    raise NotFoundError(f"no artifact {sha256[:64]!r} in snapshot {snapshot_id}")


def reference_image(
    workspace: Workspace, principal: Principal, finding_id: str, sha256: str
) -> Blob:
    from ipwatch.services.findings import get_finding

    finding = get_finding(workspace, finding_id, principal)
    cited = {
        str((signal.get("evidence") or {}).get("reference_sha256"))
        for signal in finding.signals
        if isinstance(signal, dict)
    }
    if sha256 in cited and SHA256.match(sha256):
        found = workspace.registry.reference_image(sha256)
        if found is not None:
            data, media_type, label = found
            return Blob(data, media_type, label)
    raise NotFoundError(f"no registered image {sha256[:64]!r} for finding {finding_id}")


def verify_snapshot(workspace: Workspace, principal: Principal, snapshot_id: str) -> VerifyResult:
    """Run the full verification of one snapshot; recorded as a ``verified`` custody event."""
    from ipwatch.services.evidence import verify_home

    visible_snapshot(workspace, principal, snapshot_id)
    return verify_home(workspace, snapshot_id, principal.name)


def bundle_zip(workspace: Workspace, principal: Principal, snapshot_id: str) -> bytes:
    """The snapshot's self-contained bundle as zip bytes (a ``bundled`` custody event)."""
    from ipwatch.services.evidence import bundle_snapshot

    principal.require("export")
    visible_snapshot(workspace, principal, snapshot_id)
    with tempfile.TemporaryDirectory(prefix="ipwatch-bundle-") as tmp:
        out = Path(tmp) / f"{snapshot_id}.zip"
        bundle_snapshot(workspace, snapshot_id, out, principal.name)
        return out.read_bytes()


def case_package(
    workspace: Workspace, principal: Principal, finding_id: str, kind: str
) -> tuple[bytes, str]:
    """The finding's case WACZ, or its HTML/PDF report: (bytes, file name)."""
    from ipwatch.services.export import export_case
    from ipwatch.services.findings import get_finding

    principal.require("export")
    finding = get_finding(workspace, finding_id, principal)
    if not finding.snapshot_ids:
        raise NotFoundError(f"finding {finding_id} has no sealed snapshot to export yet")
    with tempfile.TemporaryDirectory(prefix="ipwatch-case-") as tmp:
        out = Path(tmp) / f"case-{finding_id}.wacz"
        result = export_case(
            workspace, finding.snapshot_ids, out, operator=principal.name, pdf=kind == "pdf"
        )
        path = {"wacz": result.wacz, "html": result.html, "pdf": result.pdf}.get(kind)
        if path is None:
            raise NotFoundError(f"no {kind} for a case package; ask for wacz, html or pdf")
        return path.read_bytes(), path.name

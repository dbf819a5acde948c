"""``ipwatch evidence export``: sealed snapshots -> one WACZ plus an HTML and PDF report.

Wires the workspace (blob store, seals, custody, index, registry) to evidence/export/wacz.py and the
report modules. Each exported snapshot first gets an ``exported`` custody event, so the package
carries the record of its own making.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from evidence.export.bundle import MANIFEST, SEAL, bundle_parts
from evidence.export.report import CaseReport, ImageFile, snapshot_report
from evidence.export.report_html import render_html
from evidence.export.wacz import WaczPage, build_wacz, evidence_path, write_wacz
from evidence.seal.manifest import format_utc
from evidence.seal.seals import SealRecord
from ipwatch.services.checkpoint import checkpoint_parts
from ipwatch.services.errors import InvalidRequestError
from model import FindingQuery

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from ipwatch.services.workspace import Workspace

MAX_SNAPSHOTS = 500  # one case package; more is a sign the selector was too broad
REPORT_HTML, REPORT_PDF = "report/report.html", "report/report.pdf"


class ExportError(InvalidRequestError):
    """The selection is empty, too large, or names something unsealed; says what to do."""


@dataclass(frozen=True)
class ExportResult:
    wacz: Path
    html: Path
    pdf: Path | None
    snapshot_ids: list[str]


def select_snapshots(
    workspace: Workspace,
    ids: Sequence[str] = (),
    *,
    finding: str | None = None,
    asset: str | None = None,
    seller: str | None = None,
) -> list[str]:
    """Snapshot ids named directly or through a finding, an asset or a seller, in order."""
    chosen = list(ids)
    index = workspace.index
    if finding:
        record = index.get_finding(finding)
        if record is None:
            raise ExportError(f"no finding {finding}; `ipwatch findings list` shows them")
        chosen.extend(record.snapshot_ids)
    if asset or seller:
        query = FindingQuery(asset_id=asset, seller=seller, limit=MAX_SNAPSHOTS)
        for record in index.list_findings(query):
            chosen.extend(record.snapshot_ids)
    unique = list(dict.fromkeys(chosen))
    if not unique:
        raise ExportError(
            "nothing to export: give snapshot ids or a --finding/--asset/--seller "
            "that has sealed snapshots"
        )
    if len(unique) > MAX_SNAPSHOTS:
        raise ExportError(f"{len(unique)} snapshots selected; export at most {MAX_SNAPSHOTS}")
    for snapshot_id in unique:
        if workspace.seals.raw(snapshot_id) is None:
            raise ExportError(
                f"{snapshot_id} has no seal record; `ipwatch evidence verify "
                f"{snapshot_id}` says why (only sealed snapshots are exported)"
            )
    return unique


def export_case(
    workspace: Workspace,
    snapshot_ids: Sequence[str],
    out: Path,
    *,
    operator: str,
    pdf: bool = True,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportResult:
    """Write ``out`` (.wacz) and the report beside it (.html, .pdf); returns where."""
    from evidence.export.bundle import HomeSource
    from ipwatch import __version__

    html_path, pdf_path = out.with_suffix(".html"), out.with_suffix(".pdf")
    for path in (out, html_path, *((pdf_path,) if pdf else ())):
        if path.exists():
            raise ExportError(f"{path} already exists; choose a new --out")
    signer = workspace.signer
    for snapshot_id in snapshot_ids:
        workspace.custody.append(
            snapshot_id,
            "exported",
            operator=operator,
            signer=signer,
            detail=f"exported to {out.name}",
        )
    snapshots: dict[str, dict[str, bytes]] = {}
    for snapshot_id in snapshot_ids:
        source = HomeSource(
            snapshot_id,
            store=workspace.blobs,
            seals=workspace.seals,
            custody=workspace.custody,
            public_key=workspace.public_key_pem(),
        )
        snapshots[snapshot_id] = bundle_parts(source)
        sealed = SealRecord.from_json(snapshots[snapshot_id][SEAL])
        snapshots[snapshot_id].update(checkpoint_parts(workspace, sealed.tree_head.size))
    moment = clock()
    software = f"ipwatch {__version__}"
    reports = [
        snapshot_report(
            parts,
            wacz_path=functools.partial(evidence_path, sid),
            finding_signals=_indexed_signals(workspace, parts),
            asset_name=lambda asset_id: _asset_name(workspace, asset_id),
            reference_image=lambda sha: _reference_image(workspace, sha),
        )
        for sid, parts in snapshots.items()
    ]
    title = (
        f"Evidence: {reports[0].title[:120]} ({reports[0].snapshot_id})"
        if len(reports) == 1
        else f"Evidence case: {len(reports)} snapshots"
    )
    case = CaseReport(
        title, format_utc(moment), software, out.name, signer.key_id, reports, operator=operator
    )
    html = render_html(case).encode("utf-8")
    extras = {REPORT_HTML: html}
    pdf_bytes = None
    if pdf:
        from evidence.export.report_pdf import html_to_pdf

        pdf_bytes = html_to_pdf(html.decode("utf-8"), reference=out.name, date=case.created)
        extras[REPORT_PDF] = pdf_bytes
    pages = [WaczPage(r.snapshot_id, r.url, r.captured_at, r.title) for r in reports]
    settings = workspace.config.timestamp
    time_stamp = None
    if settings is not None:  # the spec signature's optional RFC 3161 timeSignature
        from evidence.seal.sealing import Timestamper

        time_stamp = Timestamper(settings).stamp
    files = build_wacz(
        snapshots,
        pages,
        signer=signer,
        wacz_signer=workspace.wacz_signer,
        created=moment,
        software=software,
        title=title,
        extras=extras,
        time_stamp=time_stamp,
    )
    write_wacz(files, out, moment)
    html_path.write_bytes(html)
    if pdf_bytes is not None:
        pdf_path.write_bytes(pdf_bytes)
    return ExportResult(out, html_path, pdf_path if pdf else None, list(snapshot_ids))


def _indexed_signals(workspace: Workspace, parts: dict[str, bytes]) -> dict[str, list[Any]]:
    import json

    out: dict[str, list[Any]] = {}
    for citation in json.loads(parts[MANIFEST])["findings"]:
        record = workspace.index.get_finding(str(citation["finding_id"]))
        if record is not None:
            out[record.id] = record.signals
    return out


def _asset_name(workspace: Workspace, asset_id: str) -> str | None:
    view = workspace.registry.get_asset(asset_id)
    return None if view is None else view.name


def _reference_image(workspace: Workspace, sha256: str) -> ImageFile | None:
    found = workspace.registry.reference_image(sha256)
    if found is None:
        return None
    data, media_type, label = found
    return ImageFile(data, media_type, label, sha256)

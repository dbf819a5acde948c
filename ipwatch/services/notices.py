"""Takedown notices: create them from confirmed findings, list, show and export them.

A notice is made only from findings a reviewer confirmed, within the principal's owners, one
per marketplace and rights holder. Its files are rendered once (the generic DSA/DMCA notice,
plus the marketplace's own format when it has one), stored content-addressed in the blob store,
and hashed: the notice's ``sha256`` is taken over the ``sha256sum`` lines of its files and
recorded as a signed custody event of every snapshot it cites and of the notice itself
(``ipwatch evidence custody N-…``). Exports check every byte against those digests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from enforcement.exceptions import NoticeFormatError
from enforcement.formats import format_for, load_formats
from enforcement.render import render
from ipwatch.services.errors import ConflictError, InvalidRequestError, NotFoundError
from ipwatch.services.notice_content import content_of, notifier_of
from ipwatch.services.webhook_events import notice_changed
from model import FindingQuery, FindingStatus
from model.notices import (
    NoticeFile,
    NoticeQuery,
    NoticeRecord,
    NoticeState,
    digest_text,
    notice_id,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from enforcement.formats import NoticeFormat
    from enforcement.render import RenderedFile
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord
    from model.notices import NoticeEvent

GENERIC = "generic"
# One notice per row in every list (CLI --csv, desk .csv, API): the same columns at each door.
NOTICE_COLUMNS = (
    "id",
    "state",
    "owner",
    "marketplace",
    "template",
    "created",
    "updated",
    "created_by",
    "finding_ids",
    "urls",
    "sha256",
    "revision",
)
MAX_FINDINGS = 5000  # findings one create request turns into notices
# A reviewer confirmed these; a reappeared one was confirmed and noticed, and is back.
NOTICEABLE = (FindingStatus.CONFIRMED, FindingStatus.REAPPEARED)
PAGE = 500


@dataclass(frozen=True)
class NoticeRequest:
    """Which confirmed findings: by id, or every one in scope matching owner/marketplace."""

    finding_ids: tuple[str, ...] = ()
    owner: str | None = None
    marketplace: str | None = None
    template: str | None = None  # a format name; default: the marketplace's, else generic
    wacz_dir: Path | None = None  # export the cited snapshots as one WACZ per notice here


@dataclass(frozen=True)
class NoticeDetail:
    notice: NoticeRecord
    events: list[NoticeEvent] = field(default_factory=list)


def notice_formats(workspace: Workspace) -> dict[str, NoticeFormat]:
    """Built-in formats plus those in the data folder's ``notices.templates_dir``."""
    try:
        return load_formats(workspace.home / workspace.config.notices.templates_dir)
    except NoticeFormatError as exc:
        raise InvalidRequestError(str(exc)) from None


def create_notices(
    workspace: Workspace,
    request: NoticeRequest,
    principal: Principal,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[NoticeRecord]:
    """Draft notices for the chosen confirmed findings, one per marketplace and owner."""
    principal.require("review")
    if workspace.read_only:
        raise InvalidRequestError(f"{workspace.home} is read-only: a notice must be stored there")
    notifier_of(workspace.config.notices)  # refuse before any work when no sender is set
    formats = notice_formats(workspace)
    if request.template is not None and request.template not in formats:
        raise InvalidRequestError(
            f"no notice format {request.template!r}; use one of {', '.join(sorted(formats))}"
        )
    findings = _chosen(workspace, request, principal)
    _refuse_unconfirmed(findings)
    _refuse_drafted(workspace, findings)
    groups: dict[tuple[str, str], list[FindingRecord]] = {}
    for finding in findings:
        groups.setdefault((finding.owner, finding.marketplace), []).append(finding)
    made = []
    for _, group in sorted(groups.items()):
        fmt = (
            formats[request.template]
            if request.template is not None
            else format_for(formats, group[0].marketplace) or formats[GENERIC]
        )
        made.append(_make(workspace, group, formats[GENERIC], fmt, request, principal, clock()))
    return made


def _chosen(
    workspace: Workspace, request: NoticeRequest, principal: Principal
) -> list[FindingRecord]:
    index = workspace.index
    if request.finding_ids:
        ids = list(dict.fromkeys(request.finding_ids))
        if len(ids) > MAX_FINDINGS:
            raise InvalidRequestError(f"{len(ids)} findings; at most {MAX_FINDINGS} per request")
        found = []
        for fid in ids:
            finding = index.get_finding(fid)
            if finding is None or not principal.sees(finding.owner):
                raise NotFoundError(f"no finding {fid!r}; `ipwatch findings list` shows the ids")
            found.append(finding)
        return found
    query = principal.scope(
        FindingQuery(
            statuses=NOTICEABLE,
            owner=request.owner,
            marketplace=request.marketplace,
            limit=PAGE,
        )
    )
    found, after = [], None
    while len(found) <= MAX_FINDINGS:
        page = index.list_findings(FindingQuery(**{**vars(query), "search_after": after}))
        found.extend(page)
        if len(page) < PAGE:
            break
        after = (page[-1].risk, page[-1].id)
    if not found:
        raise InvalidRequestError(
            "no confirmed findings match; confirm findings first (`ipwatch findings review ID "
            "--status confirmed --reason ...`)"
        )
    if len(found) > MAX_FINDINGS:
        raise InvalidRequestError(
            f"more than {MAX_FINDINGS} confirmed findings match; narrow with --owner/--marketplace"
        )
    return found


def _refuse_unconfirmed(findings: list[FindingRecord]) -> None:
    wrong = [f for f in findings if f.status not in NOTICEABLE]
    if wrong:
        first = wrong[0]
        raise InvalidRequestError(
            f"finding {first.id} is {first.status.value}, not confirmed"
            + (f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else "")
            + ": a notice is made only from findings a reviewer confirmed; review them first"
        )


def _refuse_drafted(workspace: Workspace, findings: list[FindingRecord]) -> None:
    """A confirmed finding already in a draft notice would be noticed twice."""
    owners = tuple(sorted({f.owner for f in findings}))
    wanted = {f.id for f in findings}
    drafts = workspace.index.list_notices(
        NoticeQuery(owners=owners, state=NoticeState.DRAFT, limit=10_000)
    )
    for draft in drafts:
        both = wanted.intersection(draft.finding_ids)
        if both:
            raise ConflictError(
                f"finding {sorted(both)[0]} is already in draft notice {draft.id}; send or "
                "export that one (`ipwatch notices show " + draft.id + "`)"
            )


def _make(
    workspace: Workspace,
    group: list[FindingRecord],
    generic: NoticeFormat,
    fmt: NoticeFormat,
    request: NoticeRequest,
    principal: Principal,
    now: datetime,
) -> NoticeRecord:
    ids = [f.id for f in group]
    nid = notice_id(group[0].owner, group[0].marketplace, ids, now.isoformat())
    snapshot_ids = list(dict.fromkeys(s for f in group for s in f.snapshot_ids))
    wacz = ""
    if request.wacz_dir is not None and snapshot_ids:
        from ipwatch.services.export import export_case

        out = request.wacz_dir / f"{nid}.wacz"
        export_case(workspace, snapshot_ids, out, operator=principal.name, pdf=False)
        wacz = out.name
    content = content_of(workspace, nid, now.strftime("%Y-%m-%d"), group, wacz)
    try:
        rendered: list[RenderedFile] = render(generic, content)
        if fmt.name != generic.name:
            rendered += render(fmt, content)
    except NoticeFormatError as exc:
        raise InvalidRequestError(str(exc)) from None
    files = [
        NoticeFile(r.name, workspace.blobs.put(r.data), len(r.data), r.media_type) for r in rendered
    ]
    digest = hashlib.sha256(digest_text(files)).hexdigest()
    evidence = [
        {
            "finding_id": item.finding_id,
            "snapshot_id": ref.snapshot_id,
            "manifest_sha256": ref.manifest_sha256,
        }
        for item in content.items
        for ref in item.evidence
    ]
    record = NoticeRecord(
        id=nid,
        owner=group[0].owner,
        marketplace=group[0].marketplace,
        template=fmt.name,
        state=NoticeState.DRAFT,
        created=now,
        updated=now,
        created_by=principal.name,
        finding_ids=ids,
        urls=[item.url for item in content.items],
        evidence=evidence,
        files=files,
        sha256=digest,
    )
    workspace.index.add_notice(record)
    detail = (
        f"notice {nid} drafted ({fmt.name}, {len(ids)} listing(s) to {record.marketplace}); "
        f"sha256 {digest}"
    )
    record_custody(workspace, record, detail, principal.name)
    notice_changed(workspace, record, None)
    return record


def record_custody(workspace: Workspace, notice: NoticeRecord, detail: str, operator: str) -> int:
    """A signed custody event on the notice's own chain and on each snapshot it cites."""
    signer = workspace.signer
    chains = [notice.id, *dict.fromkeys(e["snapshot_id"] for e in notice.evidence)]
    for chain in chains:
        workspace.custody.append(chain, "notice", operator=operator, signer=signer, detail=detail)
    return len(chains)


def list_notices(
    workspace: Workspace, query: NoticeQuery, principal: Principal
) -> list[NoticeRecord]:
    """Notices in the principal's owners, newest first."""
    principal.require("read")
    owners = query.owners
    if principal.owners is not None:
        owners = tuple(o for o in (owners or principal.owners) if principal.sees(o))
    return workspace.index.list_notices(
        NoticeQuery(
            owners=owners,
            state=query.state,
            marketplace=query.marketplace,
            limit=max(0, min(query.limit, 1000)),
        )
    )


def get_notice(workspace: Workspace, notice_id: str, principal: Principal) -> NoticeDetail:
    """One notice and its state history; another owner's id is not found, like a missing one."""
    principal.require("read")
    notice = workspace.index.get_notice(notice_id)
    if notice is None or not principal.sees(notice.owner):
        raise NotFoundError(f"no notice {notice_id!r}; `ipwatch notices list` shows the ids")
    return NoticeDetail(notice, workspace.index.list_notice_events(notice.id))


def notice_files(
    workspace: Workspace, notice_id: str, principal: Principal
) -> list[tuple[NoticeFile, bytes]]:
    """The notice's files as rendered, each checked against its recorded SHA-256."""
    principal.require("export")
    notice = get_notice(workspace, notice_id, principal).notice
    out = []
    for f in notice.files:
        try:
            data = workspace.blobs.get(f.sha256)
        except (OSError, ValueError) as exc:
            raise ConflictError(f"notice {notice.id}: {f.name} cannot be read: {exc}") from None
        if hashlib.sha256(data).hexdigest() != f.sha256:
            raise ConflictError(
                f"notice {notice.id}: {f.name} no longer matches its SHA-256; the stored copy "
                "was changed, so it is not exported"
            )
        out.append((f, data))
    return out

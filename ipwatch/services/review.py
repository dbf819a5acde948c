"""Review a finding: change its status by compare-and-set, keep the audit event, sign custody.

A reviewer's decision is evidence in its own right, so one call does four things together:
refuses a stale decision (someone changed the finding since the reviewer loaded it, and the
refusal names who), stores the status change with its audit event, signs it into the finding's
decision chain (what `evidence verify` recomputes the status from), and appends a signed
custody event to every sealed snapshot the finding cites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evidence.seal.custody import mirror_review_events
from evidence.seal.decisions import ADOPTED_ACTOR, ADOPTED_REASON, INITIAL_STATUS
from ipwatch.services.errors import ConflictError, InvalidRequestError, NotFoundError, ServiceError
from ipwatch.services.findings import every_finding
from ipwatch.services.webhook_events import finding_decided
from model import FindingStatus
from store.exceptions import RecordConflictError, RecordNotFoundError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from evidence.seal.decisions import DecisionSession
    from evidence.seal.signing import Signer
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord, ReviewEvent

# What a reviewer may decide; the enforcement states (notice_sent, removed, reappeared) are set
# by the workflows that know they happened.
REVIEW_STATUSES = (FindingStatus.IN_REVIEW, FindingStatus.CONFIRMED, FindingStatus.DISMISSED)
# Once a notice went out, the decision stands; taking it back is a notice's business.
FINAL_FOR_REVIEW = (FindingStatus.NOTICE_SENT, FindingStatus.REMOVED)
MAX_REASON = 2000
MAX_BULK = 300  # findings decided in one bulk request


@dataclass(frozen=True)
class ReviewRequest:
    """One decision: the finding, the new status, why, and the revision it was made on."""

    finding_id: str
    status: FindingStatus
    reason: str
    revision: str | None = None  # None: decide on whatever the finding is now


@dataclass(frozen=True)
class ReviewOutcome:
    finding_id: str
    from_status: FindingStatus
    to_status: FindingStatus
    changed: bool  # False when the finding already had that status (nothing recorded)
    revision: str | None  # the finding's revision after the change
    custody_events: int  # signed custody events appended to the finding's snapshots


@dataclass
class ReviewBatch:
    """Every request's outcome or refusal, in the order given; one refusal stops no other."""

    outcomes: list[ReviewOutcome] = field(default_factory=list)
    refused: list[tuple[str, ServiceError]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def clean_reason(reason: str) -> str:
    """The reason as stored: printable, trimmed, bounded; an empty one is refused."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in reason).split())
    if not text:
        raise InvalidRequestError(
            "a review needs a reason (--reason TEXT): it is kept with the decision and shown to "
            "whoever reads the evidence"
        )
    return text[:MAX_REASON]


def review_finding(
    workspace: Workspace, request: ReviewRequest, principal: Principal
) -> ReviewOutcome:
    """Apply one decision (see module docstring); raises a ServiceError when it is refused."""
    principal.require("review")
    actor = principal.name
    status = FindingStatus(request.status)
    if status not in REVIEW_STATUSES:
        allowed = ", ".join(s.value for s in REVIEW_STATUSES)
        raise InvalidRequestError(f"a review sets one of {allowed}, not {status.value!r}")
    reason = clean_reason(request.reason)
    if workspace.read_only:
        raise InvalidRequestError(
            f"{workspace.home} is read-only: a decision must be stored and signed there; review "
            "in the writable workspace (a read-only copy can be listed and verified)"
        )
    index = workspace.index
    finding = index.get_finding(request.finding_id)
    if finding is None or not principal.sees(finding.owner):
        raise NotFoundError(
            f"no finding {request.finding_id!r}; `ipwatch findings list` shows the ids"
        )
    if request.revision is not None and request.revision != finding.revision:
        raise ConflictError(_stale_message(workspace, finding.id, request.revision))
    if finding.status in FINAL_FOR_REVIEW:
        raise InvalidRequestError(
            f"finding {finding.id} is {finding.status.value}: a notice was acted on, so the "
            "review decision can no longer change"
        )
    if finding.status == status:
        return ReviewOutcome(finding.id, status, status, False, finding.revision, 0)
    signer = workspace.signer  # loaded (or made) first: a change is never left unsigned for it
    try:
        with workspace.decisions.deciding() as session:
            # Read again under the decisions lock: another reviewer may have decided meanwhile.
            # Without a revision the decision applies to the finding as it is now; with one, a
            # change since is refused below (and by the store's compare-and-set).
            current = index.get_finding(finding.id) or finding
            if request.revision is not None and request.revision != current.revision:
                raise RecordConflictError(current.id)
            if current.status in FINAL_FOR_REVIEW:
                raise InvalidRequestError(
                    f"finding {current.id} is {current.status.value}: a notice was acted on, so "
                    "the review decision can no longer change"
                )
            if current.status == status:
                return ReviewOutcome(current.id, status, status, False, current.revision, 0)
            if session.started_empty:
                _adopt_unsigned(workspace, session, signer)
            index.set_status(
                current.id, status, actor=actor, reason=reason, expected_revision=current.revision
            )
            session.sign(
                current.id, current.status, status, actor=actor, reason=reason, signer=signer
            )
            finding = current
    except RecordConflictError:
        raise ConflictError(
            _stale_message(workspace, finding.id, request.revision or finding.revision)
        ) from None
    except RecordNotFoundError as exc:
        raise NotFoundError(str(exc)) from None
    custody = _sign_custody(workspace, finding)
    after = index.get_finding(finding.id)
    if after is not None:
        finding_decided(workspace, after, finding.status.value, actor, reason)
    return ReviewOutcome(
        finding.id, finding.status, status, True, after.revision if after else None, custody
    )


def review_findings(
    workspace: Workspace,
    requests: Iterable[ReviewRequest],
    principal: Principal,
    progress: Callable[[ReviewOutcome | tuple[str, ServiceError]], None] | None = None,
) -> ReviewBatch:
    """Several decisions (bulk review); each is applied or refused on its own."""
    batch = ReviewBatch()
    for request in requests:
        result: ReviewOutcome | tuple[str, ServiceError]
        try:
            result = review_finding(workspace, request, principal)
            batch.outcomes.append(result)
        except ServiceError as exc:
            result = (request.finding_id, exc)
            batch.refused.append(result)
        if progress is not None:
            progress(result)
    return batch


def _adopt_unsigned(workspace: Workspace, session: DecisionSession, signer: Signer) -> int:
    """Before a workspace's first signed decision, sign every status decided before decisions
    were signed, as found, so that from now on any unsigned status change fails verification."""
    adopted = 0
    for record in every_finding(workspace):
        if record.status != INITIAL_STATUS:
            session.sign(
                record.id,
                INITIAL_STATUS,
                record.status,
                actor=ADOPTED_ACTOR,
                reason=ADOPTED_REASON,
                signer=signer,
            )
            adopted += 1
    return adopted


def bulk_review(
    workspace: Workspace,
    finding_ids: Iterable[str],
    status: FindingStatus,
    reason: str,
    principal: Principal,
) -> ReviewBatch:
    """One decision with one reason for up to ``MAX_BULK`` selected findings."""
    chosen = list(dict.fromkeys(finding_ids))
    if not chosen:
        raise InvalidRequestError("select at least one finding")
    if len(chosen) > MAX_BULK:
        raise InvalidRequestError(
            f"{len(chosen)} findings selected; decide at most {MAX_BULK} in one request"
        )
    clean_reason(reason)  # refuse a missing reason once, not once per finding
    requests = [ReviewRequest(fid, status, reason) for fid in chosen]
    return review_findings(workspace, requests, principal)


def _sign_custody(workspace: Workspace, finding: FindingRecord) -> int:
    """The decision as a signed custody event of each snapshot that is evidence for it."""
    if not finding.snapshot_ids:
        return 0
    return mirror_review_events(workspace.custody, workspace.index, workspace.signer, [finding.id])


def _stale_message(workspace: Workspace, finding_id: str, revision: str | None) -> str:
    """Who changed it: the last review decision (a crawl or rescan also bumps the revision)."""
    current = workspace.index.get_finding(finding_id)
    now = current.revision if current is not None else "gone"
    last = _last_event(workspace.index.list_events(finding_id))
    who = (
        f"the last decision was {last.actor}'s, who set it to {last.to_status.value} at "
        f"{last.at.isoformat(timespec='seconds')}" + (f" ({last.reason})" if last.reason else "")
        if last is not None
        else "no one reviewed it since: a crawl or rescan updated it"
    )
    return (
        f"finding {finding_id} changed since revision {revision} (now {now}); {who}. Reload it "
        f"(`ipwatch findings show {finding_id}`) and decide again"
    )


def _last_event(events: list[ReviewEvent]) -> ReviewEvent | None:
    return events[-1] if events else None


def record_enforcement(
    workspace: Workspace,
    finding_id: str,
    from_statuses: tuple[FindingStatus, ...],
    status: FindingStatus,
    reason: str,
    principal: Principal,
) -> ReviewOutcome | None:
    """A notice's outcome carried to one of its findings (confirmed -> notice_sent -> removed,
    back to confirmed when a notice is rejected or the listing reinstated), signed into the
    decision chain and the snapshots' custody like a review; None when the finding is not in
    one of ``from_statuses`` (already moved by another notice), so nothing is recorded."""
    principal.require("review")
    reason = clean_reason(reason)
    index = workspace.index
    finding = index.get_finding(finding_id)
    if finding is None or not principal.sees(finding.owner):
        raise NotFoundError(f"no finding {finding_id!r}")
    signer = workspace.signer
    with workspace.decisions.deciding() as session:
        current = index.get_finding(finding_id) or finding
        if current.status not in from_statuses or current.status == status:
            return None
        if session.started_empty:
            _adopt_unsigned(workspace, session, signer)
        try:
            index.set_status(
                current.id,
                status,
                actor=principal.name,
                reason=reason,
                expected_revision=current.revision,
            )
        except RecordConflictError:
            raise ConflictError(_stale_message(workspace, current.id, current.revision)) from None
        session.sign(
            current.id, current.status, status, actor=principal.name, reason=reason, signer=signer
        )
    custody = _sign_custody(workspace, current)
    after = index.get_finding(current.id)
    return ReviewOutcome(
        current.id, current.status, status, True, after.revision if after else None, custody
    )

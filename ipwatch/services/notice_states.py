"""A notice's outcome: draft -> sent -> acknowledged -> removed | rejected | counter_notice ->
reinstated, as an explicit state machine (``model.notices.NOTICE_TRANSITIONS``).

Each change is compare-and-set on the notice's revision, stored with who/when/why, signed into
the custody of the notice and of every snapshot it cites, and carried to its findings through
the review service (so the decision chain stays signed): sent moves confirmed findings to
``notice_sent``, removed moves them to ``removed``; a rejection or a reinstatement returns them
to ``confirmed`` (the finding stands; the marketplace did not act, or put the listing back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ipwatch.services.errors import ConflictError, InvalidRequestError, NotFoundError, ServiceError
from ipwatch.services.notices import get_notice, record_custody
from ipwatch.services.review import MAX_REASON, record_enforcement
from ipwatch.services.webhook_events import finding_decided, notice_changed
from model import FindingStatus
from model.notices import NOTICE_TRANSITIONS, NoticeState
from store.exceptions import RecordConflictError, RecordNotFoundError

if TYPE_CHECKING:
    from ipwatch.services.identity import Principal
    from ipwatch.services.review import ReviewOutcome
    from ipwatch.services.workspace import Workspace
    from model.notices import NoticeEvent, NoticeRecord

# What a notice's new state does to its findings: (from statuses, to status).
FINDING_MOVES: dict[NoticeState, tuple[tuple[FindingStatus, ...], FindingStatus]] = {
    NoticeState.SENT: (
        (FindingStatus.CONFIRMED, FindingStatus.REAPPEARED),
        FindingStatus.NOTICE_SENT,
    ),
    NoticeState.REMOVED: ((FindingStatus.NOTICE_SENT,), FindingStatus.REMOVED),
    NoticeState.REJECTED: ((FindingStatus.NOTICE_SENT,), FindingStatus.CONFIRMED),
    NoticeState.REINSTATED: ((FindingStatus.REMOVED,), FindingStatus.CONFIRMED),
}
# The marketplace's answer must be on record for these.
NEEDS_REASON = (NoticeState.REJECTED, NoticeState.COUNTER_NOTICE, NoticeState.REINSTATED)


@dataclass
class MarkResult:
    notice: NoticeRecord
    event: NoticeEvent
    findings: list[ReviewOutcome] = field(default_factory=list)  # findings that moved with it
    unchanged: list[str] = field(default_factory=list)  # not in a state this outcome moves
    refused: list[tuple[str, str]] = field(default_factory=list)  # (finding id, why)


def parse_state(value: str) -> NoticeState:
    try:
        return NoticeState(value)
    except ValueError:
        known = ", ".join(s.value for s in NoticeState)
        raise InvalidRequestError(f"unknown notice state {value!r}; use one of {known}") from None


def allowed_next(state: NoticeState) -> tuple[NoticeState, ...]:
    return NOTICE_TRANSITIONS[state]


def mark_notice(
    workspace: Workspace,
    notice_id: str,
    state: str,
    reason: str,
    principal: Principal,
    revision: str | None = None,
) -> MarkResult:
    """Move the notice to ``state``; 409 when its current state does not lead there."""
    principal.require("review")
    if workspace.read_only:
        raise InvalidRequestError(f"{workspace.home} is read-only: a state change is stored there")
    to_state = parse_state(state)
    reason = " ".join("".join(c if c.isprintable() else " " for c in reason).split())[:MAX_REASON]
    notice = get_notice(workspace, notice_id, principal).notice
    if revision is not None and revision != notice.revision:
        raise ConflictError(_stale(workspace, notice.id, revision))
    if to_state not in NOTICE_TRANSITIONS[notice.state]:
        nexts = ", ".join(s.value for s in NOTICE_TRANSITIONS[notice.state]) or "nothing (final)"
        raise ConflictError(
            f"notice {notice.id} is {notice.state.value}: it cannot become {to_state.value}; "
            f"from {notice.state.value} it may become {nexts}"
        )
    if to_state in NEEDS_REASON and not reason:
        raise InvalidRequestError(
            f"marking a notice {to_state.value} needs the marketplace's reason (--reason TEXT)"
        )
    try:
        event = workspace.index.set_notice_state(
            notice.id, to_state, principal.name, reason, expected_revision=notice.revision
        )
    except RecordConflictError:
        raise ConflictError(_stale(workspace, notice.id, notice.revision)) from None
    except RecordNotFoundError as exc:
        raise NotFoundError(str(exc)) from None
    after = workspace.index.get_notice(notice.id) or notice
    result = MarkResult(after, event)
    detail = f"notice {notice.id}: {notice.state.value} -> {to_state.value}" + (
        f" ({reason})" if reason else ""
    )
    record_custody(workspace, after, f"{detail}; sha256 {notice.sha256}", principal.name)
    notice_changed(workspace, after, event)  # the cause first, then the findings it moves
    _move_findings(workspace, after, to_state, detail, principal, result)
    return result


def _move_findings(
    workspace: Workspace,
    notice: NoticeRecord,
    state: NoticeState,
    detail: str,
    principal: Principal,
    result: MarkResult,
) -> None:
    move = FINDING_MOVES.get(state)
    if move is None:
        return
    sources, target = move
    for finding_id in notice.finding_ids:
        try:
            outcome = record_enforcement(workspace, finding_id, sources, target, detail, principal)
        except ServiceError as exc:
            result.refused.append((finding_id, str(exc)))
            continue
        if outcome is None:
            result.unchanged.append(finding_id)
            continue
        result.findings.append(outcome)
        finding = workspace.index.get_finding(finding_id)
        if finding is not None:
            finding_decided(workspace, finding, outcome.from_status.value, principal.name, detail)


def _stale(workspace: Workspace, notice_id: str, revision: str | None) -> str:
    events = workspace.index.list_notice_events(notice_id)
    last = events[-1] if events else None
    who = (
        f"{last.actor} set it to {last.to_state.value} at {last.at.isoformat(timespec='seconds')}"
        if last is not None
        else "it was changed"
    )
    return f"notice {notice_id} changed since revision {revision}: {who}; reload it and try again"

"""Recompute every finding's status from its signed decisions and compare it with the index.

The index is a database anyone with the data folder can edit; the decisions are signed when they
are made. A finding whose stored status differs from where its signed chain leads (an SQL
UPDATE, an inserted audit row, a removed decision) fails, named with both statuses.

A workspace that never signed a decision (written by an ipwatch from before) has statuses
backed only by the index's audit trail: those are "not checked", never passed, while the trail
is coherent. Its first signed decision signs every status as found, so from then on an unsigned
status fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.seal.decisions import INITIAL_STATUS, replay
from evidence.verify.artifacts import Check, VerificationReport

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from evidence.seal.decisions import ChainState, DecisionLog

REPORT_NAME = "review decisions"


def verify_decisions(
    log: DecisionLog,
    statuses: Iterable[tuple[str, str]],
    audit_trail: Callable[[str], list[tuple[str, str]]],
    public_key: bytes | None,
    key_label: str = "the given public key",
) -> VerificationReport:
    """``statuses``: (finding id, stored status) of every finding the index holds;
    ``audit_trail``: a finding's unsigned (from, to) changes as the index recorded them."""
    report = VerificationReport(REPORT_NAME)
    add = report.checks.append
    chains = log.chains()
    unreadable = chains.pop("", [])
    if unreadable:
        add(
            Check("decisions.file", "failed", f"{len(unreadable)} unreadable line(s) in {log.path}")
        )
    ever_signed = log.path.exists() and log.path.stat().st_size > 0
    findings = signed = broken = unsigned = 0
    for finding_id, stored in statuses:
        findings += 1
        lines = chains.pop(finding_id, [])
        state = replay(lines, finding_id, public_key)
        signed += state.decisions
        name = f"decision:{finding_id}"
        if state.problem is not None:
            broken += 1
            add(Check(name, "failed", state.problem))
        elif state.status == stored:
            continue
        elif not lines and not ever_signed and _trail_leads_to(audit_trail(finding_id), stored):
            unsigned += 1
            add(Check(name, "not_checked", _unsigned_detail(finding_id, stored)))
        else:
            broken += 1
            add(Check(name, "failed", _mismatch(finding_id, stored, state)))
    for finding_id, lines in chains.items():
        broken += 1
        detail = (
            f"{len(lines)} signed decision(s) for {finding_id}, which the index no longer holds"
        )
        add(Check(f"decision:{finding_id}", "failed", detail))
    if broken:
        return report
    if public_key is None:
        detail = f"{signed} decision(s) replayed, but no public key to check their signatures"
        add(Check("decisions.status", "not_checked", detail))
    else:
        detail = (
            f"{findings - unsigned} finding(s): each status is where its signed decisions lead "
            f"({signed} decision(s), {key_label})"
        )
        add(Check("decisions.status", "passed", detail))
    return report


def _trail_leads_to(trail: list[tuple[str, str]], status: str) -> bool:
    """The unsigned audit trail is at least coherent: from new, each step from the last."""
    current = INITIAL_STATUS.value
    for old, new in trail:
        if old != current:
            return False
        current = new
    return current == status


def _unsigned_detail(finding_id: str, stored: str) -> str:
    return (
        f"finding {finding_id}: {stored} rests on the index's unsigned audit trail only; this "
        "workspace has signed no review decision yet (decided before decisions were signed). "
        "The next review signs every status as found"
    )


def _mismatch(finding_id: str, stored: str, state: ChainState) -> str:
    why = (
        f"no signed decision ever moved it from {INITIAL_STATUS.value}"
        if not state.decisions
        else f"its {state.decisions} signed decision(s) lead to {state.status}"
    )
    return (
        f"finding {finding_id}: the index says {stored}, but {why}; the status was changed "
        "outside the review service (or before decisions were signed)"
    )

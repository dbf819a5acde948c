"""Recompute every finding's status from its signed decisions and compare it with the index.

The index is a database anyone with the data folder can edit; the decisions are signed when they
are made. A finding whose stored status differs from where its signed chain leads (an SQL
UPDATE, an inserted audit row, a removed decision) fails, named with both statuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.seal.decisions import INITIAL_STATUS, replay
from evidence.verify.artifacts import Check, VerificationReport

if TYPE_CHECKING:
    from collections.abc import Iterable

    from evidence.seal.decisions import ChainState, DecisionLog

REPORT_NAME = "review decisions"


def verify_decisions(
    log: DecisionLog,
    statuses: Iterable[tuple[str, str]],
    public_key: bytes | None,
    key_label: str = "the given public key",
) -> VerificationReport:
    """``statuses``: (finding id, stored status) of every finding the index holds."""
    report = VerificationReport(REPORT_NAME)
    add = report.checks.append
    chains = log.chains()
    unreadable = chains.pop("", [])
    if unreadable:
        add(
            Check("decisions.file", "failed", f"{len(unreadable)} unreadable line(s) in {log.path}")
        )
    findings = signed = broken = 0
    for finding_id, stored in statuses:
        findings += 1
        lines = chains.pop(finding_id, [])
        state = replay(lines, finding_id, public_key)
        signed += state.decisions
        if state.problem is not None:
            broken += 1
            add(Check(f"decision:{finding_id}", "failed", state.problem))
        elif state.status != stored:
            broken += 1
            add(Check(f"decision:{finding_id}", "failed", _mismatch(finding_id, stored, state)))
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
            f"{findings} finding(s): each status is where its signed decisions lead "
            f"({signed} decision(s), {key_label})"
        )
        add(Check("decisions.status", "passed", detail))
    return report


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

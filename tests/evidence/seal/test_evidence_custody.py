"""Chain of custody: signed, chained events per snapshot; removal, edits and foreign keys fail."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence.seal.custody import (
    GENESIS,
    OPERATOR_ENV,
    CustodyEvent,
    CustodyLog,
    current_operator,
    custody_failure,
    mirror_review_events,
)
from model import FindingRecord, FindingStatus, SnapshotRef
from store import open_store
from tests.evidence.evidence_samples import OTHER_KEY_SEED, FixedClock, fixed_signer

SID, OTHER_SID = "S-" + "a" * 20, "S-" + "b" * 20
SIGNER = fixed_signer()
KEY = SIGNER.public_key_pem()


@pytest.fixture
def log(tmp_path: Path) -> CustodyLog:
    custody = CustodyLog(tmp_path / "custody.jsonl", clock=FixedClock())
    for action in ("verified", "bundled", "verified"):
        custody.append(SID, action, operator="alice", signer=SIGNER)
        custody.append(OTHER_SID, action, operator="bob", signer=SIGNER)
    return custody


def test_events_chain_per_snapshot(log: CustodyLog) -> None:
    events = log.events(SID)
    assert [e.seq for e in events] == [0, 1, 2]
    assert events[0].prev_sha256 == GENESIS
    assert events[1].prev_sha256 == events[0].sha256
    assert {e.operator for e in events} == {"alice"}
    assert custody_failure(log.lines(SID), SID, KEY) is None
    assert custody_failure(log.lines(OTHER_SID), OTHER_SID, KEY) is None


def test_a_fresh_log_object_continues_the_chain(log: CustodyLog) -> None:
    again = CustodyLog(log.path)
    event = again.append(SID, "bundled", operator="carol", signer=SIGNER)
    assert event.seq == 3 and custody_failure(again.lines(SID), SID, KEY) is None


def test_removed_event_is_detected(log: CustodyLog) -> None:
    lines = log.lines(SID)
    assert "seq 2: an event was removed" in custody_failure([lines[0], lines[2]], SID, KEY)


def test_edited_event_is_detected(log: CustodyLog) -> None:
    lines = log.lines(SID)
    lines[1] = lines[1].replace(b'"operator":"alice"', b'"operator":"mallory"')
    assert "signature does not match" in custody_failure(lines, SID, KEY)


def test_events_signed_by_another_key_fail() -> None:
    other = fixed_signer(OTHER_KEY_SEED)
    draft = CustodyEvent(
        SID, 0, "verified", "x", "2024-01-01T00:00:00Z", "", GENESIS, other.key_id, ""
    )
    event = CustodyEvent(**{**draft.__dict__, "signature": other.sign(draft.signed_bytes()).hex()})
    lines = [event.to_json()]
    assert "signed by key" in custody_failure(lines, SID, KEY)
    assert custody_failure(lines, SID, other.public_key_pem()) is None


def test_operator_comes_from_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OPERATOR_ENV, "case-team")
    assert current_operator("alice") == "alice"
    assert current_operator() == "case-team"
    monkeypatch.delenv(OPERATOR_ENV)
    assert current_operator()  # the OS user


def test_review_status_changes_become_custody_events(tmp_path: Path) -> None:
    index = open_store(f"sqlite:///{tmp_path / 'index.db'}")
    now = datetime(2024, 5, 1, tzinfo=UTC)
    try:
        index.upsert_finding(
            FindingRecord("F-1", "L-1", "A-1", "Nike", "demo", 0.9, True, [], now, now)
        )
        index.add_snapshot(SnapshotRef(SID, ["F-1"], "L-1", "0" * 64, 0, now, "http://x", []))
        index.set_status("F-1", FindingStatus.CONFIRMED, actor="reviewer-1", reason="clear copy")
        custody = CustodyLog(tmp_path / "custody.jsonl")
        assert mirror_review_events(custody, index, SIGNER, ["F-1"]) == 1
        assert mirror_review_events(custody, index, SIGNER, ["F-1"]) == 0  # once only
        (event,) = custody.events(SID)
        assert event.action == "review" and event.operator == "reviewer-1"
        assert "new -> confirmed" in event.detail and "clear copy" in event.detail
        assert custody_failure(custody.lines(SID), SID, KEY) is None
    finally:
        index.close()

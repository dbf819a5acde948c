"""Signed decision chains: replay gives the status; edited, removed or foreign ones break it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.seal.decisions import DecisionLog, replay
from tests.evidence.evidence_samples import OTHER_KEY_SEED, FixedClock, fixed_signer

if TYPE_CHECKING:
    from pathlib import Path

KEY = fixed_signer().public_key_pem()


def decide(
    log: DecisionLog, finding_id: str, *steps: tuple[str, str], seed: bytes | None = None
) -> None:
    signer = fixed_signer(seed) if seed else fixed_signer()
    with log.deciding() as session:
        for old, new in steps:
            session.sign(finding_id, old, new, actor="alice", reason="why", signer=signer)


def test_replay_follows_interleaved_chains_to_each_findings_status(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.jsonl", clock=FixedClock())
    decide(log, "F-1", ("new", "in_review"))
    decide(log, "F-2", ("new", "dismissed"))
    decide(log, "F-1", ("in_review", "confirmed"))
    chains = log.chains()
    assert replay(chains["F-1"], "F-1", KEY).status == "confirmed"
    assert replay(chains["F-2"], "F-2", KEY).status == "dismissed"
    fresh = DecisionLog(tmp_path / "decisions.jsonl", clock=FixedClock())  # another process
    decide(fresh, "F-1", ("confirmed", "dismissed"))
    state = replay(fresh.chains()["F-1"], "F-1", KEY)
    assert (state.status, state.decisions, state.problem) == ("dismissed", 3, None)


def test_replay_rejects_a_decision_edited_on_disk(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.jsonl", clock=FixedClock())
    decide(log, "F-1", ("new", "confirmed"))
    path = tmp_path / "decisions.jsonl"
    path.write_bytes(
        path.read_bytes().replace(b'"to_status":"confirmed"', b'"to_status":"dismissed"')
    )
    state = replay(log.chains()["F-1"], "F-1", KEY)
    assert state.status is None and "signature does not match" in str(state.problem)


def test_replay_rejects_a_removed_decision(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.jsonl", clock=FixedClock())
    decide(log, "F-1", ("new", "in_review"), ("in_review", "confirmed"), ("confirmed", "dismissed"))
    path = tmp_path / "decisions.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + lines[2])
    state = replay(log.chains()["F-1"], "F-1", KEY)
    assert state.status is None and "removed or reordered" in str(state.problem)


def test_replay_rejects_decisions_signed_by_another_key(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.jsonl", clock=FixedClock())
    decide(log, "F-1", ("new", "confirmed"), seed=OTHER_KEY_SEED)
    state = replay(log.chains()["F-1"], "F-1", KEY)
    assert state.status is None and "signed by key" in str(state.problem)


def test_replay_rejects_a_chain_that_skips_an_unsigned_change(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "decisions.jsonl", clock=FixedClock())
    decide(log, "F-1", ("new", "confirmed"), ("dismissed", "in_review"))
    state = replay(log.chains()["F-1"], "F-1", KEY)
    assert state.status is None and "changed unsigned" in str(state.problem)

"""Review decisions as signed events: a finding's status is what its signed chain says it is.

Every status change of a finding is signed with the workspace key when it is made and chained to
the finding's previous decision (``prev_sha256``, zeros for the first), one JSON line each in
``decisions.jsonl``. The index keeps the status for queries; verification replays each finding's
chain from ``new`` and compares, so a status edited in the database (or an audit row inserted
there) without a signature from the key shows up as a mismatch naming the finding.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from evidence.seal.manifest import canonical_json, format_utc, parse_utc
from evidence.seal.signing import SigningKeyError, key_id, verify
from model import FindingStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from evidence.seal.signing import Signer

DECISION_CONTEXT = b"ipwatch review decision v1\n"
GENESIS = "0" * 64
INITIAL_STATUS = FindingStatus.NEW  # every finding is created new; only decisions change it
MAX_DECISION_BYTES = 8 * 1024
# Statuses found when a workspace signs its first decision are signed as found, by this actor.
ADOPTED_ACTOR = "ipwatch"
ADOPTED_REASON = "adopted as found: decided before review decisions were signed"
_FIELDS = {
    "actor",
    "at",
    "finding_id",
    "from_status",
    "key_id",
    "prev_sha256",
    "reason",
    "seq",
    "signature",
    "to_status",
}
_STATUSES = {s.value for s in FindingStatus}


@dataclass(frozen=True)
class Decision:
    finding_id: str
    seq: int  # 0 for the finding's first decision
    from_status: str
    to_status: str
    actor: str
    at: str
    reason: str
    prev_sha256: str
    key_id: str
    signature: str

    def signed_bytes(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return DECISION_CONTEXT + canonical_json(body)

    def to_json(self) -> bytes:
        return canonical_json(asdict(self))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json()).hexdigest()


def parse_decision(line: bytes) -> Decision | str:
    """The decision on a line, or a sentence saying why it is not one."""
    if len(line) > MAX_DECISION_BYTES:
        return f"longer than {MAX_DECISION_BYTES} bytes"
    try:
        raw: Any = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "not JSON"
    if not isinstance(raw, dict) or set(raw) != _FIELDS:
        return f"not a decision: expected exactly {', '.join(sorted(_FIELDS))}"
    if not isinstance(raw["seq"], int) or isinstance(raw["seq"], bool):
        return "seq is not an integer"
    if not all(isinstance(raw[k], str) for k in _FIELDS - {"seq"}):
        return "a text field holds a non-string"
    decision = Decision(**raw)
    if decision.from_status not in _STATUSES or decision.to_status not in _STATUSES:
        return f"unknown status {decision.from_status!r} -> {decision.to_status!r}"
    if decision.to_json() != line.rstrip(b"\n"):
        return "not in canonical form; it was re-encoded"
    return decision


@dataclass(frozen=True)
class ChainState:
    """What a finding's chain proves: the status it leads to, or why it proves nothing."""

    status: str | None  # None when the chain is broken
    decisions: int
    problem: str | None = None


def replay(lines: Sequence[bytes], finding_id: str, public_key: bytes | str | None) -> ChainState:
    """Walk one finding's decisions in order from ``new``; with no key, signatures are skipped
    (the caller reports that as not checked)."""
    expected_key = None
    if public_key is not None:
        try:
            expected_key = key_id(public_key)
        except SigningKeyError as exc:
            return ChainState(None, len(lines), str(exc))
    status, prev, last_at = INITIAL_STATUS.value, GENESIS, None
    for n, line in enumerate(lines):
        decision = parse_decision(line)
        broken = _link_problem(decision, n, finding_id, status, prev)
        if broken is None and isinstance(decision, Decision):
            broken = _signature_problem(decision, n, public_key, expected_key, last_at)
        if broken is not None or not isinstance(decision, Decision):
            return ChainState(None, len(lines), broken or f"decision {n}: unreadable")
        status, prev, last_at = decision.to_status, decision.sha256, parse_utc(decision.at)
    return ChainState(status, len(lines))


def _link_problem(
    decision: Decision | str, n: int, finding_id: str, status: str, prev: str
) -> str | None:
    if isinstance(decision, str):
        return f"decision {n}: {decision}"
    if decision.finding_id != finding_id:
        return f"decision {n} is for {decision.finding_id}, not {finding_id}"
    if decision.seq != n:
        return f"decision {n} says seq {decision.seq}: a decision was removed or reordered"
    if decision.prev_sha256 != prev:
        return f"decision {n} does not link to the decision before it"
    if decision.from_status != status:
        return (
            f"decision {n} changes {decision.from_status} -> {decision.to_status}, but the signed "
            f"decisions before it left the finding {status}: its status was changed unsigned"
        )
    return None


@dataclass
class DecisionSession:
    """Signing under the decisions file's lock; ``started_empty``: no decision was ever signed
    in this workspace (the moment to adopt statuses decided before decisions were signed)."""

    log: DecisionLog
    fh: BinaryIO
    started_empty: bool

    def sign(
        self,
        finding_id: str,
        from_status: str,
        to_status: str,
        *,
        actor: str,
        reason: str,
        signer: Signer,
    ) -> Decision:
        return self.log._append(self.fh, finding_id, from_status, to_status, actor, reason, signer)


def _signature_problem(
    decision: Decision,
    n: int,
    public_key: bytes | str | None,
    expected_key: str | None,
    last_at: datetime | None,
) -> str | None:
    if public_key is None:
        return None
    if decision.key_id != expected_key:
        return (
            f"decision {n} is signed by key {decision.key_id[:16]}…, not {str(expected_key)[:16]}…"
        )
    try:
        signature = bytes.fromhex(decision.signature)
    except ValueError:
        signature = b""
    if not verify(public_key, decision.signed_bytes(), signature):
        return f"decision {n} ({decision.to_status} by {decision.actor}): signature does not match"
    if last_at is not None and parse_utc(decision.at) < last_at:
        return f"decision {n} is dated before the decision it follows"
    return None


class DecisionLog:
    """The decisions file at ``path``; a decision is applied and signed under one ``flock``, so
    the signed order is the order the index applied them in."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._last: dict[str, Decision] = {}
        self._offset = 0

    @contextmanager
    def deciding(self) -> Iterator[DecisionSession]:
        """Hold the file's write lock; the session's ``sign(...)`` appends signed decisions.

        Apply the change to the index inside the block, then sign it: a change the index
        refuses is never signed, and no other decision can be signed in between.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield DecisionSession(self, fh, started_empty=fh.seek(0, os.SEEK_END) == 0)
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def chains(self) -> dict[str, list[bytes]]:
        """Every finding's decision lines in file order; unreadable lines under ``""``."""
        found: dict[str, list[bytes]] = {}
        if not self.path.exists():
            return found
        with open(self.path, "rb") as fh:
            for raw in fh:
                line = raw.rstrip(b"\n")
                decision = parse_decision(line)
                key = decision.finding_id if isinstance(decision, Decision) else ""
                found.setdefault(key, []).append(line)
        return found

    def _append(
        self,
        fh: BinaryIO,
        finding_id: str,
        from_status: str,
        to_status: str,
        actor: str,
        reason: str,
        signer: Signer,
    ) -> Decision:
        self._catch_up(fh)
        last = self._last.get(finding_id)
        moment = format_utc(self.clock())
        if last is not None and parse_utc(last.at) > parse_utc(moment):
            moment = last.at  # a clock step back must not break the chain's order
        draft = Decision(
            finding_id=finding_id,
            seq=0 if last is None else last.seq + 1,
            from_status=str(from_status),
            to_status=str(to_status),
            actor=actor[:200],
            at=moment,
            reason=reason[:2000],
            prev_sha256=GENESIS if last is None else last.sha256,
            key_id=signer.key_id,
            signature="",
        )
        decision = Decision(
            **{**asdict(draft), "signature": signer.sign(draft.signed_bytes()).hex()}
        )
        fh.seek(0, os.SEEK_END)
        fh.write(decision.to_json() + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
        self._offset = fh.tell()
        self._last[finding_id] = decision
        return decision

    def _catch_up(self, fh: BinaryIO) -> None:
        """Learn each finding's last decision from lines written since the last look."""
        if fh.seek(0, os.SEEK_END) < self._offset:
            self._last, self._offset = {}, 0  # the file was replaced: read it again
        fh.seek(self._offset)
        for raw in fh:
            decision = parse_decision(raw.rstrip(b"\n"))
            if isinstance(decision, Decision):
                self._last[decision.finding_id] = decision
        self._offset = fh.tell()

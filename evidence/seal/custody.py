"""Chain of custody: every access to a snapshot as a signed event chained to the one before.

Events live in one JSON-lines file; each snapshot's events form their own hash chain
(``prev_sha256`` is the digest of that snapshot's previous event, zeros for the first), so a
bundle can carry a snapshot's whole chain and a verifier can check it with the public key alone.
Each event is signed with the workspace key over a fixed context and its canonical JSON.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence.seal.manifest import canonical_json, format_utc, parse_utc
from evidence.seal.signing import SigningKeyError, key_id, verify

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from evidence.seal.signing import Signer
    from store.protocol import Store

CUSTODY_CONTEXT = b"ipwatch custody event v1\n"
GENESIS = "0" * 64
OPERATOR_ENV = "IPWATCH_OPERATOR"
MAX_EVENT_BYTES = 16 * 1024
_ACTION_RE = re.compile(r"[a-z][a-z_.-]{0,39}")
_FIELDS = {
    "action",
    "at",
    "detail",
    "key_id",
    "operator",
    "prev_sha256",
    "seq",
    "signature",
    "snapshot_id",
}


def current_operator(explicit: str | None = None) -> str:
    """Who acts: ``--operator``, else $IPWATCH_OPERATOR, else the OS user."""
    chosen = explicit or os.environ.get(OPERATOR_ENV)
    if not chosen:
        try:
            chosen = getpass.getuser()
        except (OSError, KeyError):
            chosen = f"uid:{os.getuid()}"
    return chosen[:200]


@dataclass(frozen=True)
class CustodyEvent:
    snapshot_id: str
    seq: int  # 0 for the snapshot's first event
    action: str  # verified | bundled | timestamped | review
    operator: str
    at: str
    detail: str
    prev_sha256: str
    key_id: str
    signature: str

    def signed_bytes(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        return CUSTODY_CONTEXT + canonical_json(body)

    def to_json(self) -> bytes:
        return canonical_json(asdict(self))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.to_json()).hexdigest()


def parse_event(line: bytes) -> CustodyEvent | str:
    """The event on a line, or a sentence saying why it is not one."""
    if len(line) > MAX_EVENT_BYTES:
        return f"longer than {MAX_EVENT_BYTES} bytes"
    try:
        raw: Any = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "not JSON"
    if not isinstance(raw, dict) or set(raw) != _FIELDS:
        return f"not a custody event: expected exactly {', '.join(sorted(_FIELDS))}"
    if not isinstance(raw["seq"], int) or isinstance(raw["seq"], bool):
        return "seq is not an integer"
    if not all(isinstance(raw[k], str) for k in _FIELDS - {"seq"}):
        return "a text field holds a non-string"
    event = CustodyEvent(**raw)
    if event.to_json() != line.rstrip(b"\n"):
        return "not in canonical form; it was re-encoded"
    return event


def custody_failure(
    lines: Sequence[bytes], snapshot_id: str, public_key: bytes | str
) -> str | None:
    """Why a snapshot's events (in order) are not an intact, signed chain; None when they are."""
    try:
        expected_key = key_id(public_key)
    except SigningKeyError as exc:
        return str(exc)
    prev, last_at = GENESIS, None
    for n, line in enumerate(lines):
        event = parse_event(line)
        if isinstance(event, str):
            return f"event {n}: {event}"
        if event.snapshot_id != snapshot_id:
            return f"event {n} is for {event.snapshot_id}, not {snapshot_id}"
        if event.seq != n:
            return f"event {n} says seq {event.seq}: an event was removed or reordered"
        if event.prev_sha256 != prev:
            return f"event {n} ({event.action}) does not link to the event before it"
        if event.key_id != expected_key:
            return f"event {n} is signed by key {event.key_id[:16]}…, not {expected_key[:16]}…"
        if not verify(public_key, event.signed_bytes(), _unhex(event.signature)):
            return f"event {n} ({event.action} by {event.operator}): the signature does not match"
        moment = parse_utc(event.at)
        if last_at is not None and moment < last_at:
            return f"event {n} is dated before the event it follows"
        prev, last_at = event.sha256, moment
    return None


def _unhex(text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


class CustodyLog:
    """The custody file at ``path``; appends take an exclusive ``flock`` and are fsynced."""

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._last: dict[str, CustodyEvent] = {}
        self._offset = 0

    def append(
        self,
        snapshot_id: str,
        action: str,
        *,
        operator: str,
        signer: Signer,
        detail: str = "",
        at: datetime | None = None,
    ) -> CustodyEvent:
        """Sign and chain a new event after the snapshot's last one."""
        if not _ACTION_RE.fullmatch(action):
            raise ValueError(f"custody action {action!r} must be a short lowercase word")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                self._catch_up(fh)
                last = self._last.get(snapshot_id)
                moment = format_utc(at or self.clock())
                if last is not None and parse_utc(last.at) > parse_utc(moment):
                    moment = last.at  # a clock step back must not break the chain's order
                draft = CustodyEvent(
                    snapshot_id=snapshot_id,
                    seq=0 if last is None else last.seq + 1,
                    action=action,
                    operator=operator[:200],
                    at=moment,
                    detail=detail[:2000],
                    prev_sha256=GENESIS if last is None else last.sha256,
                    key_id=signer.key_id,
                    signature="",
                )
                event = CustodyEvent(
                    **{**asdict(draft), "signature": signer.sign(draft.signed_bytes()).hex()}
                )
                fh.seek(0, os.SEEK_END)
                fh.write(event.to_json() + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
                self._offset = fh.tell()
                self._last[snapshot_id] = event
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return event

    def lines(self, snapshot_id: str) -> list[bytes]:
        """The snapshot's event lines (without newline), in file order, damaged ones included."""
        return [line for sid, line in self._scan() if sid in (snapshot_id, None)]

    def events(self, snapshot_id: str) -> list[CustodyEvent]:
        return [e for e in map(parse_event, self.lines(snapshot_id)) if isinstance(e, CustodyEvent)]

    def _scan(self) -> Iterator[tuple[str | None, bytes]]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as fh:
            for raw in fh:
                line = raw.rstrip(b"\n")
                event = parse_event(line)
                yield (event.snapshot_id if isinstance(event, CustodyEvent) else None), line

    def _catch_up(self, fh: Any) -> None:
        """Learn each snapshot's last event from lines written since the last look."""
        fh.seek(self._offset)
        for raw in fh:
            event = parse_event(raw.rstrip(b"\n"))
            if isinstance(event, CustodyEvent):
                self._last[event.snapshot_id] = event


def mirror_review_events(
    custody: CustodyLog, index: Store, signer: Signer, finding_ids: Sequence[str]
) -> int:
    """Append each review status change not yet in custody to the finding's snapshots' chains.

    Review actions are stored as audit events by the index; this makes each one a signed custody
    event of every snapshot that is evidence for the finding. Returns how many were added.
    """
    added = 0
    for finding_id in finding_ids:
        finding = index.get_finding(finding_id)
        if finding is None or not finding.snapshot_ids:
            continue
        for audit in index.list_events(finding_id):
            at = audit.at if audit.at.tzinfo else audit.at.replace(tzinfo=UTC)
            detail = (
                f"finding {finding_id}: {audit.from_status.value} -> {audit.to_status.value} "
                f"at {format_utc(at)}" + (f" ({audit.reason})" if audit.reason else "")
            )[:2000]
            for snapshot_id in finding.snapshot_ids:
                if any(e.detail == detail for e in custody.events(snapshot_id)):
                    continue
                custody.append(
                    snapshot_id, "review", operator=audit.actor, signer=signer, detail=detail
                )
                added += 1
    return added

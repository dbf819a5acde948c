"""Verify snapshots where they live: version 2 against the log and key, version 1 the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evidence.exceptions import EvidenceError
from evidence.export.bundle import HomeSource
from evidence.seal.recovery import logged_snapshots
from evidence.seal.seals import SealRecord, SealRecordError
from evidence.verify.artifacts import Check, VerificationReport, verify_snapshot
from evidence.verify.sealed import check_log_state, verify_sealed

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cryptography import x509

    from evidence.log.files import LogProblem
    from evidence.log.translog import TransparencyLog
    from evidence.seal.custody import CustodyLog
    from evidence.seal.ledger import Ledger
    from evidence.seal.seals import SealStore
    from evidence.storage.blobstore import BlobStore
    from store.protocol import Store


@dataclass
class HomeEvidence:
    """A workspace's evidence stores and the trust anchors to check them with."""

    store: BlobStore
    ledger: Ledger
    log: TransparencyLog
    seals: SealStore
    custody: CustodyLog
    index: Store | None
    public_key: bytes | None
    key_label: str = "the workspace signing key"
    tsa_roots: Sequence[bytes | x509.Certificate] = ()
    _legacy: dict[str, int] | None = field(default=None, repr=False)
    _signed: dict[str, str] | None = field(default=None, repr=False)

    def source(self, snapshot_id: str) -> HomeSource:
        return HomeSource(
            snapshot_id,
            store=self.store,
            seals=self.seals,
            custody=self.custody,
            public_key=self.public_key,
        )

    def log_problems(self) -> list[LogProblem]:
        return self.log.verify([self.public_key] if self.public_key else [])

    def snapshot_ids(self) -> list[str]:
        """Every snapshot the ledger, the log, the seal folders or the index know of."""
        ids = [sid for sid, _, _ in logged_snapshots(self.ledger, self.log)]
        ids += self.seals.snapshot_ids()
        if self.index is not None:
            ids += [s.id for s in self.index.iter_snapshots()]
        return list(dict.fromkeys(ids))

    def signed(self) -> dict[str, str]:
        """Snapshots the signed log or a seal record vouches for, and where (for messages).

        These decide what is version 2: the unsigned ledger can never claim one of them.
        """
        if self._signed is None:
            found = {sid: "a seal record" for sid in self.seals.snapshot_ids()}
            for sid, _, index in logged_snapshots(None, self.log):
                found[sid] = f"transparency log entry {index}"
            self._signed = found
        return self._signed

    def legacy(self) -> dict[str, int]:
        """Snapshots the version-1 ledger names, with their ledger seq."""
        if self._legacy is None:
            self._legacy = {entry.snapshot_id: entry.seq for entry in self.ledger.entries()}
        return self._legacy

    def is_current(self, snapshot_id: str) -> bool:
        """Version 2 (signed: in the log or sealed) rather than version 1 (ledger only)?"""
        return snapshot_id in self.signed() or snapshot_id not in self.legacy()


def verify_home_snapshot(
    home: HomeEvidence,
    snapshot_id: str,
    *,
    log_problems: Sequence[LogProblem] | None = None,
) -> VerificationReport:
    """All checks for one snapshot: hashes, signature, inclusion, log state, timestamp, custody."""
    if not home.is_current(snapshot_id):
        return verify_snapshot(snapshot_id, store=home.store, ledger=home.ledger, index=home.index)
    try:
        home.seals.folder(snapshot_id)
    except SealRecordError as exc:
        return VerificationReport(snapshot_id, [Check("seal.record", "failed", str(exc))])
    downgrade = _downgrade_check(home, snapshot_id)
    report = verify_sealed(
        home.source(snapshot_id),
        snapshot_id,
        public_key=home.public_key,
        key_label=home.key_label,
        tsa_roots=home.tsa_roots,
    )
    try:
        record = home.seals.get(snapshot_id)
    except SealRecordError:
        record = None
    if record is not None:
        problems = home.log_problems() if log_problems is None else log_problems
        try:
            check_log_state(report, record, home.log, home.public_key, problems)
        except EvidenceError as exc:
            report.checks.append(Check("log.consistency", "failed", str(exc)))
    _check_index(report, home.index, record)
    if downgrade is not None:
        report.checks.insert(0, downgrade)
    return report


def verify_home_all(home: HomeEvidence) -> list[VerificationReport]:
    """Every snapshot; the log and the ledger are each walked once, not once per snapshot."""
    log_problems = home.log_problems()
    ledger_problems = home.ledger.verify()
    reports = []
    for snapshot_id in home.snapshot_ids():
        if home.is_current(snapshot_id):
            reports.append(verify_home_snapshot(home, snapshot_id, log_problems=log_problems))
        else:
            reports.append(
                verify_snapshot(
                    snapshot_id,
                    store=home.store,
                    ledger=home.ledger,
                    index=home.index,
                    chain_problems=ledger_problems,
                )
            )
    return reports


def log_report(
    home: HomeEvidence, reports: Sequence[VerificationReport]
) -> VerificationReport | None:
    """The log's damage when no snapshot report carries it: with every signed snapshot gone
    (or the log made unreadable) it would otherwise be reported nowhere."""
    if any(r.get("log.integrity") is not None for r in reports):
        return None
    problems = home.log_problems()
    if not problems:
        return None
    shown = "; ".join(str(p) for p in problems[:5])
    more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
    return VerificationReport("transparency log", [Check("log.integrity", "failed", shown + more)])


def _downgrade_check(home: HomeEvidence, snapshot_id: str) -> Check | None:
    """A signed snapshot that the unsigned ledger also names: someone wrote that entry."""
    seq = home.legacy().get(snapshot_id)
    if seq is None:
        return None
    where = home.signed().get(snapshot_id, "a seal record")
    return Check(
        "ledger.downgrade",
        "failed",
        f"the unsigned version-1 ledger (seq {seq}) names {snapshot_id}, which {where} shows "
        "was signed and sealed: a sealed snapshot never goes back to the ledger, so that entry "
        "was added afterwards; the snapshot is checked against its seal only",
    )


def _check_index(
    report: VerificationReport, index: Store | None, record: SealRecord | None
) -> None:
    add = report.checks.append
    if index is None:
        add(Check("index.record", "not_checked", "no evidence index given"))
        return
    stored = index.get_snapshot(report.snapshot_id)
    if stored is None:
        add(Check("index.record", "failed", f"the index has no record of {report.snapshot_id}"))
    elif record is None:
        add(Check("index.record", "not_checked", "no seal record to compare the index with"))
    elif stored.manifest_sha256 != record.manifest_sha256:
        detail = f"index says manifest {stored.manifest_sha256}, the seal {record.manifest_sha256}"
        add(Check("index.record", "failed", detail))
    elif stored.ledger_seq != record.log_index:
        detail = f"index says log index {stored.ledger_seq}, the seal {record.log_index}"
        add(Check("index.record", "failed", detail))
    else:
        add(Check("index.record", "passed", "index record matches the seal"))

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
    _legacy: set[str] | None = field(default=None, repr=False)

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

    def is_current(self, snapshot_id: str) -> bool:
        """Version 2 (sealed into the log) rather than version 1 (in the ledger)?"""
        if self._legacy is None:
            self._legacy = {entry.snapshot_id for entry in self.ledger.entries()}
        return snapshot_id not in self._legacy


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

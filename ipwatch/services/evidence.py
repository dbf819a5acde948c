"""Evidence use-cases: verify (home, bundle or WACZ), bundle, custody, late timestamps.

Each verification of a sealed snapshot, each bundle and each timestamp is itself a signed
custody event, recorded here so that every front door records them alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.export.bundle import BundleError, BundleSource, bundle_parts, write_bundle
from evidence.seal.custody import mirror_review_events
from evidence.seal.seals import SealRecordError
from evidence.verify.artifacts import Check, VerificationReport
from evidence.verify.checkpoint import check_source_checkpoint, verify_log_checkpoint
from evidence.verify.decisions import verify_decisions
from evidence.verify.home import HomeEvidence, log_report, verify_home_all, verify_home_snapshot
from evidence.verify.sealed import verify_sealed
from ipwatch.services.checkpoint import checkpoint_parts
from ipwatch.services.errors import InvalidRequestError, NotFoundError
from ipwatch.services.findings import every_finding

if TYPE_CHECKING:
    from cryptography import x509

    from ipwatch.services.workspace import Workspace

READ_ONLY_NOTE = (
    "{home} is read-only: {what} was not recorded as a custody event (nothing in the folder "
    "was written)"
)


@dataclass(frozen=True)
class VerifyResult:
    """What was verified: a package (WACZ) report first when there is one, then snapshots,
    then what belongs to the workspace as a whole (its log, its review decisions)."""

    target: str  # "home", "bundle" or "wacz"
    reports: list[VerificationReport]
    package: VerificationReport | None = None
    workspace: list[VerificationReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was deliberately not done, and why

    @property
    def every_report(self) -> list[VerificationReport]:
        return [*([self.package] if self.package else []), *self.reports, *self.workspace]

    @property
    def failed_checks(self) -> int:
        return sum(check.status == "failed" for r in self.every_report for check in r.checks)

    @property
    def verified(self) -> int:
        return sum(1 for report in self.reports if report.ok)

    @property
    def ok(self) -> bool:
        """Nothing checked failed and every snapshot was really verified (a WACZ holds some)."""
        empty_package = self.target == "wacz" and not self.reports
        return not empty_package and not self.failed_checks and self.verified == len(self.reports)


@dataclass(frozen=True)
class PublishedCheckpoint:
    """A checkpoint published earlier (``--checkpoint FILE``) and the token kept beside it."""

    label: str
    note: bytes
    token: bytes | None = None


@dataclass
class TimestampResult:
    obtained: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (snapshot id, error)


def home_evidence(
    workspace: Workspace,
    public_key: bytes | None = None,
    tsa_roots: list[x509.Certificate] | None = None,
) -> HomeEvidence:
    """The workspace's stores, checked against ``public_key`` or else the workspace key."""
    label = "the given public key"
    if public_key is None:
        public_key = workspace.public_key_pem()
        label = f"the workspace signing key ({workspace.signing_key_path})"
    roots = tsa_roots or (workspace.config.timestamp.roots() if workspace.config.timestamp else [])
    return HomeEvidence(
        store=workspace.blobs,
        ledger=workspace.ledger,
        log=workspace.translog,
        seals=workspace.seals,
        custody=workspace.custody,
        index=workspace.index,
        public_key=public_key,
        key_label=label,
        tsa_roots=roots,
    )


def is_package_path(target: str) -> bool:
    """A bundle folder/zip or a WACZ is named by path; a snapshot by its id."""
    return target.lower().endswith(".wacz") or "/" in target or Path(target).exists()


def verify_package(
    target: str,
    public_key: bytes | None,
    tsa_roots: list[x509.Certificate],
    checkpoint: PublishedCheckpoint | None = None,
) -> VerifyResult:
    """A bundle or WACZ, offline: no workspace is opened or written."""
    published = checkpoint.note if checkpoint else None
    path = Path(target)
    if target.lower().endswith(".wacz"):
        from evidence.verify.wacz import verify_wacz

        if not path.is_file():
            raise NotFoundError(f"no WACZ at {path}")
        try:
            reports = verify_wacz(
                path, public_key=public_key, tsa_roots=tsa_roots, checkpoint=published
            )
        except BundleError as exc:
            raise InvalidRequestError(str(exc)) from None
        return VerifyResult("wacz", reports[1:], package=reports[0])
    if not path.exists():
        raise NotFoundError(f"no bundle at {path}")
    try:
        source = BundleSource(path)
    except BundleError as exc:
        raise InvalidRequestError(str(exc)) from None
    try:
        report = verify_sealed(
            source,
            path.name,
            public_key=public_key,
            key_label="the given public key",
            tsa_roots=tsa_roots,
        )
        check_source_checkpoint(report, source, public_key, published)
    except BundleError as exc:  # a corrupt part: the bundle fails, with the reason
        report = VerificationReport(path.name, [Check("bundle.parts", "failed", str(exc))])
    finally:
        source.close()
    return VerifyResult("bundle", [report])


def verify_home(
    workspace: Workspace,
    snapshot_id: str | None,
    operator: str,
    public_key: bytes | None = None,
    tsa_roots: list[x509.Certificate] | None = None,
    checkpoint: PublishedCheckpoint | None = None,
) -> VerifyResult:
    """One snapshot, or all of the workspace's plus its log and review decisions; each sealed
    snapshot gets a ``verified`` custody event (not on read-only media, which is noted).

    With ``checkpoint`` the log must also extend that earlier published checkpoint: the one
    check that notices the newest entries were removed.
    """
    home = home_evidence(workspace, public_key, tsa_roots)
    reports = [verify_home_snapshot(home, snapshot_id)] if snapshot_id else verify_home_all(home)
    whole = []
    if snapshot_id is None:
        whole = [r for r in [log_report(home, reports)] if r is not None]
        statuses = ((f.id, f.status.value) for f in every_finding(workspace))
        trail = partial(_audit_trail, workspace)
        key, label = home.public_key, home.key_label
        whole.append(verify_decisions(workspace.decisions, statuses, trail, key, label))
    notes = []
    if workspace.read_only:
        notes.append(READ_ONLY_NOTE.format(home=workspace.home, what="this verification"))
    else:
        _record_verified(workspace, operator, reports)
    package = None
    if checkpoint is not None:
        package = verify_log_checkpoint(
            checkpoint.label,
            checkpoint.note,
            home.log,
            home.public_key,
            token=checkpoint.token,
            tsa_roots=home.tsa_roots,
        )
    return VerifyResult("home", reports, package=package, workspace=whole, notes=notes)


def _audit_trail(workspace: Workspace, finding_id: str) -> list[tuple[str, str]]:
    """The index's own (unsigned) record of a finding's status changes, oldest first."""
    events = workspace.index.list_events(finding_id)
    return [(e.from_status.value, e.to_status.value) for e in events]


def _record_verified(
    workspace: Workspace, operator: str, reports: list[VerificationReport]
) -> None:
    """Each verification of a sealed (version 2) snapshot is a custody event."""
    if not workspace.signing_key_path.exists():
        return
    for report in reports:
        seal = report.get("seal.record")
        if seal is None or seal.status != "passed":
            continue
        names = [c.name for c in report.failed]
        detail = "all checks passed" if not names else "failed: " + ", ".join(names)
        workspace.custody.append(
            report.snapshot_id,
            "verified",
            operator=operator,
            signer=workspace.signer,
            detail=detail,
        )


@dataclass(frozen=True)
class BundleResult:
    path: Path
    notes: list[str] = field(default_factory=list)


def bundle_snapshot(
    workspace: Workspace,
    snapshot_id: str,
    out: Path,
    operator: str,
    checkpoint: bytes | None = None,
) -> BundleResult:
    """Write a self-contained bundle that verifies offline with the public key alone.

    It carries ``checkpoint`` (a published one the log extends) or else a fresh checkpoint,
    with the proof that the snapshot's sealed head is a prefix of it. From a read-only data
    folder the bundle is still written (to ``out``), but its making cannot be recorded in the
    snapshot's custody; the result says so.
    """
    source = home_evidence(workspace).source(snapshot_id)
    try:
        record = workspace.seals.get(snapshot_id)
    except SealRecordError as exc:
        raise InvalidRequestError(f"{snapshot_id}: {exc}") from None
    if record is None:
        raise InvalidRequestError(
            f"{snapshot_id} has no seal record; `ipwatch evidence verify {snapshot_id}` says why "
            "(snapshots sealed before signing existed cannot be bundled)"
        )
    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise InvalidRequestError(f"{out} already exists; choose a new path")
    witness = checkpoint_parts(workspace, record.tree_head.size, checkpoint)
    notes = []
    if workspace.read_only:
        notes.append(READ_ONLY_NOTE.format(home=workspace.home, what="this bundle"))
    else:
        workspace.custody.append(
            snapshot_id,
            "bundled",
            operator=operator,
            signer=workspace.signer,
            detail=f"bundle written to {out.name}",
        )
    parts = bundle_parts(source)
    parts.update(witness)
    write_bundle(parts, out, snapshot_id)
    return BundleResult(out, notes)


def custody_lines(workspace: Workspace, snapshot_id: str) -> list[bytes]:
    """The snapshot's signed custody events as stored, review decisions mirrored in first."""
    record = workspace.index.get_snapshot(snapshot_id)
    if record is not None and workspace.signing_key_path.exists() and not workspace.read_only:
        mirror_review_events(
            workspace.custody, workspace.index, workspace.signer, record.finding_ids
        )
    return workspace.custody.lines(snapshot_id)


def timestamp_snapshots(
    workspace: Workspace, snapshot_id: str | None, operator: str
) -> TimestampResult:
    """RFC 3161 tokens for sealed snapshots that have none (the TSA was away at seal time)."""
    settings = workspace.config.timestamp
    if settings is None:
        raise InvalidRequestError(
            "no TSA configured; add `timestamp: {url: ..., ca_files: [...]}` to ipwatch.yaml"
        )
    seals, sealer = workspace.seals, workspace.sealer
    result = TimestampResult()
    for sid in [snapshot_id] if snapshot_id else seals.snapshot_ids():
        record = seals.get(sid)
        if record is None:
            raise NotFoundError(f"{sid} has no seal record; nothing to timestamp")
        if seals.token(sid) is not None:
            continue
        if sealer.timestamp(sid, record.manifest_sha256):
            result.obtained.append(sid)
            workspace.custody.append(
                sid,
                "timestamped",
                operator=operator,
                signer=workspace.signer,
                detail=f"RFC 3161 token from {settings.url}",
            )
        else:
            error = seals.token_error(sid) or {}
            result.failed.append((sid, str(error.get("error", ""))))
    return result

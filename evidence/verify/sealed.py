"""Verify a version-2 snapshot from wherever it is kept: the workspace or a bundle.

Each check passes, fails, or says it was not checked and why; a check is never passed on
trust. What the checks need comes from an ``EvidenceSource``, so the same code judges a
workspace snapshot and a bundle handed to a court with nothing but the public key.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Protocol

from evidence.exceptions import EvidenceError, ManifestError
from evidence.log.merkle import inclusion_failure
from evidence.log.tree_head import head_consistency_failure
from evidence.seal.custody import custody_failure
from evidence.seal.manifest import parse_manifest
from evidence.seal.seals import SealRecord, SealRecordError, manifest_message
from evidence.seal.signing import SigningKeyError, key_id, verify
from evidence.timestamp import TimestampConfigError, verify_timestamp
from evidence.verify.artifacts import Check, VerificationReport, check_artifacts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cryptography import x509

    from evidence.log.translog import TransparencyLog


class EvidenceSource(Protocol):
    """Where a sealed snapshot's parts are read from; missing parts are None or raise."""

    def seal_record_bytes(self) -> bytes | None: ...

    def manifest_bytes(self, sha256: str) -> bytes: ...

    def artifact(self, artifact: dict[str, Any]) -> bytes: ...

    def timestamp_token(self) -> bytes | None: ...

    def timestamp_error(self) -> str | None: ...

    def custody_lines(self) -> list[bytes]: ...

    def bundled_public_key(self) -> bytes | None: ...


def verify_sealed(
    source: EvidenceSource,
    snapshot_id: str,
    *,
    public_key: bytes | None = None,
    key_label: str = "the given public key",
    tsa_roots: Sequence[bytes | x509.Certificate] = (),
) -> VerificationReport:
    """Run every check on one snapshot; ``public_key`` None means use the bundle's own key."""
    report = VerificationReport(snapshot_id)
    add = report.checks.append
    record = _check_record(report, source)
    if record is None:
        for name in ("manifest.sha256", "signature.manifest", "log.inclusion", "timestamp"):
            add(Check(name, "not_checked", "there is no readable seal record to check against"))
        return report
    report.snapshot_id = record.snapshot_id
    key = _choose_key(report, source, public_key, key_label)
    manifest_bytes = _check_manifest_digest(report, source, record)
    manifest = _check_manifest_content(report, record, manifest_bytes)
    _check_signature(report, record, manifest_bytes, key)
    _check_inclusion(report, record, key)
    _check_timestamp(report, source, record, tsa_roots)
    if manifest is None:
        add(
            Check(
                "artifacts",
                "not_checked",
                "the manifest is not trustworthy, so neither is its list",
            )
        )
    else:
        check_artifacts(report, manifest, source.artifact)
    _check_custody(report, source, record.snapshot_id, key)
    return report


def check_log_state(
    report: VerificationReport,
    record: SealRecord,
    log: TransparencyLog,
    public_key: bytes | None,
    log_problems: Sequence[object],
) -> None:
    """Workspace only: the log on disk is intact and still extends the head the record holds."""
    add = report.checks.append
    if log_problems:
        shown = "; ".join(str(p) for p in log_problems[:5])
        more = f" (+{len(log_problems) - 5} more)" if len(log_problems) > 5 else ""
        add(Check("log.integrity", "failed", shown + more))
    else:
        add(Check("log.integrity", "passed", f"{log.path}: every entry, leaf and head recomputes"))
    latest = log.latest_head()
    if public_key is None or latest is None:
        add(Check("log.consistency", "not_checked", "no public key or no signed head to compare"))
        return
    old = record.tree_head
    try:
        proof = log.consistency_proof(old.size, latest.size)
    except EvidenceError as exc:
        add(Check("log.consistency", "failed", f"no consistency proof from size {old.size}: {exc}"))
        return
    problem = head_consistency_failure(old, latest, proof, public_key)
    if problem:
        add(Check("log.consistency", "failed", f"the log no longer extends this head: {problem}"))
    else:
        add(
            Check(
                "log.consistency",
                "passed",
                f"latest head (size {latest.size}) extends the sealed head (size {old.size})",
            )
        )


def _check_record(report: VerificationReport, source: EvidenceSource) -> SealRecord | None:
    try:
        data = source.seal_record_bytes()
        if data is None:
            report.checks.append(Check("seal.record", "failed", "no seal record (seal.json)"))
            return None
        record = SealRecord.from_json(data)
    except (SealRecordError, EvidenceError, OSError) as exc:
        report.checks.append(Check("seal.record", "failed", str(exc)))
        return None
    report.checks.append(
        Check("seal.record", "passed", f"log index {record.log_index}, key {record.key_id[:16]}…")
    )
    return record


def _choose_key(
    report: VerificationReport, source: EvidenceSource, given: bytes | None, label: str
) -> bytes | None:
    add = report.checks.append
    if given is not None:
        try:
            add(Check("signature.key", "passed", f"{label}, key id {key_id(given)}"))
        except SigningKeyError as exc:
            add(Check("signature.key", "failed", f"{label}: {exc}"))
            return None
        return given
    own = source.bundled_public_key()
    if own is None:
        add(Check("signature.key", "not_checked", "no public key given and none in the bundle"))
        return None
    try:
        own_id = key_id(own)
    except SigningKeyError as exc:
        add(Check("signature.key", "failed", f"the bundle's public key: {exc}"))
        return None
    add(
        Check(
            "signature.key",
            "not_checked",
            f"no --public-key given: signatures are checked against the bundle's OWN key, key id "
            f"{own_id}; compare it with the key id the sealing organisation published",
        )
    )
    return own


def _check_manifest_digest(
    report: VerificationReport, source: EvidenceSource, record: SealRecord
) -> bytes | None:
    add = report.checks.append
    try:
        data = source.manifest_bytes(record.manifest_sha256)
    except (EvidenceError, OSError) as exc:
        add(Check("manifest.sha256", "failed", f"manifest missing: {exc}"))
        return None
    actual = hashlib.sha256(data).hexdigest()
    if actual != record.manifest_sha256:
        add(
            Check(
                "manifest.sha256",
                "failed",
                f"manifest bytes changed: sha256 is {actual}, the seal says "
                f"{record.manifest_sha256}",
            )
        )
        return None
    add(Check("manifest.sha256", "passed", f"{actual} matches the seal record"))
    return data


def _check_manifest_content(
    report: VerificationReport, record: SealRecord, data: bytes | None
) -> dict[str, Any] | None:
    add = report.checks.append
    if data is None:
        add(Check("manifest.content", "not_checked", "the manifest digest did not match"))
        return None
    try:
        manifest = parse_manifest(data)
    except ManifestError as exc:
        add(Check("manifest.content", "failed", str(exc)))
        return None
    if manifest["snapshot_id"] != record.snapshot_id:
        detail = f"manifest is for {manifest['snapshot_id']}, the seal for {record.snapshot_id}"
        add(Check("manifest.content", "failed", detail))
        return None
    signer = manifest.get("signer", {}).get("key_id")
    if signer != record.key_id:
        detail = f"manifest names signer {signer}, the seal's signature is by {record.key_id}"
        add(Check("manifest.content", "failed", detail))
        return None
    count = len(manifest["artifacts"])
    add(Check("manifest.content", "passed", f"version {manifest['version']}, {count} artifacts"))
    return manifest


def _check_signature(
    report: VerificationReport, record: SealRecord, data: bytes | None, key: bytes | None
) -> None:
    add = report.checks.append
    if key is None:
        add(Check("signature.manifest", "not_checked", "no public key to check it with"))
    elif data is None:
        add(
            Check("signature.manifest", "not_checked", "the manifest bytes are not the sealed ones")
        )
    elif key_id(key) != record.key_id:
        add(
            Check(
                "signature.manifest",
                "failed",
                f"signed by key {record.key_id}, not by the expected key {key_id(key)}",
            )
        )
    elif not verify(key, manifest_message(data), bytes.fromhex(record.signature)):
        add(Check("signature.manifest", "failed", "the Ed25519 signature does not match"))
    else:
        add(Check("signature.manifest", "passed", f"Ed25519 by {record.key_id[:16]}…"))


def _check_inclusion(report: VerificationReport, record: SealRecord, key: bytes | None) -> None:
    add = report.checks.append
    head = record.tree_head
    proof = [bytes.fromhex(h) for h in record.inclusion_proof]
    problem = inclusion_failure(
        record.leaf_hash, record.log_index, head.size, proof, head.root_hash
    )
    if problem:
        add(
            Check("log.inclusion", "failed", f"entry {record.log_index} not in the head: {problem}")
        )
    else:
        detail = (
            f"entry {record.log_index} is in the tree of size {head.size}, root {head.root[:16]}…"
        )
        add(Check("log.inclusion", "passed", detail))
    if key is None:
        add(Check("log.tree_head", "not_checked", "no public key to check its signature with"))
        return
    failure = head.signature_failure(key)
    if failure:
        add(Check("log.tree_head", "failed", f"tree head of size {head.size}: {failure}"))
    else:
        add(Check("log.tree_head", "passed", f"size {head.size} signed at {head.timestamp}"))


def _check_timestamp(
    report: VerificationReport,
    source: EvidenceSource,
    record: SealRecord,
    roots: Sequence[bytes | x509.Certificate],
) -> None:
    add = report.checks.append
    token = source.timestamp_token()
    if token is None:
        error = source.timestamp_error()
        why = (
            f"the TSA failed at seal time ({error}); `ipwatch evidence timestamp` retries"
            if error
            else "no RFC 3161 token (no TSA configured when it was sealed)"
        )
        add(Check("timestamp", "not_checked", why))
        return
    try:
        check = verify_timestamp(token, bytes.fromhex(record.manifest_sha256), roots)
    except TimestampConfigError as exc:
        add(Check("timestamp.imprint", "not_checked", str(exc)))
        return
    when = check.gen_time.isoformat() if check.gen_time else "unknown time"
    imprint_detail = (
        f"the token covers the manifest digest, time {when}"
        if check.imprint == "passed"
        else check.detail
    )
    add(Check("timestamp.imprint", check.imprint, imprint_detail))
    if check.imprint != "passed":
        add(Check("timestamp.chain", "not_checked", "the token is for other data"))
    elif not roots:
        add(
            Check(
                "timestamp.chain",
                "not_checked",
                "TSA signature and certificate chain not checked: no TSA root certificate given "
                "(--tsa-ca FILE)",
            )
        )
    else:
        add(Check("timestamp.chain", check.signature, check.detail))


def _check_custody(
    report: VerificationReport, source: EvidenceSource, snapshot_id: str, key: bytes | None
) -> None:
    add = report.checks.append
    lines = source.custody_lines()
    if not lines:
        add(Check("custody", "not_checked", "no custody events recorded yet"))
    elif key is None:
        add(Check("custody", "not_checked", f"{len(lines)} event(s), but no key to check them"))
    else:
        problem = custody_failure(lines, snapshot_id, key)
        if problem:
            add(Check("custody", "failed", problem))
        else:
            add(Check("custody", "passed", f"{len(lines)} signed event(s), chained in order"))

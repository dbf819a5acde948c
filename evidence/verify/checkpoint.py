"""Verify against a published checkpoint: the log, or a bundled snapshot, still extends it.

The checks are ``checkpoint.*`` for a checkpoint file judged against the workspace log, and
``log.checkpoint`` for the checkpoint a bundle or WACZ carries (proven from the snapshot's
sealed tree head with the consistency proof stored beside it).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from evidence.exceptions import EvidenceError
from evidence.log.checkpoint import (
    Checkpoint,
    CheckpointError,
    log_extension_failure,
    open_checkpoint,
)
from evidence.log.merkle import consistency_failure
from evidence.log.note import NoteError, parse_note
from evidence.seal.seals import SealRecord
from evidence.timestamp import TimestampConfigError, verify_timestamp
from evidence.verify.artifacts import Check, VerificationReport

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from cryptography import x509

    from evidence.export.bundle import PartsSource
    from evidence.log.translog import TransparencyLog

CHECKPOINT, CHECKPOINT_PROOF = "checkpoint.txt", "checkpoint-proof.json"
TOKEN_SUFFIX = ".tsr"  # noqa: S105 - a file suffix: the RFC 3161 token kept beside a checkpoint


def verify_log_checkpoint(
    label: str,
    data: bytes,
    log: TransparencyLog,
    public_key: bytes | None,
    *,
    token: bytes | None = None,
    tsa_roots: Sequence[bytes | x509.Certificate] = (),
) -> VerificationReport:
    """Is ``data`` a checkpoint signed by ``public_key`` that the log on disk still extends?"""
    report = VerificationReport(f"checkpoint {label}")
    add = report.checks.append
    checkpoint = _checkpoint(report, data, public_key)
    if checkpoint is not None:
        try:
            problem = log_extension_failure(checkpoint, log)
        except EvidenceError as exc:
            problem = f"the log cannot be read to prove it: {exc}"
        if problem:
            add(Check("checkpoint.consistency", "failed", problem))
        elif public_key is None:
            detail = "the log extends it, but its signature was not checked, so that proves little"
            add(Check("checkpoint.consistency", "not_checked", detail))
        else:
            detail = (
                f"the log ({log.size} entries) extends the checkpoint's {checkpoint.size} by a "
                "Merkle consistency proof"
            )
            add(Check("checkpoint.consistency", "passed", detail))
    _check_token(report, data, token, tsa_roots)
    return report


def check_bundled_checkpoint(
    report: VerificationReport,
    part: Callable[[str], bytes | None],
    record: SealRecord,
    public_key: bytes | None,
    published: bytes | None = None,
) -> None:
    """``log.checkpoint``: the bundle's checkpoint extends the snapshot's head (and is the
    ``published`` one, when given)."""
    add = report.checks.append
    data, proof_data = part(CHECKPOINT), part(CHECKPOINT_PROOF)
    if data is None or proof_data is None:
        why = "the package carries no checkpoint (made before checkpoints existed)"
        add(Check("log.checkpoint", "failed" if published else "not_checked", why))
        return
    if public_key is None:
        add(Check("log.checkpoint", "not_checked", "no public key to check the checkpoint with"))
        return
    try:
        checkpoint = open_checkpoint(data, public_key)
        proof = _proof(proof_data, record.tree_head.size, checkpoint.size)
    except CheckpointError as exc:
        add(Check("log.checkpoint", "failed", str(exc)))
        return
    head = record.tree_head
    problem = consistency_failure(
        head.size, checkpoint.size, head.root_hash, checkpoint.root, proof
    )
    if problem:
        detail = f"the carried checkpoint does not extend the sealed head: {problem}"
        add(Check("log.checkpoint", "failed", detail))
        return
    if published is not None:
        _compare_published(report, checkpoint, published, public_key)
        return
    detail = (
        f"the sealed head (size {head.size}) is a prefix of the carried checkpoint (size "
        f"{checkpoint.size}); compare that checkpoint with the published one (--checkpoint)"
    )
    add(Check("log.checkpoint", "passed", detail))


def _compare_published(
    report: VerificationReport, carried: Checkpoint, published: bytes, public_key: bytes
) -> None:
    add = report.checks.append
    try:
        given = open_checkpoint(published, public_key)
    except CheckpointError as exc:
        add(Check("log.checkpoint", "failed", f"the given checkpoint: {exc}"))
        return
    if given == carried:
        detail = f"the snapshot's head is a prefix of the published checkpoint (size {given.size})"
        add(Check("log.checkpoint", "passed", detail))
    elif given.size == carried.size:
        detail = f"fork: the published and the carried checkpoint of size {given.size} differ"
        add(Check("log.checkpoint", "failed", detail))
    else:
        detail = (
            f"the package was checked against a checkpoint of size {carried.size}, not the given "
            f"one of size {given.size}; bundle it again with --checkpoint to prove it offline"
        )
        add(Check("log.checkpoint", "not_checked", detail))


def _checkpoint(
    report: VerificationReport, data: bytes, public_key: bytes | None
) -> Checkpoint | None:
    add = report.checks.append
    if public_key is None:
        try:
            checkpoint = Checkpoint.from_text(parse_note(data).text)
        except (NoteError, CheckpointError) as exc:
            add(Check("checkpoint.signature", "failed", str(exc)))
            return None
        add(Check("checkpoint.signature", "not_checked", "no public key to check it with"))
        return checkpoint
    try:
        checkpoint = open_checkpoint(data, public_key)
    except CheckpointError as exc:
        add(Check("checkpoint.signature", "failed", str(exc)))
        return None
    detail = f"{checkpoint.origin}, size {checkpoint.size}, signed by the given key"
    add(Check("checkpoint.signature", "passed", detail))
    return checkpoint


def _check_token(
    report: VerificationReport,
    data: bytes,
    token: bytes | None,
    roots: Sequence[bytes | x509.Certificate],
) -> None:
    add = report.checks.append
    if token is None:
        add(Check("checkpoint.timestamp", "not_checked", f"no RFC 3161 token ({TOKEN_SUFFIX})"))
        return
    try:
        check = verify_timestamp(token, hashlib.sha256(data).digest(), roots)
    except TimestampConfigError as exc:
        add(Check("checkpoint.timestamp", "not_checked", str(exc)))
        return
    when = check.gen_time.isoformat() if check.gen_time else "unknown time"
    if check.imprint != "passed":
        add(Check("checkpoint.timestamp", "failed", check.detail))
    elif not roots:
        detail = f"the token covers the checkpoint, time {when}; TSA chain not checked (--tsa-ca)"
        add(Check("checkpoint.timestamp", "not_checked", detail))
    else:
        add(Check("checkpoint.timestamp", check.signature, f"{when}: {check.detail}"))


def _proof(data: bytes, old_size: int, new_size: int) -> list[bytes]:
    try:
        value: Any = json.loads(data)
        proof = [bytes.fromhex(h) for h in value["proof"]]
        sizes = (value["old_size"], value["new_size"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{CHECKPOINT_PROOF} is unreadable ({exc})") from None
    if sizes != (old_size, new_size):
        raise CheckpointError(
            f"{CHECKPOINT_PROOF} proves sizes {sizes}, not the sealed head's {old_size} to the "
            f"checkpoint's {new_size}"
        )
    return proof


def proof_json(old_size: int, new_size: int, proof: Sequence[bytes]) -> bytes:
    """The consistency proof a package carries beside its checkpoint."""
    body = {"new_size": new_size, "old_size": old_size, "proof": [h.hex() for h in proof]}
    return json.dumps(body, sort_keys=True).encode("utf-8")


def check_source_checkpoint(
    report: VerificationReport,
    source: PartsSource,
    public_key: bytes | None,
    published: bytes | None = None,
) -> None:
    """``log.checkpoint`` for a bundle or a snapshot in a WACZ (see check_bundled_checkpoint)."""
    try:
        raw = source.seal_record_bytes()
        record = SealRecord.from_json(raw) if raw is not None else None
    except (EvidenceError, ValueError):
        record = None
    if record is None:
        report.checks.append(Check("log.checkpoint", "not_checked", "no readable seal record"))
        return
    key = public_key if public_key is not None else source.bundled_public_key()
    check_bundled_checkpoint(report, source.part, record, key, published)

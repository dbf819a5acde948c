"""Checkpoints: C2SP tlog-checkpoint notes of the log's signed heads, and rollback/fork checks."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from evidence.log.checkpoint import (
    Checkpoint,
    CheckpointError,
    log_extension_failure,
    log_origin,
    open_checkpoint,
    sign_checkpoint,
)
from evidence.log.files import ENTRIES, HEADS, LEAVES
from evidence.log.note import open_note, parse_note
from evidence.log.translog import TransparencyLog
from tests.evidence.evidence_samples import FixedClock, fixed_signer

if TYPE_CHECKING:
    from pathlib import Path


def grown_log(path: Path, size: int) -> TransparencyLog:
    log = TransparencyLog(path, clock=FixedClock())
    for i in range(size):
        log.append(f"entry {i}".encode())
    return log


def checkpoint_of(log: TransparencyLog) -> bytes:
    return sign_checkpoint(log.sign_head(fixed_signer()), fixed_signer())


def test_checkpoint_note_is_c2sp_format_and_round_trips(tmp_path: Path) -> None:
    log = grown_log(tmp_path / "log", 5)
    data = checkpoint_of(log)
    signer = fixed_signer()
    origin = log_origin(signer.public_key_raw)
    root = base64.b64encode(log.root()).decode()
    text, signature_line = data.decode().split("\n\n")
    assert text == f"{origin}\n5\n{root}"
    assert signature_line.startswith(f"\u2014 {origin} ")
    # The note opens as a plain signed note too (what a witness reads), and as a checkpoint.
    assert open_note(data, origin, signer.public_key_pem()).text == text + "\n"
    assert open_checkpoint(data, signer.public_key_pem()) == Checkpoint(origin, 5, log.root())
    assert parse_note(data).to_bytes() == data


def test_checkpoint_with_forged_size_is_rejected(tmp_path: Path) -> None:
    data = checkpoint_of(grown_log(tmp_path / "log", 5))
    forged = data.replace(b"\n5\n", b"\n4\n", 1)
    with pytest.raises(CheckpointError, match="invalid signature"):
        open_checkpoint(forged, fixed_signer().public_key_pem())


def test_checkpoint_signed_by_another_key_is_rejected_as_impersonation(tmp_path: Path) -> None:
    data = checkpoint_of(grown_log(tmp_path / "log", 2))
    other = fixed_signer(bytes(32))
    with pytest.raises(CheckpointError, match="no signature by key"):
        open_checkpoint(data, other.public_key_pem())


@pytest.mark.parametrize(
    "body",
    ["only-origin\n", "o\n-1\nAAAA\n", "o\n01\nAAAA\n", "o\n1\nnot base64!\n", "o\n1\nAAAA\n"],
    ids=["short", "negative", "leading_zero", "root_not_base64", "root_wrong_length"],
)
def test_malformed_checkpoint_bodies_are_refused(body: str) -> None:
    with pytest.raises(CheckpointError):
        Checkpoint.from_text(body)


@pytest.mark.parametrize("old", range(0, 9))
def test_the_log_extends_every_earlier_checkpoint_by_consistency_proof(
    tmp_path: Path, old: int
) -> None:
    log = grown_log(tmp_path / "log", old)
    checkpoint = open_checkpoint(checkpoint_of(log), fixed_signer().public_key_pem())
    for size in range(old, 12):
        assert log_extension_failure(checkpoint, log) is None, size
        log.append(f"later {size}".encode())


def test_rollback_of_the_newest_entry_fails_against_the_checkpoint(tmp_path: Path) -> None:
    log = grown_log(tmp_path / "log", 4)
    checkpoint = open_checkpoint(checkpoint_of(log), fixed_signer().public_key_pem())
    # The insider cuts the last entry, leaf and head: the log is whole again, one shorter.
    for name, keep in ((ENTRIES, 3), (HEADS, 0)):
        lines = (tmp_path / "log" / name).read_bytes().splitlines(keepends=True)
        (tmp_path / "log" / name).write_bytes(b"".join(lines[:keep]))
    leaves = tmp_path / "log" / LEAVES
    leaves.write_bytes(leaves.read_bytes()[: 3 * 32])
    shorter = TransparencyLog(tmp_path / "log")
    assert shorter.size == 3 and not shorter.verify()
    problem = log_extension_failure(checkpoint, shorter)
    assert problem is not None and problem.startswith("rollback: the log holds 3 entries")


def test_fork_of_a_rewritten_log_fails_against_the_checkpoint(tmp_path: Path) -> None:
    checkpoint = open_checkpoint(
        checkpoint_of(grown_log(tmp_path / "log", 4)), fixed_signer().public_key_pem()
    )
    other = grown_log(tmp_path / "other", 0)
    for i in range(6):
        other.append(f"rewritten {i}".encode())
    problem = log_extension_failure(checkpoint, other)
    assert problem is not None and problem.startswith("fork:")

"""The file-backed transparency log: proofs, signed heads, and what a crash or an edit leaves."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from evidence.exceptions import EvidenceError
from evidence.log.files import ENTRIES, HEADS, LEAVES, MAX_ENTRY_BYTES
from evidence.log.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_inclusion,
)
from evidence.log.translog import TransparencyLog
from evidence.log.tree_head import SignedTreeHead, TransparencyLogError, head_consistency_failure
from evidence.seal.signing import PASSPHRASE_ENV, generate_key

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from evidence.seal.signing import Signer

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def ticking_clock(start: datetime = T0) -> Callable[[], datetime]:
    """One second later on every call: reproducible timestamps."""
    calls = iter(range(10**9))
    return lambda: start + timedelta(seconds=next(calls))


@pytest.fixture(autouse=True)
def _no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return generate_key(tmp_path / "keys" / "ed25519.pem")


def entries(n: int) -> list[bytes]:
    return [f"manifest-{i}".encode() for i in range(n)]


def filled(path: Path, n: int) -> TransparencyLog:
    log = TransparencyLog(path, clock=ticking_clock())
    for data in entries(n):
        log.append(data)
    return log


def kinds(log: TransparencyLog, keys: list[bytes] | None = None) -> list[tuple[str, int, str]]:
    return [(p.file, p.record, p.kind) for p in log.verify(keys or [])]


def test_appends_return_index_and_leaf_hash_and_match_the_pure_functions(tmp_path: Path) -> None:
    log = TransparencyLog(tmp_path / "log")
    assert log.size == 0 and log.root() == EMPTY_ROOT
    assert not (tmp_path / "log").exists()  # reading an absent log creates nothing
    data = [*entries(20), b"", b"\x00\xff\n{}", "тест".encode()]
    for i, item in enumerate(data):
        assert log.append(item) == (i, leaf_hash(item))
    leaves = [leaf_hash(item) for item in data]
    assert log.size == len(data)
    for size in range(len(data) + 1):
        assert log.root(size) == root(leaves[:size])
    for size in (1, 7, 16, len(data)):
        for index in range(size):
            proof = log.inclusion_proof(index, size)
            assert proof == inclusion_proof(leaves[:size], index)
            assert verify_inclusion(leaves[index], index, size, proof, root(leaves[:size]))
        for old in range(size + 1):
            assert log.consistency_proof(old, size) == consistency_proof(leaves[:size], old)
    assert [log.entry(i) for i in range(len(data))] == data
    assert log.leaf_hash(3) == leaves[3]
    # The on-disk format: fixed-size leaves, one canonical JSON line per entry.
    assert (tmp_path / "log" / LEAVES).read_bytes() == b"".join(leaves)
    first = json.loads((tmp_path / "log" / ENTRIES).read_bytes().splitlines()[0])
    assert first == {
        "entry": base64.b64encode(data[0]).decode(),
        "index": 0,
        "leaf_hash": leaves[0].hex(),
    }
    assert log.verify() == []


def test_a_second_instance_sees_appends_and_a_fresh_open_rebuilds_the_same_tree(
    tmp_path: Path,
) -> None:
    writer = filled(tmp_path / "log", 5)
    reader = TransparencyLog(tmp_path / "log")
    assert reader.size == 5 and reader.root() == writer.root()
    writer.append(b"later")
    assert reader.size == 6 and reader.root() == writer.root()
    assert reader.entry(5) == b"later"
    reader.append(b"from the reader")
    assert writer.size == 7 and writer.entry(6) == b"from the reader"


def test_concurrent_appenders_in_two_processes_share_one_consistent_log(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from evidence.log.translog import TransparencyLog
        log = TransparencyLog(sys.argv[1])
        for i in range(40):
            log.append(f"{sys.argv[2]}-{i}".encode())
        """
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "log"), name])
        for name in ("a", "b")
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    log = TransparencyLog(tmp_path / "log")
    assert log.size == 80 and log.verify() == []
    got = sorted(log.entry(i) for i in range(80))
    assert got == sorted(f"{name}-{i}".encode() for name in "ab" for i in range(40))


def test_signed_tree_heads_chain_and_every_old_head_is_provably_a_prefix(
    tmp_path: Path, signer: Signer
) -> None:
    log = TransparencyLog(tmp_path / "log", clock=ticking_clock())
    signed = [log.sign_head(signer)]  # the empty log has a head too
    for data in entries(12):
        log.append(data)
        if log.size in (1, 2, 3, 5, 8, 12):
            signed.append(log.sign_head(signer))
    assert log.heads() == signed and log.latest_head() == signed[-1]
    assert [h.size for h in signed] == [0, 1, 2, 3, 5, 8, 12]
    assert signed[0].root == EMPTY_ROOT.hex()
    assert signed[1].timestamp == "2026-01-02T03:04:06Z"
    public = signer.public_key_pem()
    for head in signed:
        assert head.key_id == signer.key_id
        assert head.signature_failure(public) is None
        assert SignedTreeHead.from_json(head.to_json()) == head
        for later in signed:
            if later.size >= head.size:
                proof = log.consistency_proof(head.size, later.size)
                assert head_consistency_failure(head, later, proof, public) is None
    assert log.verify([public]) == []
    # Reopened, the log knows its latest head.
    assert TransparencyLog(tmp_path / "log").latest_head() == signed[-1]


def test_a_head_with_any_field_changed_fails_its_signature(tmp_path: Path, signer: Signer) -> None:
    log = filled(tmp_path / "log", 6)
    head = log.sign_head(signer)
    public = signer.public_key_pem()
    other_root = log.root(5).hex()
    for changed in (
        replace(head, size=5),
        replace(head, root=other_root),
        replace(head, timestamp="2026-01-02T03:04:06Z"),
        replace(head, signature=head.signature[:-1] + ("0" if head.signature[-1] != "0" else "1")),
    ):
        assert changed.signature_failure(public) == "the signature does not match the head"
    stranger = generate_key(tmp_path / "stranger.pem")
    assert "not by the given key" in (head.signature_failure(stranger.public_key_pem()) or "")
    forged = replace(head, key_id=stranger.key_id)
    assert forged.signature_failure(stranger.public_key_pem()) is not None
    # A malformed key is a reason, not an exception, so a verify report can show it.
    broken_pem = b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    assert "malformed" in (head.signature_failure(broken_pem) or "")
    # A consistency claim between heads fails on a wrong proof or a head it does not cover.
    older = SignedTreeHead.from_json(log.heads()[0].to_json())
    log.append(b"seventh")
    newer = log.sign_head(signer)
    proof = log.consistency_proof(older.size, newer.size)
    assert head_consistency_failure(older, newer, proof, public) is None
    assert "consistency" in (head_consistency_failure(older, newer, proof[1:], public) or "")
    assert "old head" in (
        head_consistency_failure(replace(older, size=5), newer, proof, public) or ""
    )


def test_head_json_must_be_canonical_and_well_formed(tmp_path: Path, signer: Signer) -> None:
    head = filled(tmp_path / "log", 2).sign_head(signer)
    text = head.to_json()
    assert text.startswith(b'{"key_id":') and b" " not in text
    value = json.loads(text)
    bad = [
        json.dumps(value, indent=1).encode(),  # re-encoded
        json.dumps({**value, "extra": 1}, sort_keys=True, separators=(",", ":")).encode(),
        json.dumps({**value, "size": -1}, sort_keys=True, separators=(",", ":")).encode(),
        json.dumps(
            {**value, "root": value["root"].upper()}, sort_keys=True, separators=(",", ":")
        ).encode(),
        json.dumps(
            {**value, "timestamp": "yesterday"}, sort_keys=True, separators=(",", ":")
        ).encode(),
        b"not json",
        b" " * 5000,
    ]
    for data in bad:
        with pytest.raises(TransparencyLogError):
            SignedTreeHead.from_json(data)


def test_the_clock_may_not_run_backwards_between_heads(tmp_path: Path, signer: Signer) -> None:
    moments = iter([T0, T0 - timedelta(seconds=1), T0])
    log = TransparencyLog(tmp_path / "log", clock=lambda: next(moments))
    log.append(b"a")
    log.sign_head(signer)
    with pytest.raises(TransparencyLogError, match="before the last tree head"):
        log.sign_head(signer)
    assert len(log.heads()) == 1
    assert log.sign_head(signer).timestamp == log.heads()[0].timestamp  # equal time is fine


def test_verify_names_signatures_from_unknown_or_wrong_keys(tmp_path: Path, signer: Signer) -> None:
    log = filled(tmp_path / "log", 3)
    log.sign_head(signer)
    stranger = generate_key(tmp_path / "stranger.pem")
    log.append(b"d")
    log.sign_head(stranger)
    assert kinds(log) == []  # no key given: signatures are not checked (the caller says so)
    assert kinds(log, [signer.public_key_pem()]) == [(HEADS, 2, "bad_signature")]
    both = [signer.public_key_pem(), stranger.public_key_raw]
    assert kinds(log, both) == []
    assert kinds(log, [b"garbage"]) == [("public key", 1, "bad_signature")]


# --- crashes: what an interrupted append or signing leaves, detected and cut only on request ---


def test_torn_entry_line_is_refused_until_recovered(tmp_path: Path) -> None:
    log = filled(tmp_path / "log", 4)
    good_root = log.root()
    with open(tmp_path / "log" / ENTRIES, "ab") as fh:
        fh.write(b'{"entry":"bWFuaWZl')  # the crash hit mid-line
    for action in (lambda: log.size, lambda: log.append(b"next"), lambda: log.root()):
        with pytest.raises(TransparencyLogError, match=r"damaged \(the line is cut short"):
            action()
    assert kinds(log) == [(ENTRIES, 5, "torn_record"), (LEAVES, 5, "count_mismatch")]
    assert log.recover() == [f"{ENTRIES}: a last line cut short (18 bytes)"]
    assert log.size == 4 and log.root() == good_root and log.verify() == []
    assert log.append(b"next") == (4, leaf_hash(b"next"))


def test_entry_written_but_leaf_hash_missing_is_an_unfinished_append(tmp_path: Path) -> None:
    filled(tmp_path / "log", 5)
    leaves_file = tmp_path / "log" / LEAVES
    leaves_file.write_bytes(leaves_file.read_bytes()[:-32])  # crash between the two writes
    fresh = TransparencyLog(tmp_path / "log")
    with pytest.raises(TransparencyLogError, match=r"entry 4 .* has no leaf hash"):
        fresh.append(b"x")
    assert kinds(fresh) == [(LEAVES, 5, "count_mismatch")]
    assert fresh.recover() == [f"{ENTRIES}: entry 4, whose append never finished"]
    assert fresh.size == 4 and fresh.root() == root([leaf_hash(e) for e in entries(4)])
    assert fresh.verify() == []


def test_torn_leaf_hash_is_cut_with_its_entry(tmp_path: Path) -> None:
    log = filled(tmp_path / "log", 3)
    leaves_file = tmp_path / "log" / LEAVES
    leaves_file.write_bytes(leaves_file.read_bytes()[:-20])
    with pytest.raises(TransparencyLogError, match="torn leaf hash"):
        log.inclusion_proof(0)
    assert (LEAVES, 3, "torn_record") in kinds(log)
    assert log.recover() == [
        f"{LEAVES}: a torn leaf hash of 12 bytes",
        f"{ENTRIES}: entry 2, whose append never finished",
    ]
    assert log.size == 2 and log.verify() == []


def test_torn_tree_head_is_refused_until_recovered(tmp_path: Path, signer: Signer) -> None:
    log = filled(tmp_path / "log", 3)
    first = log.sign_head(signer)
    log.append(b"d")
    log.sign_head(signer)
    heads_file = tmp_path / "log" / HEADS
    heads_file.write_bytes(heads_file.read_bytes()[:-30])
    with pytest.raises(TransparencyLogError, match="torn tree head"):
        log.sign_head(signer)
    assert kinds(log) == [(HEADS, 2, "torn_record")]
    assert len(log.recover()) == 1
    assert log.heads() == [first] and log.latest_head() == first


def test_edits_are_reported_by_verify_and_never_cut_by_recover(
    tmp_path: Path, signer: Signer
) -> None:
    log = filled(tmp_path / "log", 6)
    log.sign_head(signer)
    entries_file = tmp_path / "log" / ENTRIES
    lines = entries_file.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[2])
    record["entry"] = base64.b64encode(b"manifest-X").decode()  # same length, different bytes
    lines[2] = json.dumps(record, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    entries_file.write_bytes(b"".join(lines))
    assert kinds(log) == [(ENTRIES, 3, "bad_record")]
    assert log.size == 6  # the tail is intact, so the log still serves proofs...
    with pytest.raises(TransparencyLogError, match="does not match its leaf hash"):
        log.entry(2)  # ...but never hands out the altered entry
    # A flipped bit in the leaf file changes the root: entry and head checks both catch it.
    leaves_file = tmp_path / "log" / LEAVES
    raw = bytearray(leaves_file.read_bytes())
    raw[32 * 1] ^= 0x01
    leaves_file.write_bytes(bytes(raw))
    found = kinds(TransparencyLog(tmp_path / "log"))
    assert (ENTRIES, 2, "wrong_leaf_hash") in found and (HEADS, 1, "head_mismatch") in found
    # Damage to the last record is not a torn write: recover refuses to touch it.
    lines[-1] = lines[-1].replace(b'"index":5', b'"index":9')
    entries_file.write_bytes(b"".join(lines))
    with pytest.raises(TransparencyLogError, match="restore the log from a backup"):
        TransparencyLog(tmp_path / "log").recover()


def test_swapped_heads_are_out_of_order(tmp_path: Path, signer: Signer) -> None:
    log = filled(tmp_path / "log", 2)
    log.sign_head(signer)
    log.append(b"c")
    log.sign_head(signer)
    log.append(b"d")
    log.sign_head(signer)
    heads_file = tmp_path / "log" / HEADS
    first, second, third = heads_file.read_bytes().splitlines(keepends=True)
    heads_file.write_bytes(second + first + third)
    assert kinds(log, [signer.public_key_raw]) == [(HEADS, 2, "head_order")]


def test_entries_are_bounded_bytes(tmp_path: Path) -> None:
    log = TransparencyLog(tmp_path / "log")
    with pytest.raises(TransparencyLogError, match="log a digest of it instead"):
        log.append(b"x" * (MAX_ENTRY_BYTES + 1))
    with pytest.raises(TransparencyLogError, match="bytes, not str"):
        log.append("text")  # type: ignore[arg-type]
    with pytest.raises(EvidenceError, match="out of range"):
        log.inclusion_proof(0)
    assert log.size == 0

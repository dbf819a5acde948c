"""C2SP signed notes, checked against the Go reference implementation's published vectors.

The key, text and signatures are those of golang.org/x/mod/sumdb/note's note_test.go: a note we
sign must be byte-for-byte the one Go signs, and one Go signed must open here.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence.log.note import (
    MAX_SIGNATURES,
    NoteError,
    note_key_id,
    open_note,
    parse_note,
    sign_note,
    verifier_key,
)
from evidence.seal.signing import Signer

GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_B64 = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
PETER_SIG = f"\u2014 PeterNeumann {PETER_B64}\n"
ENOCH_SIG = (
    "\u2014 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)
GO_NOTE = (GO_TEXT + "\n" + PETER_SIG).encode("utf-8")


def go_signer() -> Signer:
    seed = base64.b64decode(GO_SKEY.split("+", 4)[4])[1:]  # drop the 0x01 type byte
    return Signer(Ed25519PrivateKey.from_private_bytes(seed))


def peter_public_key() -> bytes:
    return base64.b64decode(GO_VKEY.split("+", 2)[2])[1:]


def test_key_id_and_verifier_key_match_go() -> None:
    assert note_key_id("PeterNeumann", peter_public_key()).hex() == "c74f20a3"
    assert verifier_key("PeterNeumann", go_signer().public_key_raw) == GO_VKEY


def test_signing_matches_go_byte_for_byte() -> None:
    assert sign_note(GO_TEXT, "PeterNeumann", go_signer()) == GO_NOTE


def test_a_note_go_signed_opens_and_foreign_signatures_are_ignored() -> None:
    data = (GO_TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode("utf-8")
    note = open_note(data, "PeterNeumann", peter_public_key())
    assert note.text == GO_TEXT
    assert [s.name for s in note.signatures] == ["PeterNeumann", "EnochRoot"]


def test_round_trip_with_a_pem_key(tmp_path) -> None:
    signer = go_signer()
    data = sign_note("example.org/log\n3\nabc=\n", "example.org/log", signer)
    note = open_note(data, "example.org/log", signer.public_key_pem())
    assert note.text == "example.org/log\n3\nabc=\n"
    assert parse_note(data).to_bytes() == data


@pytest.mark.parametrize(
    "tamper",
    [
        lambda n: n.replace(b"answer", b"Answer"),  # text changed after signing
        lambda n: n.replace(b"x08go/ZJ", b"x08go/ZK"),  # signature bytes changed
    ],
    ids=["forged_text", "forged_signature"],
)
def test_tampered_note_is_rejected_as_forgery(tamper) -> None:
    with pytest.raises(NoteError, match="invalid signature for key PeterNeumann"):
        open_note(tamper(GO_NOTE), "PeterNeumann", peter_public_key())


def test_note_signed_by_another_key_is_rejected_as_impersonation() -> None:
    other = Signer(Ed25519PrivateKey.from_private_bytes(bytes(32)))
    data = sign_note(GO_TEXT, "PeterNeumann", other)  # same name, another key
    with pytest.raises(NoteError, match="no signature by key PeterNeumann\\+c74f20a3"):
        open_note(data, "PeterNeumann", peter_public_key())


@pytest.mark.parametrize(
    "message",
    [
        GO_TEXT,
        GO_TEXT + "\n",
        GO_TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + GO_TEXT + "\n" + PETER_SIG,
        GO_TEXT + "\n" + f"\u2014 Bad Name {PETER_B64}\n",
        GO_TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        GO_TEXT + "\n" + PETER_SIG * (MAX_SIGNATURES + 1),
    ],
    ids=[
        "no_sigs",
        "blank_only",
        "no_final_newline",
        "control_char",
        "bad_name",
        "stray_line",
        "signature_flood",
    ],
)
def test_malformed_notes_are_refused_as_go_refuses_them(message: str) -> None:
    with pytest.raises(NoteError):
        open_note(message.encode("utf-8"), "PeterNeumann", peter_public_key())


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(NoteError, match="UTF-8"):
        parse_note(b"\xff" + GO_NOTE)

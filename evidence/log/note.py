"""C2SP signed notes (c2sp.org/signed-note): text signed by named Ed25519 keys.

The format Go's checksum database, Sigstore and sigsum witnesses read. A note is UTF-8 text
ending in a newline, a blank line, then one line per signature:
``— <key name> <base64(4-byte key id || 64-byte Ed25519 signature)>``. The key id is the first
four bytes of SHA-256(key name || 0x0A || 0x01 || public key), so a signature names its key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization

from evidence.exceptions import EvidenceError
from evidence.seal.signing import SigningKeyError, load_public_key, verify

if TYPE_CHECKING:
    from evidence.seal.signing import Signer

ED25519_TYPE = b"\x01"  # the signature type byte the spec gives Ed25519
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_NOTE_BYTES = 1024 * 1024  # a checkpoint is a few hundred bytes; this bounds a hostile file
MAX_SIGNATURES = 100  # Go's note.Open refuses more, so do we


class NoteError(EvidenceError, ValueError):
    """A note is malformed, or no signature in it verifies against the key given."""


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: who (name and 4-byte key id) and the raw Ed25519 signature."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        encoded = base64.b64encode(self.key_id + self.signature).decode("ascii")
        return f"{SIGNATURE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True)
class Note:
    """The signed text and every well-formed signature line on it, verified or not."""

    text: str
    signatures: tuple[NoteSignature, ...]

    def to_bytes(self) -> bytes:
        lines = "".join(s.line() for s in self.signatures)
        return (self.text + "\n" + lines).encode("utf-8")


def check_key_name(name: str) -> None:
    """A key name is non-empty UTF-8 with no whitespace and no plus sign (the spec's rule)."""
    if not name or any(ch.isspace() or ch == "+" for ch in name):
        raise NoteError(f"key name {name[:80]!r} must be non-empty, without spaces or '+'")


def raw_public_key(public_key: bytes | str) -> bytes:
    """The 32 raw bytes of an Ed25519 public key given raw or as PEM."""
    return load_public_key(public_key).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def note_key_id(name: str, public_key: bytes | str) -> bytes:
    """SHA-256(name || 0x0A || 0x01 || public key)[:4]: binds a signature to name and key."""
    check_key_name(name)
    raw = raw_public_key(public_key)
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519_TYPE + raw).digest()[:4]


def verifier_key(name: str, public_key: bytes | str) -> str:
    """The ``name+hex(key id)+base64(0x01 || key)`` text Go's note.NewVerifier reads."""
    raw = raw_public_key(public_key)
    key_hash = note_key_id(name, raw).hex()
    return f"{name}+{key_hash}+{base64.b64encode(ED25519_TYPE + raw).decode('ascii')}"


def sign_note(text: str, name: str, signer: Signer) -> bytes:
    """The signed note: ``text`` (one or more lines, each ending in a newline) and one line."""
    _check_text(text)
    signature = NoteSignature(
        name, note_key_id(name, signer.public_key_raw), signer.sign(text.encode("utf-8"))
    )
    return Note(text, (signature,)).to_bytes()


def parse_note(data: bytes) -> Note:
    """Split a note into text and signature lines; a malformed one raises ``NoteError``."""
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError(f"a signed note is at most {MAX_NOTE_BYTES} bytes, this is {len(data)}")
    try:
        message = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("a signed note must be UTF-8") from None
    if any(ch < " " and ch != "\n" for ch in message):
        raise NoteError("a signed note must not hold control characters other than newline")
    split = message.rfind("\n\n")
    if split < 0 or not message.endswith("\n"):
        raise NoteError("malformed note: no blank line before the signatures, or no final newline")
    text, lines = message[: split + 1], message[split + 2 :].removesuffix("\n").split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    return Note(text, tuple(_parse_signature(line) for line in lines))


def open_note(data: bytes, name: str, public_key: bytes | str) -> Note:
    """Parse ``data`` and check the signature by key (``name``, ``public_key``); returns it.

    Signatures by other keys are ignored, as the spec says; one by this key that does not
    verify rejects the note.
    """
    note = parse_note(data)
    try:
        expected = note_key_id(name, public_key)
    except SigningKeyError as exc:
        raise NoteError(str(exc)) from None
    ours = [s for s in note.signatures if s.name == name and s.key_id == expected]
    if not ours:
        found = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in note.signatures)
        raise NoteError(
            f"no signature by key {name}+{expected.hex()} (the note is signed by {found})"
        )
    for signature in ours:
        if not verify(public_key, note.text.encode("utf-8"), signature.signature):
            raise NoteError(f"invalid signature for key {name}+{expected.hex()}")
    return note


def _parse_signature(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError(f"malformed note: {line[:40]!r} is not a signature line")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    check_key_name(name)
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"malformed note: the signature by {name} is not base64") from None
    if len(raw) <= 4:
        raise NoteError(f"malformed note: the signature by {name} is too short")
    return NoteSignature(name, raw[:4], raw[4:])


def _check_text(text: str) -> None:
    if not text.endswith("\n") or "\n\n" in text or text.startswith("\n"):
        raise NoteError("note text must be non-empty lines, each ending in a newline")
    if any(ch < " " and ch != "\n" for ch in text):
        raise NoteError("note text must not hold control characters other than newline")

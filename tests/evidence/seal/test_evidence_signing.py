"""Ed25519 keys on disk: private by mode, never overwritten by accident, verifiable from PEM."""

from __future__ import annotations

import hashlib
import stat
from typing import TYPE_CHECKING

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key

from evidence.exceptions import EvidenceError
from evidence.seal.signing import (
    PASSPHRASE_ENV,
    KeyExistsError,
    SigningKeyError,
    generate_key,
    key_id,
    load_public_key,
    load_signer,
    verify,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)


def test_generate_writes_a_private_pem_that_loads_back(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "ed25519.pem"
    signer = generate_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0  # a new keys folder is private
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert not list(path.parent.glob(".key-*"))  # no temporary file left behind
    loaded = load_signer(path)
    assert loaded.key_id == signer.key_id
    assert loaded.public_key_pem() == signer.public_key_pem()
    assert signer.public_key_pem().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert len(signer.public_key_raw) == 32
    assert signer.key_id == hashlib.sha256(signer.public_key_raw).hexdigest()
    assert key_id(signer.public_key_pem()) == signer.key_id
    assert key_id(signer.public_key_pem().decode()) == signer.key_id


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "ed25519.pem"
    first = generate_key(path)
    before = path.read_bytes()
    with pytest.raises(KeyExistsError, match="already exists") as info:
        generate_key(path)
    assert isinstance(info.value, EvidenceError)
    assert path.read_bytes() == before
    second = generate_key(path, force=True)
    assert second.key_id != first.key_id
    assert load_signer(path).key_id == second.key_id
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_signatures_verify_with_pem_or_raw_public_key_only(tmp_path: Path) -> None:
    signer = generate_key(tmp_path / "k.pem")
    message = b"manifest bytes"
    signature = signer.sign(message)
    assert len(signature) == 64
    assert signer.sign(message) == signature  # Ed25519 is deterministic
    for public in (
        signer.public_key_pem(),
        signer.public_key_pem().decode(),
        signer.public_key_raw,
    ):
        assert verify(public, message, signature) is True
    assert verify(signer.public_key_raw, message + b".", signature) is False
    assert verify(signer.public_key_raw, message, signature[:-1]) is False
    assert verify(signer.public_key_raw, message, b"") is False
    assert verify(signer.public_key_raw, message, signature.hex()) is False  # type: ignore[arg-type]
    for i in range(len(signature)):
        flipped = signature[:i] + bytes([signature[i] ^ 1]) + signature[i + 1 :]
        assert verify(signer.public_key_raw, message, flipped) is False
    other = generate_key(tmp_path / "other.pem")
    assert verify(other.public_key_pem(), message, signature) is False


def test_malformed_public_keys_raise_a_clear_error(tmp_path: Path) -> None:
    signer = generate_key(tmp_path / "k.pem")
    pem = signer.public_key_pem()
    ec_pem = (
        generate_private_key(SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    cases = {
        b"": "neither PEM nor 32 raw bytes",
        b"x" * 31: "neither PEM nor 32 raw bytes",
        pem.replace(b"MCow", b"MCox"): "malformed",
        pem[:40]: "malformed",
        ec_pem: "not Ed25519",
        (tmp_path / "k.pem").read_bytes(): "that is a private key",
    }
    for bad, reason in cases.items():
        with pytest.raises(SigningKeyError, match=reason):
            verify(bad, b"m", signer.sign(b"m"))
    with pytest.raises(SigningKeyError, match="not int"):
        load_public_key(7)  # type: ignore[arg-type]


def test_load_signer_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match="ipwatch keys init"):
        load_signer(tmp_path / "missing.pem")
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    with pytest.raises(SigningKeyError, match="not a readable PEM private key"):
        load_signer(garbage)
    ec = tmp_path / "ec.pem"
    ec.write_bytes(
        generate_private_key(SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(SigningKeyError, match="not an Ed25519 key"):
        load_signer(ec)


def test_passphrase_from_the_environment_encrypts_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "enc.pem"
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse")
    signer = generate_key(path)
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert load_signer(path).key_id == signer.key_id
    monkeypatch.setenv(PASSPHRASE_ENV, "wrong horse")
    with pytest.raises(SigningKeyError, match="is wrong"):
        load_signer(path)
    monkeypatch.delenv(PASSPHRASE_ENV)
    with pytest.raises(SigningKeyError, match=f"set {PASSPHRASE_ENV}"):
        load_signer(path)
    assert load_signer(path, passphrase=b"correct horse").key_id == signer.key_id
    plain = generate_key(tmp_path / "plain.pem")
    with pytest.raises(SigningKeyError, match="not encrypted"):
        load_signer(tmp_path / "plain.pem", passphrase=b"x")
    assert plain.key_id != signer.key_id

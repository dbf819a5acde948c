"""Ed25519 signing keys: create, load, sign, and verify with nothing but the public key."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from evidence.exceptions import EvidenceError
from evidence.storage.durable import fsync_dir

PASSPHRASE_ENV = "IPWATCH_KEY_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret
KEY_FILE_MODE = 0o600
RAW_PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64
_MAX_KEY_FILE = 64 * 1024  # a PEM Ed25519 key is a few hundred bytes


class SigningKeyError(EvidenceError, ValueError):
    """A key file or public key is missing, malformed, encrypted without a passphrase, or not
    Ed25519."""


class KeyExistsError(SigningKeyError, FileExistsError):
    """``generate_key`` would overwrite a key whose signatures may already be in sealed evidence."""


class Signer:
    """An Ed25519 private key with the identity (``key_id``) recorded next to each signature."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key_raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id(self.public_key_raw)

    def public_key_pem(self) -> bytes:
        """SubjectPublicKeyInfo PEM: what a verifier needs, safe to publish."""
        return self._private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message`` (deterministic: same key, same bytes)."""
        return self._private_key.sign(bytes(message))

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id[:16]}…)"


def key_id(public_key: bytes | str) -> str:
    """Hex SHA-256 of the raw 32-byte public key; accepts raw bytes or a PEM public key."""
    raw = load_public_key(public_key).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()


def passphrase_from_env() -> bytes | None:
    """The key passphrase from ``$IPWATCH_KEY_PASSPHRASE``, if set and non-empty."""
    value = os.environ.get(PASSPHRASE_ENV, "")
    return value.encode("utf-8") if value else None


def generate_key(
    path: Path | str, *, force: bool = False, passphrase: bytes | None = None
) -> Signer:
    """Write a new PEM private key readable only by its owner (0600); refuse to overwrite.

    ``passphrase`` defaults to ``$IPWATCH_KEY_PASSPHRASE``; when given the PEM is encrypted.
    """
    target = Path(path)
    if target.exists() and not force:
        raise KeyExistsError(
            f"a signing key already exists at {target}; keep it (evidence sealed with it verifies "
            "only against its public key) or pass force=True / --force to replace it"
        )
    private_key = Ed25519PrivateKey.generate()
    save_private_key(private_key, target, passphrase, replace=force)
    return Signer(private_key)


def load_signer(path: Path | str, *, passphrase: bytes | None = None) -> Signer:
    """Load the private key at ``path``; ``passphrase`` defaults to ``$IPWATCH_KEY_PASSPHRASE``."""
    source = Path(path)
    try:
        with open(source, "rb") as fh:
            data = fh.read(_MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise SigningKeyError(
            f"no signing key at {source}; create one with `ipwatch keys init`"
        ) from None
    except OSError as exc:
        raise SigningKeyError(f"cannot read the signing key {source}: {exc.strerror}") from None
    if len(data) > _MAX_KEY_FILE:
        raise SigningKeyError(f"{source} is far too large to be an Ed25519 key file")
    secret = passphrase if passphrase is not None else passphrase_from_env()
    try:
        key = serialization.load_pem_private_key(data, password=secret)
    except TypeError:
        if secret is None:
            raise SigningKeyError(
                f"{source} is encrypted; set {PASSPHRASE_ENV} to its passphrase"
            ) from None
        raise SigningKeyError(
            f"{source} is not encrypted, but a passphrase was given; unset {PASSPHRASE_ENV}"
        ) from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        hint = f" or {PASSPHRASE_ENV} is wrong" if secret else ""
        raise SigningKeyError(f"{source} is not a readable PEM private key{hint} ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            f"{source} holds a {type(key).__name__}, not an Ed25519 key; "
            "create one with `ipwatch keys init --force`"
        )
    return Signer(key)


def load_public_key(public_key: bytes | str) -> Ed25519PublicKey:
    """A PEM public key (text or bytes) or the raw 32 bytes; anything else is a clear error."""
    if isinstance(public_key, str):
        public_key = public_key.encode("ascii", errors="replace")
    if not isinstance(public_key, bytes | bytearray):
        raise SigningKeyError(
            f"a public key must be PEM text or 32 raw bytes, not {type(public_key).__name__}"
        )
    data = bytes(public_key)
    if len(data) == RAW_PUBLIC_KEY_SIZE and not data.startswith(b"-----"):
        try:
            return Ed25519PublicKey.from_public_bytes(data)
        except ValueError as exc:
            raise SigningKeyError(f"raw public key is not a valid Ed25519 key ({exc})") from None
    if len(data) > _MAX_KEY_FILE or b"-----BEGIN" not in data:
        raise SigningKeyError(
            f"public key is neither PEM nor {RAW_PUBLIC_KEY_SIZE} raw bytes ({len(data)} bytes); "
            "export it with `ipwatch keys export`"
        )
    if b"PRIVATE KEY" in data:
        raise SigningKeyError(
            "that is a private key; give verifiers the public key from `ipwatch keys export`"
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError(f"public key PEM is malformed ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"public key is a {type(key).__name__}, not Ed25519")
    return key


def verify(public_key: bytes | str, message: bytes, signature: bytes) -> bool:
    """True only for a valid signature; a wrong one is False, a malformed key raises."""
    key = load_public_key(public_key)
    if not isinstance(signature, bytes | bytearray) or len(signature) != SIGNATURE_SIZE:
        return False
    if not isinstance(message, bytes | bytearray):
        return False
    try:
        key.verify(bytes(signature), bytes(message))
    except InvalidSignature:
        return False
    return True


def save_private_key(
    key: PrivateKeyTypes, target: Path, passphrase: bytes | None, *, replace: bool
) -> None:
    """PKCS#8 PEM of ``key``, encrypted with ``passphrase`` (else ``$IPWATCH_KEY_PASSPHRASE``,
    else not), written 0600 into a 0700 folder (see ``write_private_key``)."""
    secret = passphrase if passphrase is not None else passphrase_from_env()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(secret) if secret else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private_key(target, pem, replace=replace)


def write_private_key(target: Path, pem: bytes, *, replace: bool) -> None:
    """Write a 0600 file beside the target, fsync it, then link or rename it into place.

    Others never see a readable or half-written key, and a crash leaves the old key or the
    new one. Without ``replace`` the hard link fails if a key appeared meanwhile.
    """
    fd, tmp = tempfile.mkstemp(prefix=".key-", dir=target.parent)  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), KEY_FILE_MODE)  # exact, whatever the umask
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise KeyExistsError(
                    f"a signing key appeared at {target} meanwhile; not overwriting it"
                ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    fsync_dir(target.parent)

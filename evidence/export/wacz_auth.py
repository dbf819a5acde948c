"""WACZ Auth 0.1.0 anonymous signatures, so spec tools show an exported package as signed.

``datapackage-digest.json`` carries ``signedData``: ``hash`` (of datapackage.json), ``created``,
``software``, ``version``, ``signature`` and ``publicKey``. The verifier that reads anonymous
signatures, ReplayWeb.page (wabac.js ``verifyWACZSignature``), imports ``publicKey`` as a
base64 SubjectPublicKeyInfo on ECDSA P-384 and checks ``signature`` with WebCrypto: ECDSA with
SHA-256 over the UTF-8 bytes of ``hash``, the signature as raw r||s (IEEE P1363), not DER. So
the key is P-384, not the P-256 the issue assumed: a P-256 key fails that import.

The key is the workspace's second key (``keys/wacz-ecdsa.pem``, mode 0600, encrypted with
``$IPWATCH_KEY_PASSPHRASE`` like the Ed25519 key). The spec leaves trust in ``publicKey`` to
"external key management": ipwatch's Ed25519 signature over the digest names this key, so a
verifier holding the published Ed25519 key knows the ECDSA key is ours.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from evidence.seal.signing import (
    PASSPHRASE_ENV,
    KeyExistsError,
    SigningKeyError,
    passphrase_from_env,
    save_private_key,
)
from evidence.timestamp.token import parse_timestamp_token, timestamp_response

if TYPE_CHECKING:
    from collections.abc import Callable

AUTH_VERSION = "0.1.0"
CURVE = ec.SECP384R1()
_SCALAR = 48  # bytes of r and of s on P-384
_MAX_KEY_FILE = 64 * 1024
_MAX_FIELD = 4096  # publicKey and signature are a few hundred base64 characters


class WaczSigner:
    """The workspace's ECDSA P-384 key, signing datapackage hashes the way the spec reads them."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP384R1):
            raise SigningKeyError(
                f"the WACZ signing key is on {private_key.curve.name}, not secp384r1"
            )
        self._key = private_key
        self.public_key_spki = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.key_id = hashlib.sha256(self.public_key_spki).hexdigest()

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(self.public_key_spki).decode("ascii")

    def public_key_pem(self) -> bytes:
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def signed_data(self, hash_label: str, created: str, software: str) -> dict[str, str]:
        """The spec's anonymous ``signedData`` for ``hash_label`` (``sha256:<hex>``)."""
        # RFC 6979 nonces: the same package signs to the same bytes, as sealed evidence does
        algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
        der = self._key.sign(hash_label.encode("utf-8"), algorithm)
        r, s = decode_dss_signature(der)
        raw = r.to_bytes(_SCALAR, "big") + s.to_bytes(_SCALAR, "big")
        return {
            "hash": hash_label,
            "created": created,
            "software": software,
            "version": AUTH_VERSION,
            "signature": base64.b64encode(raw).decode("ascii"),
            "publicKey": self.public_key_b64,
        }

    def __repr__(self) -> str:
        return f"WaczSigner(key_id={self.key_id[:16]}…)"


def add_time_signature(signed: dict[str, str], stamp: Callable[[bytes], bytes]) -> None:
    """Add the spec's optional RFC 3161 ``timeSignature`` over ``signature``, and its chain.

    As authsign makes it: the TSA countersigns SHA-256 of the base64 ``signature`` text;
    ``timeSignature`` is the base64 TimeStampResp, ``timestampCert`` the token's certificates
    (PEM). ``stamp`` takes the 32-byte digest and returns the token (TimestampError on failure).
    """
    digest = hashlib.sha256(signed["signature"].encode("ascii")).digest()
    token = parse_timestamp_token(stamp(digest))
    signed["timeSignature"] = base64.b64encode(timestamp_response(token.der)).decode("ascii")
    signed["timestampCert"] = "".join(
        x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()
        for der in token.certificates
    )


def verify_signed_data(signed: Any) -> bool:
    """True when ``signature`` is ``publicKey``'s ECDSA P-384 signature of ``hash``.

    Checks exactly what ReplayWeb.page checks; whether ``publicKey`` is trusted is the caller's
    question. Malformed input is False, never an exception.
    """
    if not isinstance(signed, dict):
        return False
    fields = [signed.get(k) for k in ("hash", "signature", "publicKey")]
    texts = [f for f in fields if isinstance(f, str) and 0 < len(f) <= _MAX_FIELD]
    if len(texts) != len(fields):
        return False
    hash_label, signature, public_key = texts
    try:
        raw = base64.b64decode(signature, validate=True)
        key = serialization.load_der_public_key(base64.b64decode(public_key, validate=True))
    except (binascii.Error, ValueError, UnsupportedAlgorithm):
        return False
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP384R1):
        return False
    if len(raw) != 2 * _SCALAR:
        return False
    der = encode_dss_signature(
        int.from_bytes(raw[:_SCALAR], "big"), int.from_bytes(raw[_SCALAR:], "big")
    )
    try:
        key.verify(der, hash_label.encode("utf-8"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def generate_wacz_key(path: Path | str, *, passphrase: bytes | None = None) -> WaczSigner:
    """Write a new P-384 key (0600; encrypted when a passphrase is given or set); never replaces."""
    target = Path(path)
    if target.exists():
        raise KeyExistsError(f"a WACZ signing key already exists at {target}; keep it")
    key = ec.generate_private_key(CURVE)
    save_private_key(key, target, passphrase, replace=False)
    return WaczSigner(key)


def load_wacz_key(path: Path | str, *, passphrase: bytes | None = None) -> WaczSigner:
    """Load the P-384 key at ``path``; ``passphrase`` defaults to ``$IPWATCH_KEY_PASSPHRASE``."""
    source = Path(path)
    try:
        with open(source, "rb") as fh:
            data = fh.read(_MAX_KEY_FILE + 1)
    except OSError as exc:
        raise SigningKeyError(
            f"cannot read the WACZ signing key {source}: {exc.strerror}"
        ) from None
    if len(data) > _MAX_KEY_FILE:
        raise SigningKeyError(f"{source} is far too large to be an ECDSA key file")
    secret = (passphrase if passphrase is not None else passphrase_from_env()) or None
    try:
        key = serialization.load_pem_private_key(data, password=secret)
    except TypeError:
        raise SigningKeyError(
            f"{source} and {PASSPHRASE_ENV} disagree: set it to the key's passphrase, or unset "
            "it for an unencrypted key"
        ) from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError(f"{source} is not a readable PEM private key ({exc})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningKeyError(f"{source} holds a {type(key).__name__}, not an ECDSA P-384 key")
    return WaczSigner(key)


def wacz_key(path: Path | str) -> WaczSigner:
    """The key at ``path``, made on first use (another process making it first is fine)."""
    target = Path(path)
    if target.exists():
        return load_wacz_key(target)
    try:
        return generate_wacz_key(target)
    except KeyExistsError:
        return load_wacz_key(target)

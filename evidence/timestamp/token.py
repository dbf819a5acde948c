"""An RFC 3161 TimeStampToken: parse it, and check its imprint, signature and chain to a root."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import rfc3161_client as tsp
from cryptography import x509

from config.timestamp import TimestampSettingsError
from config.timestamp import load_certificates as load_settings_certificates
from evidence.timestamp.der import _as_reply, _split_reply
from evidence.timestamp.errors import MalformedTimestampError, TimestampConfigError

CheckStatus = Literal["passed", "failed", "not_checked"]
SHA256_OID = "2.16.840.1.101.3.4.2.1"
MAX_REPLY_BYTES = 256 * 1024
_GRANTED = bytes.fromhex("3003020100")  # PKIStatusInfo { status granted }


@dataclass(frozen=True)
class TimestampToken:
    """A TimeStampToken (CMS SignedData, the TSA's exact DER) and what it asserts."""

    der: bytes = field(repr=False)
    gen_time: datetime
    serial_number: int
    policy_oid: str
    hash_oid: str
    hashed_message: bytes
    nonce: int | None
    tsa_name: str | None
    signer: str | None  # subject of the embedded certificate the SignerInfo names
    certificates: tuple[bytes, ...] = field(default=(), repr=False)  # embedded, DER


@dataclass(frozen=True)
class TimestampCheck:
    """Overall status plus its two parts; `passed` only when both parts really passed."""

    status: CheckStatus
    detail: str
    imprint: CheckStatus
    signature: CheckStatus  # CMS signature, chain to a given root, EKU timeStamping
    token: TimestampToken | None = None

    @property
    def gen_time(self) -> datetime | None:
        return self.token.gen_time if self.token else None


def timestamp_response(token_der: bytes) -> bytes:
    """The TimeStampResp (status granted) around a token: what RFC 3161 clients such as
    authsign and rfc3161ng store as a WACZ ``timeSignature``."""
    return _as_reply(_GRANTED, token_der)


def token_of_response(response_der: bytes) -> bytes:
    """The TimeStampToken inside a TimeStampResp; MalformedTimestampError if there is none."""
    if len(response_der) > MAX_REPLY_BYTES:
        raise MalformedTimestampError(f"reply is {len(response_der)} bytes, over {MAX_REPLY_BYTES}")
    _status, token = _split_reply(response_der)
    if not token:
        raise MalformedTimestampError("the reply holds no timestamp token")
    return token


def parse_timestamp_token(token_der: bytes) -> TimestampToken:
    """Decode a TimeStampToken; MalformedTimestampError if it is not one."""
    if len(token_der) > MAX_REPLY_BYTES:
        raise MalformedTimestampError(f"token is {len(token_der)} bytes, over {MAX_REPLY_BYTES}")
    try:
        response = tsp.decode_timestamp_response(_as_reply(_GRANTED, token_der))
        info = response.tst_info
        imprint = info.message_imprint
        nonce = info.nonce
        token = TimestampToken(
            der=bytes(token_der),
            gen_time=_utc(info.gen_time),
            serial_number=info.serial_number,
            policy_oid=info.policy.dotted_string,
            hash_oid=imprint.hash_algorithm.dotted_string,
            hashed_message=imprint.message,
            nonce=int(nonce) if nonce is not None else None,
            tsa_name=_general_name(info),
            signer=_signer_subject(response.signed_data),
            certificates=tuple(sorted(response.signed_data.certificates)),
        )
    except (ValueError, TypeError) as exc:
        raise MalformedTimestampError(f"not an RFC 3161 timestamp token: {exc}") from exc
    return token


def verify_timestamp(
    token_der: bytes, digest_sha256: bytes, roots: Sequence[bytes | x509.Certificate] = ()
) -> TimestampCheck:
    """Check imprint, then signature + chain to one of ``roots`` + EKU; no roots = not checked."""
    _check_digest(digest_sha256)
    anchors = load_certificates(roots)
    try:
        token = parse_timestamp_token(token_der)
    except MalformedTimestampError as exc:
        return TimestampCheck("failed", f"malformed timestamp token: {exc}", "failed", "failed")
    if token.hash_oid != SHA256_OID:
        detail = f"imprint uses hash {token.hash_oid}, not SHA-256"
        return TimestampCheck("failed", detail, "failed", "not_checked", token)
    if token.hashed_message != digest_sha256:
        detail = (
            f"imprint mismatch: the token covers {token.hashed_message.hex()}, "
            f"the evidence hashes to {digest_sha256.hex()}"
        )
        return TimestampCheck("failed", detail, "failed", "not_checked", token)
    if not anchors:
        detail = (
            "imprint matches; signature and certificate chain not checked: no TSA root "
            "certificates given (set timestamp.ca_files)"
        )
        return TimestampCheck("not_checked", detail, "passed", "not_checked", token)
    if not token.certificates:
        detail = (
            "imprint matches; signature not checked: the token embeds no TSA certificate "
            "(it was requested without certReq); request tokens with cert_req=True"
        )
        return TimestampCheck("not_checked", detail, "passed", "not_checked", token)
    builder = tsp.VerifierBuilder()
    for anchor in dict.fromkeys(anchors):  # the builder refuses a root given twice
        builder = builder.add_root_certificate(anchor)
    response = tsp.decode_timestamp_response(_as_reply(_GRANTED, token_der))
    try:
        builder.build().verify(response, digest_sha256)
    except tsp.VerificationError as exc:
        return TimestampCheck("failed", _describe_failure(str(exc)), "passed", "failed", token)
    detail = (
        f"imprint matches; signed by {token.signer or 'the TSA'} at "
        f"{token.gen_time.isoformat()}, chaining to a trusted root"
    )
    return TimestampCheck("passed", detail, "passed", "passed", token)


def _check_digest(digest: bytes) -> None:
    if not isinstance(digest, bytes) or len(digest) != 32:
        raise ValueError("digest_sha256 must be the 32 raw bytes of a SHA-256 digest (not hex)")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _general_name(info: tsp.TimeStampTokenInfo) -> str | None:
    try:
        name = info.name
    except ValueError:
        return None
    if name is None:
        return None
    if isinstance(name, x509.DirectoryName):
        return name.value.rfc4514_string()
    return str(name.value)


def _signer_subject(signed: tsp.SignedData) -> str | None:
    signer = next(iter(signed.signer_infos), None)
    if signer is None:
        return None
    for der in signed.certificates:
        cert = x509.load_der_x509_certificate(der)
        if cert.issuer == signer.issuer and cert.serial_number == signer.serial_number:
            return cert.subject.rfc4514_string()
    return None


_OPENSSL_DATA = re.compile(r'data: "([^"]+)"')
_OPENSSL_REASON = re.compile(r'reason: "([^"]+)"')


def _describe_failure(message: str) -> str:
    """One plain sentence from rfc3161-client's message (which may embed an OpenSSL stack)."""
    found = _OPENSSL_DATA.findall(message) or _OPENSSL_REASON.findall(message)
    reason = "; ".join(found) or message
    if "certificate verify error" in message:
        return f"certificate chain not trusted: {reason}"
    if any(word in message for word in ("EKU", "leaf certificate", "Certificates neither")):
        return f"TSA certificate unacceptable: {reason}"
    return f"signature invalid: {reason}"


def load_certificates(
    items: Sequence[bytes | x509.Certificate], *, source: str = "root certificate"
) -> list[x509.Certificate]:
    """Certificates from PEM (one or a bundle) or DER bytes; TimestampConfigError if unreadable."""
    try:
        return load_settings_certificates(items, source=source)
    except TimestampSettingsError as exc:
        raise TimestampConfigError(str(exc)) from exc.__cause__

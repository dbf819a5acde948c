"""RFC 3161 trusted timestamps: have a TSA countersign a SHA-256 digest, and check such a token.

Parsing and signature checks come from `rfc3161-client` (pyca/cryptography + OpenSSL). Two DER
chores stay here: a request carries a digest we already have (the library only hashes data
itself), and the certificates in a token are put in DER order before parsing, because
OpenSSL-based TSAs emit that SET in chain order and the strict parser refuses it. Only that SET
is reordered and only for parsing; the signature does not cover it and the stored token keeps
the TSA's exact bytes.
"""

from __future__ import annotations

import http.client
import re
import secrets
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import rfc3161_client as tsp
from cryptography import x509
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from evidence.exceptions import EvidenceError

__all__ = [
    "MalformedTimestampError",
    "TimestampCheck",
    "TimestampConfigError",
    "TimestampContentTypeError",
    "TimestampError",
    "TimestampHTTPError",
    "TimestampImprintMismatchError",
    "TimestampNonceMismatchError",
    "TimestampRejectedError",
    "TimestampSettings",
    "TimestampTimeoutError",
    "TimestampToken",
    "TimestampUnreachableError",
    "TimestampUntrustedError",
    "build_request",
    "load_certificates",
    "parse_timestamp_token",
    "request_timestamp",
    "verify_timestamp",
]

CheckStatus = Literal["passed", "failed", "not_checked"]
SHA256_OID = "2.16.840.1.101.3.4.2.1"
QUERY_TYPE = "application/timestamp-query"
# RFC 3161 says timestamp-reply; some deployed TSAs answer with the older -response name.
REPLY_TYPES = frozenset({"application/timestamp-reply", "application/timestamp-response"})
MAX_REPLY_BYTES = 256 * 1024
_SHA256_ALGORITHM = bytes.fromhex("300d06096086480165030402010500")
_GRANTED = bytes.fromhex("3003020100")  # PKIStatusInfo { status granted }


class TimestampError(EvidenceError):
    """Base class: no usable timestamp was obtained."""


class TimestampConfigError(TimestampError, ValueError):
    """The TSA URL or a root certificate is unusable; the message names which and why."""


class TimestampUnreachableError(TimestampError):
    """The TSA could not be reached (refused, DNS, TLS, connection dropped)."""


class TimestampTimeoutError(TimestampUnreachableError):
    """The TSA did not answer within the timeout."""


class TimestampHTTPError(TimestampError):
    """The TSA answered with an HTTP error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class TimestampContentTypeError(TimestampError):
    """The TSA answered with something other than application/timestamp-reply."""


class MalformedTimestampError(TimestampError):
    """The reply or token is not valid RFC 3161 DER (garbage, truncated, oversized)."""


class TimestampRejectedError(TimestampError):
    """The TSA answered but did not grant a timestamp (PKIStatus other than granted)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class TimestampNonceMismatchError(TimestampError):
    """The token's nonce is not the one sent: a replayed or misrouted reply."""


class TimestampImprintMismatchError(TimestampError):
    """The token countersigns a different digest than the one sent."""


class TimestampUntrustedError(TimestampError):
    """Roots were given and the token's signature or chain did not verify against them."""


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


class TimestampSettings(BaseModel):
    """The `timestamp:` settings: where to get tokens and which roots vouch for them.

    Relative certificate paths resolve against ``context={"base_dir": ...}`` (the ipwatch home)
    when given to ``model_validate``, else against the working directory.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(description="RFC 3161 TSA endpoint (http:// or https://)")
    timeout: float = Field(default=10.0, gt=0, le=300, description="seconds per TSA request")
    ca_files: tuple[Path, ...] = Field(
        default=(),
        description="root certificate file(s), PEM or DER, the TSA chains to; without them the "
        "token's signature is reported as not checked",
    )
    tls_ca_file: Path | None = Field(
        default=None, description="CA bundle for an https TSA with a private certificate"
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        _check_tsa_url(value)
        return value

    @field_validator("ca_files", "tls_ca_file")
    @classmethod
    def _check_files(cls, value: object, info: ValidationInfo) -> object:
        base = Path((info.context or {}).get("base_dir", "."))
        if value is None:
            return None
        paths = value if isinstance(value, tuple) else (value,)
        resolved = tuple((base / Path(p).expanduser()).resolve() for p in paths)
        for path in resolved:
            load_certificates([_read_certificate_file(path)], source=str(path))
        return resolved if isinstance(value, tuple) else resolved[0]

    def roots(self) -> list[x509.Certificate]:
        """The trust anchors from `ca_files`, read now (files may have been rotated)."""
        found: list[x509.Certificate] = []
        for path in self.ca_files:
            found += load_certificates([_read_certificate_file(path)], source=str(path))
        return found


def build_request(digest_sha256: bytes, *, nonce: int | None, cert_req: bool = True) -> bytes:
    """DER TimeStampReq for a SHA-256 digest (RFC 3161 section 2.4.1)."""
    _check_digest(digest_sha256)
    if nonce is not None and nonce < 0:
        raise ValueError("a nonce is a non-negative integer")
    imprint = _der(0x30, _SHA256_ALGORITHM + _der(0x04, digest_sha256))
    body = _der_int(1) + imprint
    if nonce is not None:
        body += _der_int(nonce)
    if cert_req:  # DEFAULT FALSE: DER leaves it out unless true
        body += b"\x01\x01\xff"
    return _der(0x30, body)


def request_timestamp(
    digest_sha256: bytes,
    tsa_url: str,
    *,
    timeout: float = 10.0,
    roots: Sequence[bytes | x509.Certificate] = (),
    tls_ca_file: Path | None = None,
    nonce: bool = True,
    cert_req: bool = True,
    max_reply_bytes: int = MAX_REPLY_BYTES,
) -> TimestampToken:
    """POST a query for ``digest_sha256``; return the checked token or raise a TimestampError.

    The nonce and imprint are always compared with what was sent. With ``roots`` the signature
    and chain are verified too (TimestampUntrustedError on failure); without, they are left for
    `verify_timestamp`.
    """
    _check_tsa_url(tsa_url)
    sent_nonce = secrets.randbits(64) | 1 if nonce else None
    query = build_request(digest_sha256, nonce=sent_nonce, cert_req=cert_req)
    reply = _post(tsa_url, query, timeout=timeout, tls_ca_file=tls_ca_file, limit=max_reply_bytes)
    try:
        status, token_der = _split_reply(reply)
        response = tsp.decode_timestamp_response(_as_reply(status, token_der))
    except MalformedTimestampError as exc:
        raise MalformedTimestampError(f"{tsa_url} sent a malformed reply: {exc}") from exc
    except ValueError as exc:
        raise MalformedTimestampError(f"{tsa_url} sent an unreadable reply: {exc}") from exc
    if response.status not in (tsp.PKIStatus.GRANTED, tsp.PKIStatus.GRANTED_WITH_MODS):
        reason = "; ".join(response.status_string) or "no reason given"
        name = _status_name(response.status)
        raise TimestampRejectedError(
            f"{tsa_url} refused the timestamp ({name}): {reason}", response.status
        )
    if not token_der:
        raise MalformedTimestampError(f"{tsa_url} granted a timestamp but sent no token")
    token = parse_timestamp_token(token_der)
    if token.hash_oid != SHA256_OID or token.hashed_message != digest_sha256:
        raise TimestampImprintMismatchError(
            f"{tsa_url} countersigned {token.hashed_message.hex()} ({token.hash_oid}), "
            f"not the SHA-256 digest {digest_sha256.hex()} that was sent"
        )
    if sent_nonce is not None and token.nonce != sent_nonce:
        raise TimestampNonceMismatchError(
            f"{tsa_url} answered with nonce {token.nonce}, not {sent_nonce}: the reply is "
            "replayed or meant for another request; retry, and check any proxy in between"
        )
    if roots:
        check = verify_timestamp(token.der, digest_sha256, roots)
        if check.status != "passed":
            raise TimestampUntrustedError(f"token from {tsa_url}: {check.detail}")
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


def load_certificates(
    items: Sequence[bytes | x509.Certificate], *, source: str = "root certificate"
) -> list[x509.Certificate]:
    """Certificates from PEM (one or a bundle) or DER bytes; TimestampConfigError if unreadable."""
    found: list[x509.Certificate] = []
    for item in items:
        if isinstance(item, x509.Certificate):
            found.append(item)
            continue
        try:
            if b"-----BEGIN" in item:
                found += x509.load_pem_x509_certificates(item)
            else:
                found.append(x509.load_der_x509_certificate(item))
        except ValueError as exc:
            raise TimestampConfigError(
                f"{source}: not a PEM or DER X.509 certificate ({exc}); use the TSA's root "
                "certificate as published"
            ) from exc
    return found


# -- HTTP ---------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would become a GET: surface the 3xx as an HTTP error instead."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _post(url: str, query: bytes, *, timeout: float, tls_ca_file: Path | None, limit: int) -> bytes:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirects()]
    if tls_ca_file is not None:
        context = ssl.create_default_context(cafile=str(tls_ca_file))
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    headers = {"Content-Type": QUERY_TYPE, "Accept": ", ".join(sorted(REPLY_TYPES))}
    # _check_tsa_url allowed only http(s), so no file: or custom scheme reaches urllib.
    request = urllib.request.Request(url, data=query, headers=headers, method="POST")  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in REPLY_TYPES:
                raise TimestampContentTypeError(
                    f"{url} answered {content_type}, not application/timestamp-reply: is this "
                    "the TSA's RFC 3161 endpoint and not its web page?"
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise MalformedTimestampError(f"{url} announced {declared} bytes, over {limit}")
            body: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise TimestampHTTPError(f"{url} answered HTTP {exc.code} {exc.reason}", exc.code) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timeout(url, timeout) from exc
        raise TimestampUnreachableError(f"cannot reach TSA {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise _timeout(url, timeout) from exc
    except (http.client.HTTPException, OSError) as exc:
        raise TimestampUnreachableError(f"TSA {url} dropped the connection: {exc!r}") from exc
    if len(body) > limit:
        raise MalformedTimestampError(f"{url} sent more than {limit} bytes")
    return body


def _timeout(url: str, timeout: float) -> TimestampTimeoutError:
    return TimestampTimeoutError(
        f"TSA {url} did not answer within {timeout:g}s; retry later or raise timestamp.timeout"
    )


# -- DER ------------------------------------------------------------------------------------------


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + content


def _der_int(value: int) -> bytes:
    """A non-negative INTEGER, minimal two's complement (a leading 0 when the top bit is set)."""
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _element(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``pos``, bounds-checked."""
    if pos + 2 > end:
        raise MalformedTimestampError("truncated DER: an element header is cut off")
    tag, first, start = data[pos], data[pos + 1], pos + 2
    if first >= 0x80:
        count = first & 0x7F
        if not 0 < count <= 4 or start + count > end:
            raise MalformedTimestampError("bad DER length (indefinite, oversized or cut off)")
        size, start = int.from_bytes(data[start : start + count], "big"), start + count
    else:
        size = first
    if start + size > end:
        raise MalformedTimestampError("truncated DER: an element ends past the data")
    return tag, start, start + size


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, content start, content end) of each element in a constructed one."""
    found, pos = [], start
    while pos < end:
        tag, content_start, content_end = _element(data, pos, end)
        found.append((tag, pos, content_start, content_end))
        pos = content_end
    return found


def _split_reply(reply: bytes) -> tuple[bytes, bytes]:
    """(PKIStatusInfo DER, TimeStampToken DER or b"") of a TimeStampResp."""
    tag, start, end = _element(reply, 0, len(reply))
    if tag != 0x30 or end != len(reply):
        raise MalformedTimestampError("the reply is not one DER SEQUENCE (garbage or truncated)")
    parts = _children(reply, start, end)
    if not parts or parts[0][0] != 0x30 or len(parts) > 2:
        raise MalformedTimestampError("the reply is not a TimeStampResp")
    status = reply[parts[0][1] : parts[0][3]]
    return status, reply[parts[1][1] : parts[1][3]] if len(parts) == 2 else b""


def _as_reply(status: bytes, token: bytes) -> bytes:
    """A TimeStampResp around ``token`` with its certificate SET put in DER order."""
    return _der(0x30, status + (_sort_certificates(token) if token else b""))


def _sort_certificates(token: bytes) -> bytes:
    tag, start, end = _element(token, 0, len(token))
    if tag != 0x30 or end != len(token):
        raise MalformedTimestampError("the token is not one DER SEQUENCE (garbage or truncated)")
    content_info = _children(token, start, end)
    if len(content_info) != 2 or content_info[1][0] != 0xA0:
        raise MalformedTimestampError("the token is not a CMS ContentInfo")
    signed = _children(token, content_info[1][2], content_info[1][3])
    if len(signed) != 1 or signed[0][0] != 0x30:
        raise MalformedTimestampError("the token holds no SignedData")
    out = bytearray(token)
    for tag, _, set_start, set_end in _children(token, signed[0][2], signed[0][3]):
        if tag == 0xA0:  # certificates [0] IMPLICIT SET OF: DER sorts by encoding
            certs = [token[s:e] for _, s, _, e in _children(token, set_start, set_end)]
            ordered = sorted(certs, key=_set_order(certs))
            out[set_start:set_end] = b"".join(ordered)
    return bytes(out)


def _set_order(items: list[bytes]) -> Callable[[bytes], bytes]:
    """X.690 SET OF order: compare encodings as if the shorter were padded with zero octets."""
    width = max((len(item) for item in items), default=0)

    def key(item: bytes) -> bytes:
        return item.ljust(width, b"\0")

    return key


# -- small helpers ---------------------------------------------------------------------------------


def _check_digest(digest: bytes) -> None:
    if not isinstance(digest, bytes) or len(digest) != 32:
        raise ValueError("digest_sha256 must be the 32 raw bytes of a SHA-256 digest (not hex)")


def _check_tsa_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TimestampConfigError(
            f"TSA URL {url!r} must be http:// or https:// with a host, e.g. http://tsa.example/tsr"
        )


def _read_certificate_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TimestampConfigError(
            f"{path}: cannot read the certificate file ({exc.strerror}); point the setting at "
            "the TSA's root certificate (PEM or DER)"
        ) from exc


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


def _status_name(status: int) -> str:
    try:
        return tsp.PKIStatus(status).name.lower()
    except ValueError:
        return f"status {status}"


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

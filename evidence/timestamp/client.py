"""Ask a TSA to countersign a SHA-256 digest (RFC 3161 over HTTP) and check what it sends back."""

from __future__ import annotations

import http.client
import secrets
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import rfc3161_client as tsp
from cryptography import x509

from config.timestamp import TimestampSettingsError, check_tsa_url
from evidence.timestamp.der import _as_reply, _der, _der_int, _split_reply
from evidence.timestamp.errors import (
    MalformedTimestampError,
    TimestampConfigError,
    TimestampContentTypeError,
    TimestampHTTPError,
    TimestampImprintMismatchError,
    TimestampNonceMismatchError,
    TimestampRejectedError,
    TimestampTimeoutError,
    TimestampUnreachableError,
    TimestampUntrustedError,
)
from evidence.timestamp.token import (
    MAX_REPLY_BYTES,
    SHA256_OID,
    TimestampToken,
    _check_digest,
    parse_timestamp_token,
    verify_timestamp,
)

QUERY_TYPE = "application/timestamp-query"
# RFC 3161 says timestamp-reply; some deployed TSAs answer with the older -response name.
REPLY_TYPES = frozenset({"application/timestamp-reply", "application/timestamp-response"})
_SHA256_ALGORITHM = bytes.fromhex("300d06096086480165030402010500")


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


def _status_name(status: int) -> str:
    try:
        return tsp.PKIStatus(status).name.lower()
    except ValueError:
        return f"status {status}"


def _check_tsa_url(url: str) -> None:
    try:
        check_tsa_url(url)
    except TimestampSettingsError as exc:
        raise TimestampConfigError(str(exc)) from None

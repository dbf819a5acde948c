"""RFC 3161 trusted timestamps: have a TSA countersign a SHA-256 digest, and check such a token.

Parsing and signature checks come from `rfc3161-client` (pyca/cryptography + OpenSSL); ``der``
holds the few DER chores it leaves to us. ``client`` asks a TSA, ``token`` reads and verifies a
token, ``errors`` says what went wrong. The settings (`timestamp:` in ipwatch.yaml) are
``config.timestamp.TimestampSettings``.
"""

from evidence.timestamp.client import build_request, request_timestamp
from evidence.timestamp.errors import (
    MalformedTimestampError,
    TimestampConfigError,
    TimestampContentTypeError,
    TimestampError,
    TimestampHTTPError,
    TimestampImprintMismatchError,
    TimestampNonceMismatchError,
    TimestampRejectedError,
    TimestampTimeoutError,
    TimestampUnreachableError,
    TimestampUntrustedError,
)
from evidence.timestamp.token import (
    SHA256_OID,
    TimestampCheck,
    TimestampToken,
    load_certificates,
    parse_timestamp_token,
    verify_timestamp,
)

__all__ = [
    "SHA256_OID",
    "MalformedTimestampError",
    "TimestampCheck",
    "TimestampConfigError",
    "TimestampContentTypeError",
    "TimestampError",
    "TimestampHTTPError",
    "TimestampImprintMismatchError",
    "TimestampNonceMismatchError",
    "TimestampRejectedError",
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

"""What can go wrong getting or checking an RFC 3161 timestamp; each message says what to do."""

from __future__ import annotations

from config.timestamp import TimestampSettingsError
from evidence.exceptions import EvidenceError


class TimestampError(EvidenceError):
    """Base class: no usable timestamp was obtained."""


class TimestampConfigError(TimestampError, TimestampSettingsError):
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

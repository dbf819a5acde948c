"""RFC 3161 trusted timestamps: request a token from a TSA, parse it, verify it."""

from evidence.timestamp.tsa import *  # noqa: F403
from evidence.timestamp.tsa import SHA256_OID as SHA256_OID
from evidence.timestamp.tsa import __all__ as __all__

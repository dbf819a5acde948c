"""The ``wacz.spec-signature`` check: the WACZ Auth 0.1.0 ``signedData`` of a package.

Valid means what ReplayWeb.page checks (evidence/export/wacz_auth.py). Trusted means more: the
ECDSA key is the one the Ed25519 signature vouches for, and that signature passed against a
given key (``wacz.signature``). A valid signature by an unvouched key is "not checked", as the
spec leaves that key's trust to external key management.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import TYPE_CHECKING, Any

from evidence.export.wacz import SIGNED_DATA, SPEC_KEY, SPEC_SIGNED_DATA, sha256_label
from evidence.export.wacz_auth import verify_signed_data
from evidence.timestamp.errors import TimestampError
from evidence.timestamp.token import token_of_response, verify_timestamp
from evidence.verify.artifacts import Check

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cryptography import x509

    from evidence.verify.artifacts import VerificationReport

NAME = "wacz.spec-signature"
TIME_NAME = "wacz.spec-timestamp"


def check_spec_signature(
    report: VerificationReport,
    digest_bytes: bytes | None,
    datapackage: bytes | None,
    tsa_roots: Sequence[bytes | x509.Certificate] = (),
) -> None:
    """Append the check (and ``wacz.spec-timestamp`` when the signature carries a
    ``timeSignature``); run after ``wacz.signature`` so its outcome can vouch for the key."""
    add = report.checks.append
    try:
        digest = json.loads(digest_bytes or b"null")
    except ValueError:
        add(Check(NAME, "failed", "datapackage-digest.json is not JSON"))
        return
    if not isinstance(digest, dict):
        add(Check(NAME, "failed", "datapackage-digest.json is not an object"))
        return
    signed, ours = digest.get(SPEC_SIGNED_DATA), digest.get(SIGNED_DATA)
    vouched_key = ours.get(SPEC_KEY) if isinstance(ours, dict) else None
    if signed is None and vouched_key is not None:  # stripped: the Ed25519 part names its key
        add(Check(NAME, "failed", f"{SPEC_SIGNED_DATA} was removed; {SIGNED_DATA} names its key"))
        return
    if signed is None:
        add(Check(NAME, "not_checked", f"no WACZ Auth {SPEC_SIGNED_DATA} in the digest"))
        return
    if not isinstance(signed, dict) or signed.get("hash") != sha256_label(datapackage or b""):
        add(Check(NAME, "failed", f"{SPEC_SIGNED_DATA} is over another datapackage.json"))
        return
    if "timeSignature" in signed:
        add(_time_signature_check(signed, tsa_roots))
    if not verify_signed_data(signed):
        add(Check(NAME, "failed", "the ECDSA P-384 signature does not match its publicKey"))
        return
    key = str(signed["publicKey"])
    key_id = hashlib.sha256(base64.b64decode(key)).hexdigest()[:16]  # as WaczSigner.key_id
    vouched = vouched_key == key
    ed25519 = report.get("wacz.signature")
    if vouched and ed25519 is not None and ed25519.status == "passed":
        detail = f"ECDSA P-384 by key {key_id}, vouched for by the trusted Ed25519 signature"
        add(Check(NAME, "passed", detail))
    else:
        detail = f"valid ECDSA P-384 signature by key {key_id}, which no trusted key vouches for"
        add(Check(NAME, "not_checked", detail))


def _time_signature_check(
    signed: dict[str, Any], tsa_roots: Sequence[bytes | x509.Certificate]
) -> Check:
    """The RFC 3161 ``timeSignature`` over ``signature``, against the given TSA roots."""
    try:
        response = base64.b64decode(str(signed["timeSignature"]), validate=True)
        token = token_of_response(response)
    except (binascii.Error, ValueError, TimestampError) as exc:
        return Check(TIME_NAME, "failed", f"timeSignature is not a timestamp reply: {exc}")
    digest = hashlib.sha256(str(signed.get("signature", "")).encode("utf-8")).digest()
    check = verify_timestamp(token, digest, tsa_roots)
    return Check(TIME_NAME, check.status, f"RFC 3161 over the ECDSA signature: {check.detail}")

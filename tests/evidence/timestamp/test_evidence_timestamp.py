"""RFC 3161 timestamps against a real TSA (`openssl ts -reply` on 127.0.0.1), good and broken."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pydantic import ValidationError

from config.timestamp import TimestampSettings
from evidence.timestamp import (
    SHA256_OID,
    MalformedTimestampError,
    TimestampConfigError,
    TimestampContentTypeError,
    TimestampError,
    TimestampHTTPError,
    TimestampImprintMismatchError,
    TimestampNonceMismatchError,
    TimestampRejectedError,
    TimestampTimeoutError,
    TimestampToken,
    TimestampUnreachableError,
    TimestampUntrustedError,
    build_request,
    load_certificates,
    parse_timestamp_token,
    request_timestamp,
    verify_timestamp,
)
from tests.services.tsa import OPENSSL, POLICY_OID, LocalTsa
from tests.support import free_port

DIGEST = hashlib.sha256(b"canonical manifest bytes").digest()
OTHER_DIGEST = hashlib.sha256(b"a different manifest").digest()


@pytest.fixture(scope="module")
def token(local_tsa: LocalTsa) -> TimestampToken:
    return request_timestamp(DIGEST, local_tsa.url, timeout=10)


def _flip_byte_inside(der: bytes, marker: bytes, offset: int) -> bytes:
    at = der.index(marker) + offset
    return der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1 :]


# -- obtaining a token ----------------------------------------------------------------------------


def test_token_from_the_local_tsa_verifies_against_its_root(local_tsa: LocalTsa) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    token = request_timestamp(DIGEST, local_tsa.url, timeout=10, roots=[local_tsa.ca_pem])
    after = datetime.now(UTC)

    assert before <= token.gen_time <= after
    assert token.hashed_message == DIGEST
    assert token.hash_oid == SHA256_OID
    assert token.policy_oid == POLICY_OID
    assert token.tsa_name == "CN=ipwatch test TSA,O=ipwatch tests"
    assert token.signer == token.tsa_name
    assert token.nonce is not None and token.serial_number > 0

    check = verify_timestamp(token.der, DIGEST, [local_tsa.ca_pem])
    assert (check.status, check.imprint, check.signature) == ("passed", "passed", "passed")
    assert check.gen_time == token.gen_time
    assert token.gen_time.isoformat() in check.detail


def test_each_token_gets_a_fresh_serial_and_nonce(local_tsa: LocalTsa) -> None:
    first = request_timestamp(DIGEST, local_tsa.url)
    second = request_timestamp(DIGEST, local_tsa.url)

    assert second.serial_number != first.serial_number
    assert second.nonce != first.nonce


def test_stored_token_is_what_openssl_itself_verifies(
    local_tsa: LocalTsa, token: TimestampToken, tmp_path: Path
) -> None:
    """The kept bytes are the TSA's own, so any RFC 3161 tool checks them, not just ours."""
    (tmp_path / "token.der").write_bytes(token.der)
    command = [OPENSSL, "ts", "-verify", "-token_in", "-in", str(tmp_path / "token.der")]
    command += ["-digest", DIGEST.hex(), "-CAfile", str(local_tsa.ca_file)]

    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Verification: OK" in done.stdout

    command[command.index(DIGEST.hex())] = OTHER_DIGEST.hex()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode != 0


def test_request_is_the_query_openssl_expects(tmp_path: Path) -> None:
    query = tmp_path / "query.tsq"
    query.write_bytes(build_request(DIGEST, nonce=0x8000_0000_0000_0001, cert_req=True))

    done = subprocess.run(
        [OPENSSL, "ts", "-query", "-in", str(query), "-text"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = done.stdout
    dumped = re.findall(r"^\s+[0-9a-f]{4} - ([0-9a-f -]{47})", text, flags=re.MULTILINE)
    assert "Hash Algorithm: sha256" in text
    assert "".join(dumped).replace(" ", "").replace("-", "") == DIGEST.hex()
    assert "Nonce: 0x8000000000000001" in text
    assert "Certificate required: yes" in text


def test_token_without_nonce_or_certificate(local_tsa: LocalTsa) -> None:
    token = request_timestamp(DIGEST, local_tsa.url, nonce=False, cert_req=False)
    check = verify_timestamp(token.der, DIGEST, [local_tsa.ca_pem])

    assert token.nonce is None
    assert token.certificates == ()
    assert (check.status, check.imprint, check.signature) == (
        "not_checked",
        "passed",
        "not_checked",
    )
    assert "embeds no TSA certificate" in check.detail


# -- verifying: the three states ------------------------------------------------------------------


def test_other_digest_fails_on_the_imprint(local_tsa: LocalTsa, token: TimestampToken) -> None:
    check = verify_timestamp(token.der, OTHER_DIGEST, [local_tsa.ca_pem])

    assert (check.status, check.imprint) == ("failed", "failed")
    assert check.signature == "not_checked"
    assert "imprint" in check.detail and OTHER_DIGEST.hex() in check.detail


def test_token_from_another_tsa_fails_the_chain(local_tsa: LocalTsa, other_tsa: LocalTsa) -> None:
    foreign = request_timestamp(DIGEST, other_tsa.url)

    check = verify_timestamp(foreign.der, DIGEST, [local_tsa.ca_pem])
    assert (check.status, check.imprint, check.signature) == ("failed", "passed", "failed")
    assert "chain" in check.detail

    assert verify_timestamp(foreign.der, DIGEST, [other_tsa.ca_pem]).status == "passed"
    both = verify_timestamp(foreign.der, DIGEST, [local_tsa.ca_pem, other_tsa.ca_pem])
    assert both.status == "passed"


def test_truncated_token_is_malformed(local_tsa: LocalTsa, token: TimestampToken) -> None:
    for cut in (len(token.der) - 1, len(token.der) // 2, 5, 0):
        check = verify_timestamp(token.der[:cut], DIGEST, [local_tsa.ca_pem])
        assert (check.status, check.imprint, check.signature) == ("failed", "failed", "failed")
        assert "malformed" in check.detail
        assert check.token is None


def test_garbage_and_trailing_bytes_are_malformed(
    local_tsa: LocalTsa, token: TimestampToken
) -> None:
    for bad in (b"\x00" * 64, b"not a token", token.der + b"\x00"):
        check = verify_timestamp(bad, DIGEST, [local_tsa.ca_pem])
        assert check.status == "failed" and "malformed" in check.detail
    with pytest.raises(MalformedTimestampError):
        parse_timestamp_token(token.der[:-1])


def test_altered_signed_content_fails_the_signature(
    local_tsa: LocalTsa, token: TimestampToken
) -> None:
    assert token.nonce is not None
    nonce = token.nonce.to_bytes(token.nonce.bit_length() // 8 + 1, "big")
    altered = _flip_byte_inside(token.der, nonce, len(nonce) - 1)
    assert parse_timestamp_token(altered).nonce != token.nonce

    check = verify_timestamp(altered, DIGEST, [local_tsa.ca_pem])
    assert (check.status, check.imprint, check.signature) == ("failed", "passed", "failed")
    assert "signature invalid" in check.detail


def test_no_roots_checks_the_imprint_but_never_passes(token: TimestampToken) -> None:
    check = verify_timestamp(token.der, DIGEST, [])

    assert (check.status, check.imprint, check.signature) == (
        "not_checked",
        "passed",
        "not_checked",
    )
    assert "not checked" in check.detail
    assert verify_timestamp(token.der, OTHER_DIGEST).status == "failed"


def test_roots_accepted_as_pem_der_bundle_or_objects(
    local_tsa: LocalTsa, other_tsa: LocalTsa, token: TimestampToken
) -> None:
    root = x509.load_pem_x509_certificate(local_tsa.ca_pem)
    bundle = other_tsa.ca_pem + local_tsa.ca_pem

    choices: list[list[bytes | x509.Certificate]] = [
        [root],
        [root.public_bytes(Encoding.DER)],
        [bundle],
        [bundle, root],  # the same root twice is harmless
    ]
    for roots in choices:
        assert verify_timestamp(token.der, DIGEST, roots).status == "passed"
    assert len(load_certificates([bundle])) == 2
    with pytest.raises(TimestampConfigError, match="not a PEM or DER"):
        verify_timestamp(token.der, DIGEST, [b"-----BEGIN CERTIFICATE-----\nnope\n"])


def test_digest_must_be_raw_sha256(local_tsa: LocalTsa, token: TimestampToken) -> None:
    with pytest.raises(ValueError, match="32 raw bytes"):
        verify_timestamp(token.der, DIGEST.hex().encode(), [local_tsa.ca_pem])
    with pytest.raises(ValueError, match="32 raw bytes"):
        request_timestamp(DIGEST[:20], local_tsa.url)


# -- requesting: every way a TSA can let us down ---------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        ("content-type", TimestampContentTypeError, "text/html"),
        ("http-500", TimestampHTTPError, "HTTP 500"),
        ("redirect", TimestampHTTPError, "HTTP 302"),
        ("garbage", MalformedTimestampError, "malformed reply"),
        ("truncated", MalformedTimestampError, "malformed reply"),
        ("reject", TimestampRejectedError, "Message digest algorithm is not supported"),
    ],
)
def test_server_faults_raise_the_matching_error(
    local_tsa: LocalTsa, fault: str, error: type[TimestampError], words: str
) -> None:
    with pytest.raises(error, match=words) as caught:
        request_timestamp(DIGEST, local_tsa.url_for(fault), timeout=10)
    assert local_tsa.url_for(fault) in str(caught.value)


def test_http_and_rejection_errors_carry_the_status(local_tsa: LocalTsa) -> None:
    with pytest.raises(TimestampHTTPError) as http_error:
        request_timestamp(DIGEST, local_tsa.url_for("http-500"))
    with pytest.raises(TimestampRejectedError) as rejected:
        request_timestamp(DIGEST, local_tsa.url_for("reject"))

    assert http_error.value.status == 500
    assert rejected.value.status == 2  # PKIStatus rejection


def test_slow_tsa_times_out(local_tsa: LocalTsa) -> None:
    with pytest.raises(TimestampTimeoutError, match=r"within 0\.3s"):
        request_timestamp(DIGEST, local_tsa.url_for("slow"), timeout=0.3)


def test_replayed_reply_fails_on_nonce_or_imprint(local_tsa: LocalTsa) -> None:
    url = local_tsa.url_for("replay", "nonce-and-imprint")
    request_timestamp(DIGEST, url)

    with pytest.raises(TimestampNonceMismatchError, match="replayed"):
        request_timestamp(DIGEST, url)
    with pytest.raises(TimestampImprintMismatchError, match=OTHER_DIGEST.hex()):
        request_timestamp(OTHER_DIGEST, url)


def test_unreachable_port_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    with pytest.raises(TimestampUnreachableError, match="cannot reach TSA") as caught:
        request_timestamp(DIGEST, url, timeout=5)
    assert not isinstance(caught.value, TimestampTimeoutError)


def test_reply_over_the_size_cap_is_refused(local_tsa: LocalTsa) -> None:
    with pytest.raises(MalformedTimestampError, match="over 200"):
        request_timestamp(DIGEST, local_tsa.url, max_reply_bytes=200)


def test_untrusted_token_is_refused_when_roots_are_given(
    local_tsa: LocalTsa, other_tsa: LocalTsa
) -> None:
    with pytest.raises(TimestampUntrustedError, match="chain"):
        request_timestamp(DIGEST, other_tsa.url, roots=[local_tsa.ca_pem])


def test_https_tsa_with_a_private_ca(local_tsa: LocalTsa) -> None:
    with LocalTsa(https=True) as tls_tsa:
        assert tls_tsa.url.startswith("https://127.0.0.1:")
        token = request_timestamp(DIGEST, tls_tsa.url, tls_ca_file=tls_tsa.ca_file)
        assert verify_timestamp(token.der, DIGEST, [tls_tsa.ca_pem]).status == "passed"

        with pytest.raises(TimestampUnreachableError, match="CERTIFICATE_VERIFY_FAILED"):
            request_timestamp(DIGEST, tls_tsa.url)
        with pytest.raises(TimestampUnreachableError, match="CERTIFICATE_VERIFY_FAILED"):
            request_timestamp(DIGEST, tls_tsa.url, tls_ca_file=local_tsa.ca_file)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://tsa.example/", "http:///nohost"])
def test_only_http_urls_are_requested(url: str) -> None:
    with pytest.raises(TimestampConfigError, match="http:// or https://"):
        request_timestamp(DIGEST, url)


# -- settings -------------------------------------------------------------------------------------


def test_settings_resolve_roots_against_the_base_dir(local_tsa: LocalTsa, tmp_path: Path) -> None:
    (tmp_path / "tsa-root.pem").write_bytes(local_tsa.ca_pem)
    settings = TimestampSettings.model_validate(
        {"url": local_tsa.url, "ca_files": ["tsa-root.pem"]}, context={"base_dir": tmp_path}
    )

    assert settings.timeout == 10.0
    assert settings.ca_files == ((tmp_path / "tsa-root.pem").resolve(),)
    token = request_timestamp(
        DIGEST, settings.url, timeout=settings.timeout, roots=settings.roots()
    )
    assert verify_timestamp(token.der, DIGEST, settings.roots()).status == "passed"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"url": "file:///tmp/x"}, "http:// or https://"),
        ({"url": "http://tsa.example/", "timeout": 0}, "greater than 0"),
        ({"url": "http://tsa.example/", "ca_files": ["missing.pem"]}, "cannot read"),
        ({"url": "http://tsa.example/", "ca_files": ["not-a-cert.pem"]}, "not a PEM or DER"),
        ({"url": "http://tsa.example/", "proxy": "x"}, "Extra inputs"),
    ],
)
def test_settings_errors_name_the_problem(
    fields: dict[str, object], words: str, tmp_path: Path
) -> None:
    (tmp_path / "not-a-cert.pem").write_text("hello\n")
    with pytest.raises(ValidationError, match=words):
        TimestampSettings.model_validate(fields, context={"base_dir": tmp_path})

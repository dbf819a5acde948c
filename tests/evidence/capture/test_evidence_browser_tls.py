"""An https listing: the recorded TLS chain and fingerprint are the ones the server presented."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from demomarket import DemoMarket
from evidence.capture.browser import DEFAULT_ARGS, BrowserCapturer, BrowserSettings
from evidence.capture.browser_record import BrowserCapture
from evidence.capture.tls_peer import chain_pem
from netguard.policy import AddressPolicy
from tests.evidence.evidence_samples import seal_browser_capture

pytestmark = pytest.mark.slow


def _cert(
    subject: str, issuer: str, key: ec.EllipticCurvePrivateKey, signer, ca: bool
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture
def https_market(tmp_path: Path):
    """The demo shop over https with a test CA and a leaf for 127.0.0.1 (the server sends both)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("ipwatch test CA", "ipwatch test CA", ca_key, ca_key, ca=True)
    leaf = _cert("127.0.0.1", "ipwatch test CA", leaf_key, ca_key, ca=False)
    chain = tmp_path / "chain.pem"
    chain.write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    )
    key = tmp_path / "key.pem"
    key.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    with DemoMarket(tls=context) as market:
        yield market, leaf, ca


def capture(url: str) -> BrowserCapture:
    settings = BrowserSettings(
        args=(*DEFAULT_ARGS, "--ignore-certificate-errors"),  # this test's own CA only
        ignore_https_errors=True,
        retries=0,
    )

    async def run() -> BrowserCapture:
        capturer = BrowserCapturer(settings, policy=AddressPolicy.from_hosts(["127.0.0.1"]))
        try:
            return await capturer.capture(url)
        finally:
            await capturer.close()

    return asyncio.run(run())


def test_https_capture_records_the_presented_chain_and_fingerprint(
    https_market, tmp_path: Path
) -> None:
    market, leaf, ca = https_market
    assert market.base_url.startswith("https://")
    browser = capture(market.url("/item/1012"))
    assert browser.outcome == "complete", browser.attempts
    tls = browser.tls
    assert tls is not None and tls.error is None
    leaf_der = leaf.public_bytes(serialization.Encoding.DER)
    assert tls.leaf_sha256 == hashlib.sha256(leaf_der).hexdigest()
    assert [c.sha256 for c in tls.chain] == [
        hashlib.sha256(leaf_der).hexdigest(),
        hashlib.sha256(ca.public_bytes(serialization.Encoding.DER)).hexdigest(),
    ]
    assert "get_unverified_chain" in tls.chain_source
    assert tls.chain[0].issuer == "CN=ipwatch test CA"
    assert tls.chain_verified is False  # the test CA is not in the system's trust store
    assert tls.protocol and tls.protocol.startswith("TLS")
    assert tls.browser["issuer"] == "ipwatch test CA"
    assert tls.browser["protocol"].startswith("TLS")
    assert tls.browser["validTo"].endswith("Z")

    pem = chain_pem(tls)
    loaded = x509.load_pem_x509_certificates(pem)
    assert [c.fingerprint(hashes.SHA256()) for c in loaded] == [
        leaf.fingerprint(hashes.SHA256()),
        ca.fingerprint(hashes.SHA256()),
    ]
    sealed = seal_browser_capture(tmp_path / "home", browser)
    assert sealed.verify().ok
    assert (
        sealed.manifest["browser"]["tls"]["leaf_sha256"] == leaf.fingerprint(hashes.SHA256()).hex()
    )
    assert sealed.artifacts["tls/chain.pem"] == pem

"""The certificate chain a TLS server presents, read over our own connection to it.

Playwright's ``security_details()`` gives the browser's view (issuer, subject, validity,
protocol) but no certificates. So the capture opens one more connection to the same host:port
and records what the server sends. Python 3.11 has no public API for the whole chain:
``getpeercert(binary_form=True)`` gives the leaf, and CPython's private
``_sslobj.get_unverified_chain()`` (public from 3.13) the rest where it exists; which of the
two was used is recorded as ``chain_source``.
"""

from __future__ import annotations

import hashlib
import socket
import ssl

from cryptography import x509

from evidence.capture.browser_record import PeerCertificate, TlsInfo, short_error
from evidence.seal.manifest import format_utc

MAX_CHAIN = 10


def _describe(der: bytes) -> PeerCertificate:
    sha = hashlib.sha256(der).hexdigest()
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        return PeerCertificate(der, sha, f"unparsable: {short_error(exc)}", "", "", "")
    return PeerCertificate(
        der=der,
        sha256=sha,
        subject=cert.subject.rfc4514_string()[:500],
        issuer=cert.issuer.rfc4514_string()[:500],
        not_before=format_utc(cert.not_valid_before_utc),
        not_after=format_utc(cert.not_valid_after_utc),
    )


def _chain(tls: ssl.SSLSocket) -> tuple[list[bytes], str]:
    sslobj = getattr(tls, "_sslobj", None)
    full = getattr(sslobj, "get_unverified_chain", None)
    if full is not None:
        try:
            certs = full() or []
            ders = [c.public_bytes(ssl._ssl.ENCODING_DER) for c in certs]  # type: ignore[attr-defined]
            if ders:
                return ders[:MAX_CHAIN], "python-ssl get_unverified_chain (private API, 3.11)"
        except (AttributeError, ValueError, ssl.SSLError):
            pass
    leaf = tls.getpeercert(binary_form=True)
    return ([leaf] if leaf else []), "python-ssl getpeercert (leaf only)"


def _verifies(host: str, port: int, timeout: float, address: str) -> bool | None:
    """Does the chain verify against this host's trust store (hostname included)?"""
    context = ssl.create_default_context()
    try:
        with (
            socket.create_connection((address, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return False
    except (OSError, ssl.SSLError):
        return None


def peer_tls(
    host: str,
    port: int,
    browser: dict[str, str],
    timeout: float = 10.0,
    *,
    address: str | None = None,
) -> TlsInfo:
    """Record (never trust) what ``host:port`` presents; errors are recorded, not raised.

    ``address`` is the one the browser's guard proxy checked and connected to: we ask the same
    server, and a hostile name cannot resolve to a private address for this connection.
    """
    address = address or host
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # we record the chain; whether it verifies is separate
    try:
        with (
            socket.create_connection((address, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            ders, source = _chain(tls)
            cipher = tls.cipher()
            protocol = tls.version()
    except (OSError, ssl.SSLError) as exc:
        return TlsInfo(
            browser=browser, error=f"TLS connection to {host}:{port}: {short_error(exc)}"
        )
    return TlsInfo(
        browser=browser,
        chain=tuple(_describe(der) for der in ders),
        chain_source=source,
        protocol=protocol,
        cipher=cipher[0] if cipher else None,
        chain_verified=_verifies(host, port, timeout, address),
    )


def chain_pem(info: TlsInfo) -> bytes:
    """The recorded chain as PEM, leaf first: the artifact a court expert can open."""
    out = []
    for cert in info.chain:
        out.append(ssl.DER_cert_to_PEM_cert(cert.der))
    return "".join(out).encode("ascii")

"""A real RFC 3161 time-stamping authority on 127.0.0.1: OpenSSL's `openssl ts -reply` over HTTP.

Each `LocalTsa` makes a throwaway CA and a TSA certificate (critical extendedKeyUsage
timeStamping) in a temporary folder, writes an `openssl ts` config, and answers
``POST application/timestamp-query`` with whatever `openssl ts -reply` produced.

Paths choose a behaviour, so concurrent tests never share mutable state:

    /                    a normal TSA
    /content-type        a real reply sent as text/html
    /http-500            HTTP 500 with a text body
    /garbage             random bytes as application/timestamp-reply
    /truncated           the first half of a real reply
    /slow                a real reply after `slow_seconds`
    /redirect            302 to the normal TSA (a POST must not be silently turned into a GET)
    /reject              OpenSSL's own rejection (this section accepts only SHA-512 imprints)
    /replay/<key>        the first reply made under <key>, sent again for every later request

Pass ``https=True`` to serve TLS with a certificate for 127.0.0.1 from the same CA.

    python -m tests.services.tsa --port 3180    # run one in the foreground
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import ipaddress
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Self

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["FAULTS", "OPENSSL", "QUERY_TYPE", "REPLY_TYPE", "LocalTsa", "TsaCredentials"]

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
FAULTS = (
    "content-type",
    "http-500",
    "garbage",
    "truncated",
    "slow",
    "redirect",
    "reject",
    "replay",
)
POLICY_OID = "1.3.6.1.4.1.57264.99.1"
MAX_QUERY_BYTES = 16 * 1024


class TsaCredentials:
    """A fresh CA and a TSA certificate it issued, written as PEM files under ``folder``."""

    def __init__(self, folder: Path, name: str) -> None:
        now = dt.datetime.now(dt.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        tsa_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} root CA")])
        self.tsa_name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ipwatch tests"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        self.ca_cert = (
            _builder(ca_name, ca_name, ca_key.public_key(), now)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        self.tsa_cert = (
            _builder(self.tsa_name, ca_name, tsa_key.public_key(), now)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        folder.mkdir(parents=True, exist_ok=True)
        self.ca_file = folder / "ca.pem"
        self.tsa_cert_file = folder / "tsa.pem"
        self.tsa_key_file = folder / "tsa.key"
        self.ca_file.write_bytes(self.ca_pem)
        self.tsa_cert_file.write_bytes(self.tsa_cert.public_bytes(serialization.Encoding.PEM))
        _write_key(self.tsa_key_file, tsa_key)
        self._ca_key = ca_key

    @property
    def ca_pem(self) -> bytes:
        return self.ca_cert.public_bytes(serialization.Encoding.PEM)

    def issue_tls_server(self, folder: Path) -> tuple[Path, Path]:
        """(certificate, key) files for https on 127.0.0.1, issued by the same CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        cert = (
            _builder(subject, self.ca_cert.subject, key.public_key(), dt.datetime.now(dt.UTC))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._ca_key.public_key()),
                critical=False,
            )
            .sign(self._ca_key, hashes.SHA256())
        )
        cert_file, key_file = folder / "https.pem", folder / "https.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key_file, key)
        return cert_file, key_file


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePublicKey, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _ts_config(folder: Path) -> str:
    """`openssl ts` config: `tsa_ok` grants SHA-256 imprints, `tsa_reject` only SHA-512 ones."""

    def section(name: str, digests: str) -> str:
        return f"""
[ {name} ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = {POLICY_OID}
other_policies = {POLICY_OID}.2
digests = {digests}
accuracy = secs:1, millisecs:0, microsecs:0
clock_precision_digits = 0
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""

    head = "[ tsa ]\ndefault_tsa = tsa_ok\n"
    return head + section("tsa_ok", "sha256, sha384, sha512") + section("tsa_reject", "sha512")


class LocalTsa:
    """`openssl ts -reply` behind a ThreadingHTTPServer on 127.0.0.1, port 0 unless given."""

    def __init__(
        self,
        *,
        name: str = "ipwatch test TSA",
        port: int = 0,
        slow_seconds: float = 5.0,
        https: bool = False,
    ) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="ipwatch-tsa-")
        self.folder = Path(self._tmp.name)
        self.credentials = TsaCredentials(self.folder, name)
        (self.folder / "serial").write_text("01\n")
        self.config_file = self.folder / "openssl-ts.cnf"
        self.config_file.write_text(_ts_config(self.folder))
        self.slow_seconds = slow_seconds
        self.requests_served = 0
        self._port = port
        self._https = https
        self._openssl_lock = threading.Lock()  # the serial file is read and rewritten per reply
        self._replays: dict[str, bytes] = {}
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def ca_file(self) -> Path:
        return self.credentials.ca_file

    @property
    def ca_pem(self) -> bytes:
        return self.credentials.ca_pem

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalTsa is not started: use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"{'https' if self._https else 'http'}://{host!s}:{port}/"

    def url_for(self, fault: str, key: str = "") -> str:
        """URL of a fault mode from FAULTS; `replay` needs a key naming the reply to repeat."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose one of {', '.join(FAULTS)}")
        if fault == "replay" and not key:
            raise ValueError("the replay fault needs a key, e.g. url_for('replay', 'test-1')")
        return f"{self.url}{fault}" + (f"/{key}" if key else "")

    def start(self) -> Self:
        handler = type("BoundTsaHandler", (_TsaHandler,), {"tsa": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        if self._https:
            cert_file, key_file = self.credentials.issue_tls_server(self.folder)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_file, key_file)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="local-tsa", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._tmp.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def reply(self, query: bytes, *, section: str = "tsa_ok") -> bytes:
        """Run `openssl ts -reply` on a DER query; raises RuntimeError with OpenSSL's stderr."""
        work = self.folder / f"q-{uuid.uuid4().hex}"
        query_file, reply_file = work.with_suffix(".tsq"), work.with_suffix(".tsr")
        query_file.write_bytes(query)
        command = [OPENSSL, "ts", "-reply", "-config", str(self.config_file)]
        command += ["-section", section, "-queryfile", str(query_file), "-out", str(reply_file)]
        env = {k: v for k, v in os.environ.items() if k != "OPENSSL_CONF"}
        try:
            with self._openssl_lock:
                done = subprocess.run(
                    command, capture_output=True, timeout=30, check=False, env=env
                )
                self.requests_served += 1
            if done.returncode != 0 or not reply_file.exists():
                raise RuntimeError(
                    f"openssl ts -reply failed: {done.stderr.decode(errors='replace')}"
                )
            return reply_file.read_bytes()
        finally:
            query_file.unlink(missing_ok=True)
            reply_file.unlink(missing_ok=True)

    def reply_for_path(self, path: str, query: bytes) -> tuple[int, str, bytes]:
        """(status, content type, body) this TSA sends for a query posted to ``path``."""
        fault, _, key = path.strip("/").partition("/")
        if fault == "http-500":
            return 500, "text/plain", b"the time source is unavailable\n"
        if fault == "redirect":
            return 302, "text/plain", self.url.encode()
        if fault == "garbage":
            return 200, REPLY_TYPE, os.urandom(300)
        if fault == "reject":
            return 200, REPLY_TYPE, self.reply(query, section="tsa_reject")
        if fault == "replay":
            with self._openssl_lock:
                cached = self._replays.get(key)
            if cached is None:
                cached = self.reply(query)
                with self._openssl_lock:
                    cached = self._replays.setdefault(key, cached)
            return 200, REPLY_TYPE, cached
        if fault == "slow" and self._stopping.wait(self.slow_seconds):
            return 503, "text/plain", b"shutting down\n"
        if fault not in ("", "content-type", "truncated", "slow"):
            return 404, "text/plain", f"no such TSA path {path!r}\n".encode()
        body = self.reply(query)
        if fault == "truncated":
            return 200, REPLY_TYPE, body[: len(body) // 2]
        return 200, "text/html; charset=utf-8" if fault == "content-type" else REPLY_TYPE, body


class _TsaHandler(BaseHTTPRequestHandler):
    tsa: ClassVar[LocalTsa]
    protocol_version = "HTTP/1.1"
    server_version = "ipwatch-test-tsa/1"

    def do_POST(self) -> None:
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != QUERY_TYPE:
            self._send(415, "text/plain", f"send {QUERY_TYPE}, not {content_type!r}\n".encode())
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send(411, "text/plain", b"Content-Length required\n")
            return
        if not 0 < length <= MAX_QUERY_BYTES:
            self._send(413, "text/plain", b"query too large\n")
            return
        query = self.rfile.read(length)
        try:
            status, reply_type, body = self.tsa.reply_for_path(self.path, query)
        except RuntimeError as exc:
            status, reply_type, body = 500, "text/plain", str(exc).encode()
        self._send(status, reply_type, body)

    def do_GET(self) -> None:
        self._send(405, "text/plain", b"POST an application/timestamp-query\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(status, HTTPStatus(status).phrase)
            self.send_header("Content-Type", content_type)
            if status == 302:
                self.send_header("Location", body.decode())
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the slow fault's whole point)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: pytest output stays readable."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3180)
    args = parser.parse_args(argv)
    with LocalTsa(port=args.port) as tsa:
        print(f"TSA at {tsa.url}  root CA: {tsa.ca_file}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

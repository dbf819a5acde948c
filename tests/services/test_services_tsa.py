"""The local TSA is a real one: OpenSSL verifies what it signs, and each fault does what it says."""

from __future__ import annotations

import http.client
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.services.tsa import FAULTS, OPENSSL, QUERY_TYPE, REPLY_TYPE, LocalTsa

DATA = b"evidence the TSA countersigns\n"


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTsa]:
    with LocalTsa(slow_seconds=30) as server:
        yield server


@pytest.fixture(scope="module")
def query(tsa: LocalTsa) -> bytes:
    """A query made by OpenSSL itself, independent of ipwatch's request builder."""
    data = tsa.folder / "data.txt"
    data.write_bytes(DATA)
    command = [OPENSSL, "ts", "-query", "-data", str(data), "-sha256", "-cert"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def post(
    tsa: LocalTsa, path: str, body: bytes, content_type: str = QUERY_TYPE
) -> tuple[int, str, bytes, http.client.HTTPMessage]:
    host, port = tsa.url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return (
            response.status,
            response.getheader("Content-Type", ""),
            response.read(),
            response.msg,
        )
    finally:
        connection.close()


def openssl_verify(tsa: LocalTsa, reply: bytes, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "reply.tsr").write_bytes(reply)
    (tmp_path / "data.txt").write_bytes(DATA)
    command = [OPENSSL, "ts", "-verify", "-in", str(tmp_path / "reply.tsr")]
    command += ["-data", str(tmp_path / "data.txt"), "-CAfile", str(tsa.ca_file)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_reply_verifies_with_openssl(tsa: LocalTsa, query: bytes, tmp_path: Path) -> None:
    status, content_type, reply, _ = post(tsa, "/", query)

    assert (status, content_type) == (200, REPLY_TYPE)
    done = openssl_verify(tsa, reply, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Verification: OK" in done.stdout


def test_reply_does_not_verify_under_another_root(
    tsa: LocalTsa, query: bytes, tmp_path: Path
) -> None:
    _, _, reply, _ = post(tsa, "/", query)
    with LocalTsa(name="stranger") as stranger:
        done = openssl_verify(stranger, reply, tmp_path)
    assert done.returncode != 0


def test_tsa_certificate_is_for_time_stamping_only(tsa: LocalTsa) -> None:
    cert = tsa.credentials.tsa_cert
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)

    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert constraints.value.ca is False
    assert cert.issuer == tsa.credentials.ca_cert.subject
    assert x509.load_pem_x509_certificate(tsa.ca_pem) == tsa.credentials.ca_cert


def test_serial_numbers_advance(tsa: LocalTsa, query: bytes, tmp_path: Path) -> None:
    serials = []
    for _ in range(2):
        _, _, reply, _ = post(tsa, "/", query)
        (tmp_path / "r.tsr").write_bytes(reply)
        text = subprocess.run(
            [OPENSSL, "ts", "-reply", "-in", str(tmp_path / "r.tsr"), "-text"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        serials.append(next(line for line in text.splitlines() if line.startswith("Serial")))
    assert serials[0] != serials[1]


def test_requests_in_parallel_all_succeed(tsa: LocalTsa, query: bytes) -> None:
    results: list[int] = []

    def one() -> None:
        results.append(post(tsa, "/", query)[0])

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [200] * 6


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/content-type", 200, "text/html; charset=utf-8"),
        ("/http-500", 500, "text/plain"),
        ("/garbage", 200, REPLY_TYPE),
        ("/truncated", 200, REPLY_TYPE),
        ("/reject", 200, REPLY_TYPE),
        ("/redirect", 302, "text/plain"),
        ("/no-such-fault", 404, "text/plain"),
    ],
)
def test_fault_paths(
    tsa: LocalTsa, query: bytes, path: str, status: int, content_type: str
) -> None:
    got_status, got_type, body, headers = post(tsa, path, query)

    assert (got_status, got_type) == (status, content_type)
    assert body
    if path == "/redirect":
        assert headers["Location"] == tsa.url


def test_truncated_and_reject_are_real_openssl_output(
    tsa: LocalTsa, query: bytes, tmp_path: Path
) -> None:
    _, _, truncated, _ = post(tsa, "/truncated", query)
    _, _, rejected, _ = post(tsa, "/reject", query)

    assert openssl_verify(tsa, truncated, tmp_path).returncode != 0
    (tmp_path / "rejected.tsr").write_bytes(rejected)
    text = subprocess.run(
        [OPENSSL, "ts", "-reply", "-in", str(tmp_path / "rejected.tsr"), "-text"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Status: Rejected" in text
    assert "Message digest algorithm is not supported" in text


def test_replay_repeats_the_first_reply_per_key(tsa: LocalTsa, query: bytes) -> None:
    first = post(tsa, "/replay/a", query)[2]
    again = post(tsa, "/replay/a", query)[2]
    other_key = post(tsa, "/replay/b", query)[2]

    assert first == again
    assert other_key != first


def test_queries_must_be_timestamp_queries(tsa: LocalTsa, query: bytes) -> None:
    assert post(tsa, "/", query, content_type="application/octet-stream")[0] == 415
    assert post(tsa, "/", b"x" * (17 * 1024))[0] == 413


def test_slow_fault_answers_late_and_stop_does_not_wait_for_it(query: bytes) -> None:
    server = LocalTsa(slow_seconds=600).start()
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=0.5)
    connection.request("POST", "/slow", body=query, headers={"Content-Type": QUERY_TYPE})
    with pytest.raises(TimeoutError):
        connection.getresponse()
    connection.close()

    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(timeout=60)  # a hang guard, far below the handler's 600 s sleep
    assert not stopper.is_alive()
    assert not server.folder.exists()


def test_url_for_knows_its_faults(tsa: LocalTsa) -> None:
    assert [tsa.url_for(f, "k") for f in FAULTS if f == "replay"] == [f"{tsa.url}replay/k"]
    with pytest.raises(ValueError, match="unknown fault"):
        tsa.url_for("flaky")
    with pytest.raises(ValueError, match="needs a key"):
        tsa.url_for("replay")

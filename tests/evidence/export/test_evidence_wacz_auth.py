"""WACZ Auth 0.1.0 signedData checked by an independent implementation: Chromium's WebCrypto.

ReplayWeb.page (wabac.js ``verifyWACZSignature``) verifies an anonymous signature in the
browser: SPKI ``publicKey`` imported as ECDSA P-384, ``crypto.subtle.verify`` with SHA-256 over
the UTF-8 ``hash``. The same calls run here in Debian's Chromium (BoringSSL, not the
``cryptography`` package that signed), and ``wacz validate`` (py-wacz) checks the digest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from evidence.export.wacz import DATAPACKAGE, DIGEST, WaczPage, build_wacz, write_wacz
from evidence.export.wacz_auth import (
    add_time_signature,
    generate_wacz_key,
    load_wacz_key,
    verify_signed_data,
)
from evidence.seal.signing import KeyExistsError, SigningKeyError
from evidence.timestamp.client import request_timestamp
from evidence.verify.wacz import verify_wacz
from tests.data.make_bundles import HERE, TOKENS, good_parts
from tests.evidence.export.test_evidence_wacz import (
    MOMENT,
    SIGNER,
    WACZ_SIGNER,
    make_wacz,
    rewrite,
)
from tests.support import free_port, wacz_validate

CHROMIUM = "/usr/bin/chromium"


def needs_chromium(test: Any) -> Any:
    """A real-browser test: marked slow, skipped where Debian's Chromium is missing."""
    skip = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
    return pytest.mark.slow(skip(test))


# wabac.js verifyWACZSignature, the anonymous branch, as ReplayWeb.page runs it.
WABAC_VERIFY = """async ({hash, signature, publicKey}) => {
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  let key;
  try {
    key = await crypto.subtle.importKey(
      "spki", b64(publicKey), {name: "ECDSA", namedCurve: "P-384"}, true, ["verify"]);
  } catch (e) {
    return "import failed: " + e.name;
  }
  return await crypto.subtle.verify(
    {name: "ECDSA", hash: "SHA-256"}, key, b64(signature), new TextEncoder().encode(hash));
}"""


@pytest.fixture(scope="module")
def webcrypto() -> Iterator[Any]:
    """Chromium with WebCrypto, on a page from 127.0.0.1: a secure context (about:blank is not)."""
    from playwright.sync_api import sync_playwright

    from evidence.capture.chromium import LAUNCH_ARGS

    class Blank(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<title>verify</title>")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            assert page.evaluate("() => window.isSecureContext && !!crypto.subtle")
            yield page
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def wacz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with tempfile.TemporaryDirectory() as work:
        parts = good_parts(Path(work), HERE / TOKENS)
    return make_wacz(parts, tmp_path_factory.mktemp("auth") / "signed.wacz")


def digest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(DIGEST))


@needs_chromium
def test_chromium_webcrypto_verifies_the_spec_signature(wacz: Path, webcrypto: Any) -> None:
    signed = digest_of(wacz)["signedData"]
    with zipfile.ZipFile(wacz) as zf:
        package = zf.read(DATAPACKAGE)
    assert signed["hash"] == "sha256:" + hashlib.sha256(package).hexdigest()
    assert set(signed) == {"hash", "created", "software", "version", "signature", "publicKey"}
    assert signed["created"] == json.loads(package)["created"]  # wacz validate compares them
    assert webcrypto.evaluate(WABAC_VERIFY, signed) is True
    assert verify_signed_data(signed)
    done = wacz_validate(wacz)
    assert done.returncode == 0 and "Validation succeeded" in done.stdout, done.stdout


@needs_chromium
def test_forged_datapackage_digest_fails_the_independent_check(
    wacz: Path, webcrypto: Any, tmp_path: Path
) -> None:
    """Attack: rewrite datapackage.json and its digest, keeping the old signature."""
    with zipfile.ZipFile(wacz) as zf:
        package = zf.read(DATAPACKAGE)
    digest = digest_of(wacz)
    forged_package = package.replace(b"test case", b"test cast")
    forged_hash = "sha256:" + hashlib.sha256(forged_package).hexdigest()
    digest["hash"] = digest["signedData"]["hash"] = forged_hash
    assert webcrypto.evaluate(WABAC_VERIFY, digest["signedData"]) is False
    assert not verify_signed_data(digest["signedData"])

    step = rewrite(wacz, tmp_path / "step.wacz", DATAPACKAGE, forged_package)
    forged = rewrite(step, tmp_path / "forged.wacz", DIGEST, json.dumps(digest).encode())
    report = verify_wacz(forged, public_key=SIGNER.public_key_pem())[0]
    assert report.get("wacz.spec-signature").status == "failed"

    # Only the digest edited: the hash no longer matches datapackage.json, which py-wacz sees.
    stale = rewrite(wacz, tmp_path / "stale.wacz", DIGEST, json.dumps(digest).encode())
    done = wacz_validate(stale)
    assert done.returncode == 1 and "hash mismatch" in done.stdout, done.stdout


@needs_chromium
def test_swapped_or_stripped_signing_key_is_not_trusted(
    wacz: Path, webcrypto: Any, tmp_path: Path
) -> None:
    """Attack: re-sign the digest with the forger's own ECDSA key (spec tools accept it)."""
    from tests.evidence.evidence_samples import fixed_wacz_signer

    digest = digest_of(wacz)
    forger = fixed_wacz_signer(0xBAD)
    signed = digest["signedData"]
    digest["signedData"] = forger.signed_data(signed["hash"], signed["created"], "forger")
    assert webcrypto.evaluate(WABAC_VERIFY, digest["signedData"]) is True
    swapped = rewrite(wacz, tmp_path / "swapped.wacz", DIGEST, json.dumps(digest).encode())
    report = verify_wacz(swapped, public_key=SIGNER.public_key_pem())[0]
    check = report.get("wacz.spec-signature")
    assert check.status == "not_checked" and "no trusted key vouches" in check.detail
    del digest["signedData"]  # Attack: strip the spec signature (spec tools: "unsigned")
    stripped = rewrite(wacz, tmp_path / "stripped.wacz", DIGEST, json.dumps(digest).encode())
    check = verify_wacz(stripped, public_key=SIGNER.public_key_pem())[0].get("wacz.spec-signature")
    assert check.status == "failed" and "removed" in check.detail
    assert verify_wacz(wacz, public_key=SIGNER.public_key_pem())[0].get(
        "wacz.spec-signature"
    ).status == ("passed")


@needs_chromium
def test_a_p256_key_would_not_import_where_replayweb_verifies(webcrypto: Any) -> None:
    """Why P-384: ReplayWeb.page imports anonymous keys as P-384, so P-256 cannot verify."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    spki = (
        ec.derive_private_key(7, ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signed = {**WACZ_SIGNER.signed_data("sha256:00", "x", "y")}
    signed["publicKey"] = base64.b64encode(spki).decode()
    assert str(webcrypto.evaluate(WABAC_VERIFY, signed)).startswith("import failed")
    assert not verify_signed_data(signed)


def test_malformed_signed_data_is_false_not_an_exception() -> None:
    good = WACZ_SIGNER.signed_data("sha256:ab", "2024-06-01T09:00:00Z", "t")
    assert verify_signed_data(good)
    for bad in (
        None,
        [],
        {**good, "signature": "!!"},
        {**good, "publicKey": "bm90IGEga2V5"},
        {**good, "signature": good["signature"][:-8] + "AAAAAAA="},
        {**good, "hash": 5},
        {**good, "publicKey": "A" * 10_000},
    ):
        assert verify_signed_data(bad) is False


def test_key_file_is_private_reloads_and_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "wacz.pem"
    made = generate_wacz_key(path, passphrase=b"")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_wacz_key(path, passphrase=b"").key_id == made.key_id
    with pytest.raises(KeyExistsError):
        generate_wacz_key(path)
    ed25519 = tmp_path / "ed.pem"
    ed25519.write_bytes(SIGNER._private_key.private_bytes(*_pkcs8()))
    with pytest.raises(SigningKeyError, match="not an ECDSA P-384 key"):
        load_wacz_key(ed25519, passphrase=b"")


def _pkcs8() -> tuple[Any, Any, Any]:
    from cryptography.hazmat.primitives import serialization

    return (
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def build_stamped(out: Path, time_stamp: Any) -> Path:
    """The sample package, its spec signature timestamped through ``time_stamp``."""
    with tempfile.TemporaryDirectory() as work:
        parts = good_parts(Path(work), HERE / TOKENS)
    sid = json.loads(parts["seal.json"])["snapshot_id"]
    files = build_wacz(
        {sid: parts},
        [WaczPage(sid, "http://127.0.0.1:8080/item/42", "2024-05-01T12:30:15Z", "t")],
        signer=SIGNER,
        wacz_signer=WACZ_SIGNER,
        created=MOMENT,
        software="ipwatch test",
        title="stamped",
        time_stamp=time_stamp,
    )
    return write_wacz(files, out, MOMENT)


def openssl_ts_verify(signed: dict[str, Any], ca_file: Path, where: Path) -> bool:
    """`openssl ts -verify`: an RFC 3161 implementation apart from ipwatch's, as authsign and
    wacz-signing check a timeSignature (the TSA countersigned the base64 signature text)."""
    ca = str(ca_file)
    (where / "signature.txt").write_bytes(signed["signature"].encode("ascii"))
    (where / "reply.tsr").write_bytes(base64.b64decode(signed["timeSignature"]))
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-data", "signature.txt", "-in", "reply.tsr", "-CAfile", ca],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0 and "Verification: OK" in done.stdout


def test_time_signature_verifies_with_openssl_and_a_replayed_one_fails(
    local_tsa: Any, tmp_path: Path
) -> None:
    def stamp(digest: bytes) -> bytes:
        return request_timestamp(digest, local_tsa.url).der

    wacz = build_stamped(tmp_path / "stamped.wacz", stamp)
    signed = digest_of(wacz)["signedData"]
    assert "BEGIN CERTIFICATE" in signed["timestampCert"]
    assert openssl_ts_verify(signed, local_tsa.ca_file, tmp_path)
    report = verify_wacz(wacz, public_key=SIGNER.public_key_pem(), tsa_roots=[local_tsa.ca_pem])
    assert report[0].get("wacz.spec-timestamp").status == "passed"
    assert report[0].get("wacz.spec-signature").status == "passed"
    assert verify_wacz(wacz)[0].get("wacz.spec-timestamp").status == "not_checked"  # no roots

    # Attack: a genuine timestamp, but for another signature, pasted into this package.
    other = WACZ_SIGNER.signed_data("sha256:" + "0" * 64, MOMENT.isoformat(), "x")
    add_time_signature(other, stamp)
    digest = digest_of(wacz)
    digest["signedData"]["timeSignature"] = other["timeSignature"]
    assert not openssl_ts_verify(digest["signedData"], local_tsa.ca_file, tmp_path)
    replayed = rewrite(wacz, tmp_path / "replayed.wacz", DIGEST, json.dumps(digest).encode())
    report = verify_wacz(replayed, tsa_roots=[local_tsa.ca_pem])
    assert report[0].get("wacz.spec-timestamp").status == "failed"


def test_a_tsa_that_is_down_leaves_the_package_signed_and_says_why(tmp_path: Path) -> None:
    def stamp(digest: bytes) -> bytes:
        return request_timestamp(digest, f"http://127.0.0.1:{free_port()}/", timeout=5).der

    wacz = build_stamped(tmp_path / "unstamped.wacz", stamp)
    digest = digest_of(wacz)
    assert "timeSignature" not in digest["signedData"]
    assert verify_signed_data(digest["signedData"])
    assert digest["ipwatchSignedData"]["timeSignatureError"].startswith("no timeSignature:")
    assert verify_wacz(wacz)[0].get("wacz.spec-timestamp") is None

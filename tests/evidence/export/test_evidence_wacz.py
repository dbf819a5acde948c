"""WACZ export of sealed snapshots: spec layout, hashes, CDXJ offsets, signed digest, verify."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from evidence.export.cdxj import cdxj_lines, surt_key
from evidence.export.wacz import (
    DATAPACKAGE,
    DIGEST,
    INDEX,
    PAGES,
    SIGNED_DATA,
    WaczPage,
    build_wacz,
    digest_message,
    evidence_path,
    resource_names,
    write_wacz,
)
from evidence.seal.signing import verify
from evidence.verify.wacz import verify_wacz
from tests.data.make_bundles import HERE, TOKENS, good_parts
from tests.evidence.evidence_samples import OTHER_KEY_SEED, fixed_signer, fixed_wacz_signer

SIGNER = fixed_signer()
WACZ_SIGNER = fixed_wacz_signer()
MOMENT = datetime(2024, 6, 1, 9, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def parts() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as work:
        return good_parts(Path(work), HERE / TOKENS)


def snapshot_id(parts: dict[str, bytes]) -> str:
    return json.loads(parts["seal.json"])["snapshot_id"]


def make_wacz(parts: dict[str, bytes], out: Path) -> Path:
    sid = snapshot_id(parts)
    manifest = json.loads(parts["manifest.json"])
    page = WaczPage(sid, manifest["listing"]["url"], manifest["captured_at"], "Nikee Air")
    files = build_wacz(
        {sid: parts},
        [page],
        signer=SIGNER,
        wacz_signer=WACZ_SIGNER,
        created=MOMENT,
        software="ipwatch test",
        title="test case",
        extras={"report/report.html": b"<html></html>"},
    )
    return write_wacz(files, out, MOMENT)


def rewrite(src: Path, dst: Path, name: str, change: bytes | None) -> Path:
    """Copy a zip, replacing (or, with None, dropping) one entry, as a tamperer would."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == name:
                if change is not None:
                    zout.writestr(info, change)
            else:
                zout.writestr(info, zin.read(info))
    return dst


def test_layout_follows_the_spec_and_every_hash_matches(parts: dict, tmp_path: Path) -> None:
    wacz = make_wacz(parts, tmp_path / "one.wacz")
    sid = snapshot_id(parts)
    with zipfile.ZipFile(wacz) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        for required in (DATAPACKAGE, DIGEST, PAGES, INDEX, f"archive/{sid}-response.warc"):
            assert required in names
        assert f"evidence/{sid}~manifest.json" in names
        assert f"evidence/{sid}~seal.json" in names and f"evidence/{sid}~timestamp.tsr" in names
        assert all(name.count("/") == 1 for name in names - {DATAPACKAGE, DIGEST})
        assert zf.getinfo(f"archive/{sid}-response.warc").compress_type == zipfile.ZIP_STORED
        package = json.loads(zf.read(DATAPACKAGE))
        assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
        listed = {r["path"]: r for r in package["resources"]}
        assert set(listed) == names - {DATAPACKAGE, DIGEST}
        for path, resource in listed.items():
            data = zf.read(path)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), path
            assert resource["bytes"] == len(data)
        lines = zf.read(PAGES).decode().splitlines()
    header = json.loads(lines[0])
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "test case"}
    page = json.loads(lines[1])
    assert page["url"] == "http://127.0.0.1:8080/item/42" and page["id"] == sid
    assert datetime.fromisoformat(page["ts"].replace("Z", "+00:00")).tzinfo is not None


def test_cdxj_entries_point_at_their_records(parts: dict, tmp_path: Path) -> None:
    wacz = make_wacz(parts, tmp_path / "one.wacz")
    with zipfile.ZipFile(wacz) as zf:
        lines = zf.read(INDEX).decode().splitlines()
        assert len(lines) == 1  # the response; requests are not indexed
        key, stamp, body = lines[0].split(" ", 2)
        entry = json.loads(body)
        assert key == "1,0,0,127:8080)/item/42" and stamp == "20240501123015"
        assert set(entry) == {"url", "mime", "status", "digest", "length", "offset", "filename"}
        assert entry["mime"] == "text/html" and entry["status"] == "200"
        warc = zf.read(f"archive/{entry['filename']}")
    start, length = int(entry["offset"]), int(entry["length"])
    record = next(iter(ArchiveIterator(BytesIO(warc[start : start + length]))))
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
    assert record.rec_headers.get_header("WARC-Payload-Digest") == entry["digest"]
    assert b"Nikee Air" in record.content_stream().read()


def test_surt_keys() -> None:
    assert surt_key("https://www.Example.com:443/A/b/?z=1&a=2") == "com,example)/a/b?a=2&z=1"
    assert surt_key("http://shop.example.co.uk/item") == "uk,co,example,shop)/item"
    assert surt_key("http://example.com") == "com,example)/"


def test_cdxj_refuses_a_damaged_warc(parts: dict) -> None:
    from evidence.exceptions import WarcError

    warc = parts["artifacts/response.warc"]
    with pytest.raises(WarcError):
        cdxj_lines(b"garbage that is no WARC\r\n\r\n" + warc, "x.warc")


def test_digest_signature_verifies_and_fails_when_datapackage_changes(
    parts: dict, tmp_path: Path
) -> None:
    wacz = make_wacz(parts, tmp_path / "one.wacz")
    with zipfile.ZipFile(wacz) as zf:
        digest = json.loads(zf.read(DIGEST))
        package = zf.read(DATAPACKAGE)
    signed = digest[SIGNED_DATA]
    assert digest["hash"] == signed["hash"] == "sha256:" + hashlib.sha256(package).hexdigest()
    assert signed["algorithm"] == "Ed25519" and signed["keyId"] == SIGNER.key_id
    spec_key = digest["signedData"]["publicKey"]  # the ECDSA key the Ed25519 signature vouches for
    assert signed["waczPublicKey"] == spec_key == WACZ_SIGNER.public_key_b64
    message = digest_message(signed["hash"], signed["created"], signed["software"], spec_key)
    assert not verify(
        SIGNER.public_key_pem(),
        digest_message(signed["hash"], signed["created"], signed["software"]),
        base64.b64decode(signed["signature"]),
    )  # a swapped-in ECDSA key is not vouched for
    signature = base64.b64decode(signed["signature"])
    assert verify(SIGNER.public_key_pem(), message, signature)
    assert not verify(fixed_signer(OTHER_KEY_SEED).public_key_pem(), message, signature)

    changed = package.replace(b"test case", b"test cast")
    assert not verify(
        SIGNER.public_key_pem(),
        digest_message(
            "sha256:" + hashlib.sha256(changed).hexdigest(),
            signed["created"],
            signed["software"],
            spec_key,
        ),
        signature,
    )
    forged = rewrite(wacz, tmp_path / "forged.wacz", DATAPACKAGE, changed)
    report = verify_wacz(forged, public_key=SIGNER.public_key_pem())[0]
    got = {c.name: c for c in report.failed}
    assert "wacz.digest" in got and "wacz.signature" in got


def test_verify_wacz_passes_then_names_the_tampered_file(parts: dict, tmp_path: Path) -> None:
    wacz = make_wacz(parts, tmp_path / "one.wacz")
    key = SIGNER.public_key_pem()
    reports = verify_wacz(wacz, public_key=key)
    assert [c.status for c in reports[0].checks] == ["passed"] * 7, reports[0].checks
    assert len(reports) == 2 and reports[1].ok and not reports[1].failed

    sid = snapshot_id(parts)
    manifest = json.loads(parts["manifest.json"])
    image = evidence_path(sid, "artifacts/" + manifest["artifacts"][1]["name"])
    with zipfile.ZipFile(wacz) as zf:
        original = zf.read(image)
    bad = rewrite(wacz, tmp_path / "bad.wacz", image, original[:-1] + b"\x00")
    package, snapshot = verify_wacz(bad, public_key=key)
    assert image in package.get("wacz.resources").detail
    assert package.get("wacz.resources").status == "failed"
    assert snapshot.get(f"artifact:{manifest['artifacts'][1]['name']}").status == "failed"

    missing = rewrite(wacz, tmp_path / "missing.wacz", f"archive/{sid}-response.warc", None)
    package, snapshot = verify_wacz(missing, public_key=key)
    assert "archive/*.warc" in package.get("wacz.structure").detail
    assert snapshot.get("artifact:response.warc").status == "failed"


def test_without_a_key_the_packages_own_key_is_not_trusted(parts: dict, tmp_path: Path) -> None:
    wacz = make_wacz(parts, tmp_path / "one.wacz")
    package = verify_wacz(wacz)[0]
    signature = package.get("wacz.signature")
    assert signature.status == "not_checked" and "OWN key" in signature.detail


def test_resource_names_frictionless_accepts_even_for_hostile_paths() -> None:
    """Capitals, names differing only in case, and characters outside the allowed set."""
    paths = ["evidence/S-1~A.json", "evidence/S-1~a.json", "report/ü ber.html", "archive/x.warc"]
    names = resource_names(paths)
    assert set(names) == set(paths) and len(set(names.values())) == len(paths)
    assert all(re.fullmatch(r"[-a-z0-9._/]+", name) for name in names.values())
    assert names["archive/x.warc"] == "archive/x.warc"


def test_bundle_part_with_the_separator_is_refused(parts: dict) -> None:
    """Attack: a part named so that its WACZ path would collide with another snapshot's part."""
    from evidence.export.bundle import BundleError

    sid = snapshot_id(parts)
    assert evidence_path(sid, "artifacts/images/1.png") == f"evidence/{sid}~artifacts~images~1.png"
    with pytest.raises(BundleError):
        evidence_path(sid, "artifacts~images/1.png")


def test_the_reports_manual_steps_run_on_the_unzipped_package(parts: dict, tmp_path: Path) -> None:
    """The report's "by hand" commands name the files where this layout puts them."""
    import functools
    import subprocess

    from lxml import html as lxml_html

    from evidence.export.report import CaseReport, snapshot_report
    from evidence.export.report_html import render_html

    sid = snapshot_id(parts)
    report = snapshot_report(parts, wacz_path=functools.partial(evidence_path, sid))
    case = CaseReport("t", "2024-06-01T09:00:00Z", "t", "one.wacz", report.key_id, [report])
    (steps,) = [
        pre.text_content()
        for pre in lxml_html.fromstring(render_html(case)).xpath("//pre")
        if "sha256sum" in pre.text_content()
    ]
    commands = [line for line in steps.splitlines() if not line.startswith(("#", "openssl ts"))]
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(make_wacz(parts, tmp_path / "one.wacz")) as zf:
        zf.extractall(folder)
    (folder / "published-key.pem").write_bytes(SIGNER.public_key_pem())
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(commands)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    manifest_sha = hashlib.sha256(parts["manifest.json"]).hexdigest()
    assert f"{manifest_sha}  evidence/{sid}~manifest.json" in done.stdout
    for artifact in json.loads(parts["manifest.json"])["artifacts"]:
        assert artifact["sha256"] in done.stdout, artifact["name"]
    assert "Signature Verified Successfully" in done.stdout

"""``ipwatch evidence export`` through the real CLI: a case WACZ of two snapshots, its report
(HTML and a Chromium-printed PDF), offline verification, a tampered package, selectors."""

from __future__ import annotations

import json
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence.export.wacz_auth import load_wacz_key
from ipwatch.services.workspace import WACZ_SIGNING_KEY, Workspace
from model import FindingRecord, Seller
from tests.ipwatch.test_ipwatch_evidence import offline_verify, seal_into
from tests.services.tsa import LocalTsa
from tests.support import run_ipwatch, wacz_validate


def add_finding(home: Path, snapshot_ids: list[str]) -> None:
    """Index finding F-1 (seller s-9) citing the snapshots, with a word-mark span as evidence."""
    workspace = Workspace.open(home)
    now = datetime(2024, 5, 1, 12, 31, tzinfo=UTC)
    try:
        workspace.index.upsert_finding(
            FindingRecord(
                id="F-1",
                listing_id="L-1",
                asset_id="A-1",
                owner="Nike, Inc.",
                marketplace="demomarket",
                risk=0.87,
                flagged=True,
                created=now,
                updated=now,
                seller=Seller(id="s-9", name="Cheap Kicks"),
                snapshot_ids=snapshot_ids,
                signals=[
                    {
                        "kind": "word_mark",
                        "score": 0.91,
                        "detail": "d",
                        "evidence": {
                            "field": "title",
                            "start": 0,
                            "end": 5,
                            "text": "Nikee",
                            "form": "nike",
                        },
                    }
                ],
            )
        )
    finally:
        workspace.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_case_export_of_two_snapshots_verifies_offline(home: Path, tmp_path: Path) -> None:
    first, second = seal_into(home, 2)
    out = tmp_path / "out" / "case.wacz"
    made = run_ipwatch(
        home, "--operator", "carol", "evidence", "export", first, second, "--out", str(out)
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert "2 snapshot(s)" in made.stdout
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        pages = zf.read("pages/pages.jsonl").decode().splitlines()
        pdf = zf.read("report/report.pdf")
        index = zf.read("indexes/index.cdx").decode().splitlines()
        digest = json.loads(zf.read("datapackage-digest.json"))
    for sid in (first, second):
        assert f"archive/{sid}-response.warc" in names
        assert f"evidence/{sid}~custody.jsonl" in names
    assert [json.loads(p)["id"] for p in pages[1:]] == [first, second]
    assert len(index) == 2
    validated = wacz_validate(out)  # py-wacz's CLI: frictionless names, paths, hashes, digest
    assert validated.returncode == 0 and "Validation succeeded" in validated.stdout
    key = home / WACZ_SIGNING_KEY  # the spec signature's ECDSA key, made by the first export
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert digest["signedData"]["publicKey"] == load_wacz_key(key).public_key_b64
    assert pdf.startswith(b"%PDF-") and (out.with_suffix(".pdf")).read_bytes() == pdf
    report = out.with_suffix(".html").read_text()
    assert first in report and second in report and "ipwatch evidence verify case.wacz" in report

    listed = run_ipwatch(home, "evidence", "custody", first)
    assert "carol" in listed.stdout and "exported" in listed.stdout

    public_key = tmp_path / "published.pem"
    assert run_ipwatch(home, "keys", "export", "--out", str(public_key)).returncode == 0
    printed = offline_verify(out, public_key, tmp_path / "court", expect=0)
    assert "2 of 2 snapshot(s) verified" in printed
    for name in (
        "wacz.resources",
        "wacz.signature",
        "wacz.spec-signature",
        "wacz.index",
        "custody",
    ):
        assert name in printed

    again = run_ipwatch(home, "evidence", "export", first, "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_tampered_wacz_fails_naming_the_file(home: Path, tmp_path: Path) -> None:
    (sid,) = seal_into(home)
    add_finding(home, [sid])
    out = tmp_path / "one.wacz"
    made = run_ipwatch(
        home, "evidence", "export", "--finding", "F-1", "--no-pdf", "--out", str(out)
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert not out.with_suffix(".pdf").exists()
    assert "<mark>Nikee</mark>" in out.with_suffix(".html").read_text()  # span from the index
    by_seller = run_ipwatch(
        home, "evidence", "export", "--seller", "s-9", "--no-pdf", "--out", str(tmp_path / "s.wacz")
    )
    assert by_seller.returncode == 0 and "1 snapshot(s)" in by_seller.stdout
    warc = f"archive/{sid}-response.warc"
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data.replace(b"Nikee", b"Nikey") if info.filename == warc else data)
    public_key = tmp_path / "published.pem"
    run_ipwatch(home, "keys", "export", "--out", str(public_key))
    printed = offline_verify(tampered, public_key, tmp_path / "court", expect=1)
    assert warc in printed and "artifact:response.warc" in printed and "failed" in printed


def test_export_refuses_an_empty_selection(home: Path, tmp_path: Path) -> None:
    seal_into(home)
    done = run_ipwatch(
        home, "evidence", "export", "--seller", "nobody", "--out", str(tmp_path / "x.wacz")
    )
    assert done.returncode == 2 and "nothing to export" in done.stderr


def test_export_timestamps_the_spec_signature_through_the_configured_tsa(
    home: Path, tmp_path: Path
) -> None:
    with LocalTsa(name="ipwatch export test TSA") as tsa:
        home.mkdir(parents=True)
        (home / "ipwatch.yaml").write_text(f"timestamp:\n  url: {tsa.url}\n")
        (sid,) = seal_into(home)
        out = tmp_path / "stamped.wacz"
        made = run_ipwatch(home, "evidence", "export", sid, "--no-pdf", "--out", str(out))
        assert made.returncode == 0, made.stdout + made.stderr
        (tmp_path / "tsa.pem").write_bytes(tsa.ca_pem)
    with zipfile.ZipFile(out) as zf:
        signed = json.loads(zf.read("datapackage-digest.json"))["signedData"]
    assert signed["timeSignature"] and "BEGIN CERTIFICATE" in signed["timestampCert"]
    public_key = tmp_path / "published.pem"
    assert run_ipwatch(home, "keys", "export", "--out", str(public_key)).returncode == 0
    verified = run_ipwatch(
        home, "evidence", "verify", str(out), "--public-key", str(public_key), "-v",
        "--tsa-ca", str(tmp_path / "tsa.pem"),
    )  # fmt: skip
    assert verified.returncode == 0, verified.stdout
    line = next(x for x in verified.stdout.splitlines() if "wacz.spec-timestamp" in x)
    assert "passed" in line

"""The evidence report: hostile listing text stays text, hashes and verify steps are there,
and the PDF is printed by the real Chromium."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from evidence.export.bundle import HomeSource, artifact_path, bundle_parts
from evidence.export.report import CaseReport, ImageFile, snapshot_report
from evidence.export.report_html import render_html
from evidence.export.wacz import evidence_path
from evidence.seal.custody import CustodyLog
from evidence.seal.snapshot import Citation, ListingInfo, seal
from evidence.storage.blobstore import BlobStore
from model import Signal
from tests.evidence.evidence_samples import (
    CountingIds,
    FixedClock,
    make_sealer,
    png_bytes,
    sample_capture,
    sample_images,
)

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">Nikee'
REGISTERED = png_bytes((0, 0, 255))


def hostile_parts(root: Path) -> dict[str, bytes]:
    clock = FixedClock()
    sealer = make_sealer(root, clock)
    listing = ListingInfo(
        id="L-9",
        url="http://127.0.0.1:8080/item/9",
        marketplace="demomarket",
        title=HOSTILE,
        seller_name='"><script>alert(3)</script>',
    )
    citation = Citation(
        "F-9",
        "A-1",
        "US <b>1</b>",
        "Nike <script>x</script>",
        0.9,
        [Signal("word_mark", 0.95, f"'{HOSTILE}' matches Nike")],
    )
    store = BlobStore(root / "blobs")
    sealed = seal(
        sample_capture(),
        listing,
        sample_images(),
        [citation],
        store=store,
        sealer=sealer,
        new_id=CountingIds(),
    )
    custody = CustodyLog(root / "custody.jsonl", clock=clock)
    custody.append(sealed.id, "exported", operator="<script>op</script>", signer=sealer.signer)
    source = HomeSource(
        sealed.id,
        store=store,
        seals=sealer.seals,
        custody=custody,
        public_key=sealer.signer.public_key_pem(),
    )
    return bundle_parts(source)


def build_report(
    parts: dict[str, bytes], image_signal: bool, image_kind: str = "image_copy", bbox: object = None
) -> CaseReport:
    import json

    manifest = json.loads(parts["manifest.json"])
    sid = manifest["snapshot_id"]
    listing_sha = manifest["artifacts"][1]["sha256"]
    start = HOSTILE.index("Nikee")
    signals = [
        {
            "kind": "word_mark",
            "score": 0.95,
            "detail": "x",
            "evidence": {
                "field": "title",
                "start": start,
                "end": start + 5,
                "text": "Nikee",
                "form": "nike",
            },
        },
    ]
    if image_signal:
        signals.insert(
            0,
            {
                "kind": image_kind,
                "score": 0.9,
                "detail": "y",
                "evidence": {
                    "reference_sha256": "ab" * 32,
                    "listing_image_sha256": listing_sha,
                    **({"bbox": bbox} if bbox is not None else {}),
                },
            },
        )
    report = snapshot_report(
        parts,
        wacz_path=lambda part: evidence_path(sid, part),
        finding_signals={"F-9": signals},
        asset_name=lambda _: "Nike <i>mark</i>",
        reference_image=lambda sha: ImageFile(REGISTERED, "image/png", "logo", sha),
    )
    return CaseReport(
        "Case <script>t</script>",
        "2024-06-01T09:00:00Z",
        "ipwatch test",
        "case.wacz",
        report.key_id,
        [report],
    )


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return hostile_parts(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("image_signal", [False, True])
def test_hostile_listing_text_is_escaped(parts: dict[str, bytes], image_signal: bool) -> None:
    page = render_html(build_report(parts, image_signal))
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == []
    assert tree.xpath("//*[@onerror]") == []
    assert all(src.startswith("data:image/") for src in tree.xpath("//img/@src"))
    text = tree.text_content()
    assert HOSTILE in text  # shown as text, exactly
    assert '"><script>alert(3)</script>' in text and "<script>op</script>" in text
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp
    if image_signal:
        assert len(tree.xpath("//figure/img")) == 2  # registered beside listing image
    else:
        assert tree.xpath("//mark")[0].text == "Nikee"  # the matched span, highlighted


def test_a_logo_is_shown_beside_the_listing_image_with_its_region_outlined(
    parts: dict[str, bytes],
) -> None:
    import json

    listing = json.loads(parts["manifest.json"])["artifacts"][1]
    with Image.open(io.BytesIO(parts[artifact_path(listing["name"])])) as im:
        width, height = im.size
    box = [width // 4, height // 4, width // 2, height]
    tree = lxml_html.fromstring(render_html(build_report(parts, True, "logo", box)))
    assert len(tree.xpath("//figure//img")) == 2  # registered beside listing image
    (region,) = tree.xpath("//div[@class='region']/@style")
    assert "left:25.00%" in region and "top:25.00%" in region and "height:75.00%" in region
    assert "outlined" in tree.text_content()


@pytest.mark.parametrize("bbox", [[1, 2, 3], ["1", 2, 3, 4], [50, 50, 10, 10], "x", None])
def test_a_malformed_region_is_not_drawn(parts: dict[str, bytes], bbox: object) -> None:
    tree = lxml_html.fromstring(render_html(build_report(parts, True, "logo", bbox)))
    assert tree.xpath("//div[@class='region']") == []
    assert len(tree.xpath("//figure//img")) == 2


def test_report_shows_hashes_timeline_and_verify_steps(parts: dict[str, bytes]) -> None:
    import hashlib
    import json

    case = build_report(parts, False)
    text = lxml_html.fromstring(render_html(case)).text_content()
    manifest = json.loads(parts["manifest.json"])
    assert hashlib.sha256(parts["manifest.json"]).hexdigest() in text
    for artifact in manifest["artifacts"]:
        assert artifact["sha256"] in text
    assert "ipwatch evidence verify case.wacz --public-key published-key.pem" in text
    assert "openssl pkeyutl -verify" in text and "sha256sum" in text
    whats = [e.what for e in case.snapshots[0].timeline]
    assert whats[:2] == ["captured", "sealed"] and "exported" in whats


def test_openssl_route_in_the_report_verifies_the_manifest(
    parts: dict[str, bytes], tmp_path: Path
) -> None:
    """The hand-check steps are real: run them with openssl on the unpacked files."""
    import json
    import subprocess

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    sid = json.loads(parts["seal.json"])["snapshot_id"]
    for name in ("manifest.json", "seal.json", "public-key.pem"):
        target = tmp_path / evidence_path(sid, name)  # where the WACZ holds them
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(parts[name])
    (tmp_path / "published-key.pem").write_bytes(parts["public-key.pem"])
    text = lxml_html.fromstring(render_html(build_report(parts, False))).text_content()
    block = text.split("Checking this snapshot by hand")[1]
    commands = [line for line in block.splitlines() if line.startswith(("printf", "python3"))]
    for command in commands:
        subprocess.run(command, shell=True, cwd=tmp_path, check=True, timeout=30)
    verify = next(line for line in block.splitlines() if line.startswith("openssl pkeyutl"))
    done = subprocess.run(
        verify.split("#")[0],
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0 and "Verified Successfully" in done.stdout, done.stderr
    (tmp_path / "signed.bin").write_bytes(b"ipwatch manifest v2\n" + parts["manifest.json"][:-1])
    bad = subprocess.run(
        verify.split("#")[0],
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert bad.returncode != 0


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_pdf_is_printed_by_chromium(parts: dict[str, bytes]) -> None:
    from evidence.export.report_pdf import html_to_pdf

    pdf = html_to_pdf(render_html(build_report(parts, True)))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) >= 1
    assert b"Skia/PDF" in pdf  # Chromium's PDF backend names itself as the producer

"""An export of a real browser capture, read by the standard tools: py-wacz validates it and
pywb replays the listing with its images, as Chromium captured it.

The demo shop is stopped before replay, so every byte the replay shows comes from the WACZ.
"""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from demomarket import DemoMarket
from evidence.capture.browser import BrowserCapturer, BrowserSettings
from evidence.capture.chromium import CHROMIUM, LAUNCH_ARGS
from evidence.export.bundle import HomeSource, bundle_parts
from evidence.export.wacz import INDEX, WaczPage, build_wacz, evidence_path, write_wacz
from evidence.seal.custody import CustodyLog
from evidence.verify.wacz import verify_wacz
from netguard.policy import AddressPolicy
from tests.evidence.evidence_samples import fixed_wacz_signer, seal_browser_capture
from tests.evidence.export.test_evidence_wacz import MOMENT
from tests.support import free_port, wacz_validate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

PYWB = Path(__file__).resolve().parents[3] / ".venv-pywb" / "bin"
LOOPBACK = AddressPolicy.from_hosts(["127.0.0.1"])
FAST = BrowserSettings(timeout=20.0, retries=1, backoff=0.0, user_agent="ipwatch-tests/1.0")
LISTING = "/item/1012"  # a listing with its photo in an <img>


@dataclass(frozen=True)
class Exported:
    wacz: Path
    url: str  # the listing's final URL, as captured
    timestamp: str  # its CDXJ timestamp
    screenshot: bytes
    rendered: bytes
    public_key: bytes


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Capture the listing with Chromium, seal it, export it; then the shop goes away."""
    root = tmp_path_factory.mktemp("replay")
    with DemoMarket() as market:

        async def run():  # type: ignore[no-untyped-def]
            capturer = BrowserCapturer(FAST, policy=LOOPBACK)  # the shop is on 127.0.0.1
            try:
                return await capturer.capture(market.url(LISTING), operator="t", job_id="R-1")
            finally:
                await capturer.close()

        browser = asyncio.run(run())
    assert browser.outcome == "complete", browser.attempts
    sealed = seal_browser_capture(root / "home", browser)
    sid = sealed.sealed.id
    source = HomeSource(
        sid,
        store=sealed.store,
        seals=sealed.sealer.seals,
        custody=CustodyLog(root / "home" / "custody.jsonl"),
        public_key=sealed.sealer.signer.public_key_pem(),
    )
    parts = bundle_parts(source)
    page = WaczPage(sid, browser.final_url, "2024-05-01T12:30:15Z", "Nova-Flex backpack")
    files = build_wacz(
        {sid: parts},
        [page],
        signer=sealed.sealer.signer,
        wacz_signer=fixed_wacz_signer(),
        created=MOMENT,
        software="ipwatch test",
        title="replay",
    )
    wacz = write_wacz(files, root / "Case 1.wacz", MOMENT)
    (line,) = [
        line
        for line in files[INDEX].decode().splitlines()
        if json.loads(line.split(" ", 2)[2])["url"] == browser.final_url
    ]
    return Exported(
        wacz,
        browser.final_url,
        line.split(" ")[1],
        parts["artifacts/screenshot.png"],
        parts["artifacts/rendered.html"],
        sealed.sealer.signer.public_key_pem(),
    )


def test_wacz_validate_accepts_the_export_of_a_real_capture(exported: Exported) -> None:
    done = wacz_validate(exported.wacz)
    assert done.returncode == 0 and "Validation succeeded" in done.stdout, done.stdout
    reports = verify_wacz(exported.wacz, public_key=exported.public_key)
    assert not any(r.failed for r in reports), [c for r in reports for c in r.failed]
    assert reports[0].get("wacz.spec-signature").status == "passed" and reports[1].ok
    with zipfile.ZipFile(exported.wacz) as zf:
        names = zf.namelist()
    assert evidence_path(reports[1].snapshot_id, "artifacts/screenshot.png") in names


@pytest.fixture
def wayback(exported: Exported, tmp_path: Path) -> Iterator[str]:
    """pywb serving a collection made from the WACZ alone; yields its base URL."""
    if not (PYWB / "wayback").exists():
        pytest.skip("pywb is not installed: run `make pywb-venv`")
    for args in (["init", "case"], ["add", "--unpack-wacz", "case", str(exported.wacz)]):
        done = subprocess.run(
            [str(PYWB / "wb-manager"), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    index = (tmp_path / "collections" / "case" / "indexes" / "index.cdxj").read_text()
    assert exported.url in index  # pywb found indexes/index.cdx and the WARCs
    port = free_port()
    log = (tmp_path / "wayback.log").open("w")
    server = subprocess.Popen(
        [str(PYWB / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/case/", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "wayback.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_pywb_replays_the_listing_with_its_images_as_captured(
    exported: Exported, wayback: str
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        try:
            captured = browser.new_page(java_script_enabled=False, offline=True)
            captured.set_content(exported.rendered.decode("utf-8"))
            captured_text = captured.evaluate("() => document.body.innerText")
            captured_images = captured.evaluate("() => document.images.length")

            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{wayback}/case/{exported.timestamp}/{exported.url}", wait_until="load")
            frame = next(f for f in page.frames if f.name == "replay_iframe")
            frame.wait_for_load_state("load")
            text = frame.evaluate("() => document.body.innerText")
            images = frame.evaluate(
                "() => Array.from(document.images, (i) => [i.currentSrc, i.naturalWidth])"
            )
            box = page.locator("iframe#replay_iframe").bounding_box()
            shot = page.screenshot()
        finally:
            browser.close()

    assert " ".join(text.split()) == " ".join(captured_text.split())
    assert "Nova-Flex trail backpack" in text
    assert len(images) == captured_images >= 1
    for src, width in images:
        assert src.startswith(f"{wayback}/case/") and width > 0, (src, width)

    # Pixels: the replay frame shows what the capture's screenshot shows.
    assert box is not None
    top, height = round(box["y"]), round(box["height"])
    replay = np.asarray(Image.open(io.BytesIO(shot)).convert("L"), dtype=np.int16)
    original = np.asarray(Image.open(io.BytesIO(exported.screenshot)).convert("L"), np.int16)
    rows = min(height, original.shape[0], replay.shape[0] - top) - 2  # skip the frame's edge
    assert rows > 400
    diff = np.abs(replay[top : top + rows, :1280] - original[:rows, :1280])
    assert (diff > 24).mean() < 0.01, f"{(diff > 24).mean():.2%} of pixels differ"

"""Browser capture with Debian's Chromium against the demo shop on 127.0.0.1, then sealed and
verified: screenshot, rendered HTML, every exchange, redirects, failures retried and recorded."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

import pytest
from PIL import Image

from demomarket import DemoMarket, Fault, FaultPlan
from evidence.capture.browser import BrowserCapturer, BrowserSettings
from evidence.capture.browser_record import BrowserCapture
from evidence.capture.warc import read_warc
from netguard.policy import AddressPolicy
from tests.evidence.evidence_samples import seal_browser_capture
from tests.support import free_port

pytestmark = pytest.mark.slow

LOOPBACK = AddressPolicy.from_hosts(["127.0.0.1"])
FAST = BrowserSettings(timeout=20.0, retries=1, backoff=0.0, user_agent="ipwatch-tests/1.0")


def capture(
    url: str, settings: BrowserSettings = FAST, policy: AddressPolicy | None = None
) -> BrowserCapture:
    """The test servers are on 127.0.0.1: their host is allowed unless ``policy`` says else."""

    async def run() -> BrowserCapture:
        capturer = BrowserCapturer(settings, policy=policy or LOOPBACK)
        try:
            return await capturer.capture(url, operator="tester", job_id="R-test")
        finally:
            await capturer.close()

    return asyncio.run(run())


def test_listing_is_captured_with_scripts_run_and_every_exchange_archived(
    demo_market: DemoMarket, tmp_path: Path
) -> None:
    # 1011 is a "plain" listing: its images load only when a script swaps in data-src.
    url = demo_market.url("/go/item/1011")
    browser = capture(url)
    assert browser.outcome == "complete", browser.attempts
    assert [a.error for a in browser.attempts] == [None]
    assert browser.final_url == demo_market.url("/item/1011")
    assert browser.status == 200
    assert [(r.url, r.status, r.location) for r in browser.redirects] == [(url, 302, "/item/1011")]
    assert browser.server_ip == "127.0.0.1"
    assert browser.tls is None  # plain http
    assert browser.user_agent == "ipwatch-tests/1.0"
    env = browser.environment
    assert env["os"] and env["arch"] and env["python"] and env["playwright"] != "unknown"
    assert env["chromium"][0].isdigit()

    html = browser.rendered_html.decode()
    assert 'src="/img/gen-jacket.jpg"' in html  # set by the page's script, not in the raw HTML
    raw = demo_market.requests_to("/item/1011")
    assert raw and all(r.headers.get("User-Agent") == "ipwatch-tests/1.0" for r in raw)

    sealed = seal_browser_capture(tmp_path, browser)
    report, manifest, artifacts = sealed.verify(), sealed.manifest, sealed.artifacts
    assert report.ok, [c for c in report.checks if c.status != "passed"]
    assert {"browser.warc", "screenshot.png", "rendered.html"} <= set(artifacts)
    shot = Image.open(io.BytesIO(artifacts["screenshot.png"]))
    assert shot.format == "PNG" and shot.width == 1280 and shot.height >= 400
    assert len(shot.convert("L").getcolors(256) or ()) > 10  # a rendered page, not blank

    records = read_warc(artifacts["browser.warc"])
    by_uri = {(r.record_type, r.target_uri) for r in records}
    for path in ("/go/item/1011", "/item/1011", "/img/gen-jacket.jpg"):
        target = demo_market.url(path)
        assert ("request", target) in by_uri and ("response", target) in by_uri, path
    image = next(r for r in records if r.target_uri.endswith("/img/gen-jacket.jpg"))
    assert image.record_type in ("request", "response")
    jacket = [r for r in records if r.record_type == "response" and "gen-jacket" in r.target_uri]
    assert Image.open(io.BytesIO(jacket[0].payload)).format == "JPEG"
    assert all(r.status == "passed" for r in records)

    section = manifest["browser"]
    assert section["outcome"] == "complete"
    assert section["viewport"] == {"width": 1280, "height": 800}
    assert section["redirects"][0]["status"] == 302
    assert section["operator"] == "tester" and section["job_id"] == "R-test"
    assert section["exchanges"] >= 3
    assert manifest["findings"][0]["registration_number"]  # the cited registration


def test_sealing_a_capture_is_reproducible_and_tampering_shows(
    demo_market: DemoMarket, tmp_path: Path
) -> None:
    browser = capture(demo_market.url("/item/1012"))
    sealed = seal_browser_capture(tmp_path, browser)
    again = seal_browser_capture(tmp_path / "again", browser)  # same clock, ids and key
    assert sealed.sealed.manifest_sha256 == again.sealed.manifest_sha256
    assert sealed.artifacts["browser.warc"] == again.artifacts["browser.warc"]
    assert sealed.verify().ok
    path = sealed.blob_path("screenshot.png")
    data = bytearray(path.read_bytes())
    data[200] ^= 1
    path.chmod(0o600)
    path.write_bytes(bytes(data))
    assert [c.name for c in sealed.verify().failed] == ["artifact:screenshot.png"]


@pytest.mark.parametrize("failure", ["http_500", "timeout", "refused"])
def test_failed_capture_is_retried_then_sealed_with_its_errors(
    failure: str, tmp_path: Path
) -> None:
    plan = FaultPlan(
        {"/item/1011": Fault("500"), "/item/1012": Fault("slow", delay=4.0)}  # type: ignore[dict-item]
    )
    with DemoMarket(faults=plan) as market:
        settings = FAST
        if failure == "http_500":
            url = market.url("/item/1011")
        elif failure == "timeout":
            url = market.url("/item/1012")
            settings = BrowserSettings(timeout=1.5, retries=1, backoff=0.0)
        else:
            url = f"http://127.0.0.1:{free_port()}/item/1011"
        browser = capture(url, settings)
        deadline = time.monotonic() + 10  # the server records a slow request once it answers
        while len(market.requests_to("/item/")) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        hits = market.requests_to("/item/")
    assert browser.outcome == "failed"
    assert len(browser.attempts) == 2 and all(a.error for a in browser.attempts)
    reason = {"http_500": "HTTP 500", "timeout": "timed out", "refused": "Connection refused"}
    assert reason[failure] in browser.attempts[-1].error
    if failure != "refused":
        assert len(hits) == 2  # one request per attempt: retried, not given up at once
    assert browser.screenshot is None

    sealed = seal_browser_capture(tmp_path, browser)
    report, manifest, artifacts = sealed.verify(), sealed.manifest, sealed.artifacts
    assert report.ok, report.failed
    section = manifest["browser"]
    assert section["outcome"] == "failed"
    assert [a["error"] for a in section["attempts"]] == [a.error for a in browser.attempts]
    assert "screenshot.png" not in artifacts
    if failure == "http_500":  # what the browser did get is kept: the 500 exchange
        responses = [r for r in read_warc(artifacts["browser.warc"]) if r.record_type == "response"]
        assert [r.http_status for r in responses] == [500]


def test_ssrf_guard_blocks_requests_the_page_makes(demo_market: DemoMarket) -> None:
    """Allowed the page's own port only, everything else the page loads is refused and listed."""
    port = demo_market.url("/").split(":")[2].split("/")[0]
    page = demo_market.url("/item/1012").replace("127.0.0.1", "localhost")
    browser = capture(page, policy=AddressPolicy.from_hosts([f"localhost:{port}"]))
    assert browser.outcome == "complete", browser.attempts
    assert browser.served_from == {f"localhost:{port}": "127.0.0.1"}
    assert all(e.server_ip == "127.0.0.1" for e in browser.exchanges)


def test_a_tall_page_is_screenshotted_up_to_the_limit_and_noted(demo_market: DemoMarket) -> None:
    settings = BrowserSettings(max_screenshot_height=300, max_html_bytes=1000, retries=0)
    browser = capture(demo_market.url("/item/1012"), settings)
    assert browser.outcome == "complete"
    assert Image.open(io.BytesIO(browser.screenshot)).size == (1280, 300)
    assert len(browser.rendered_html) == 1000
    notes = browser.metadata()["notes"]
    assert any("screenshot cut at 300" in n for n in notes)
    assert any("rendered.html cut at 1000" in n for n in notes)

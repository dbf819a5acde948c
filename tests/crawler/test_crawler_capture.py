"""A real crawl captures each flagged listing in Chromium; a capture that keeps failing is
retried, then sealed with its errors, counted in the run and logged."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from demomarket import DemoMarket, Fault, FaultPlan
from demomarket.brandkit import write_brand_kit
from demomarket.testing import expected_flagged
from evidence.capture.warc import read_warc
from evidence.seal.manifest import parse_manifest
from evidence.storage.blobstore import BlobStore
from store import open_store
from tests.support import run_ipwatch, wacz_validate

pytestmark = pytest.mark.slow

BROWSER_FAILS = "1011"  # served to the crawler, then HTTP 500 to every browser attempt
CAPTURED = "1012"


@pytest.fixture(scope="module")
def market() -> Iterator[DemoMarket]:
    plan = FaultPlan({f"/item/{BROWSER_FAILS}": Fault("500", after=1)})
    with DemoMarket(faults=plan) as shop:
        yield shop


@pytest.fixture(scope="module")
def crawled(market: DemoMarket, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("capture-home")
    kit = write_brand_kit(home / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    result = run_ipwatch(
        home, "crawl", "demo", "--base-url", market.base_url, "--allow-private-host", "127.0.0.1"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return home, result.stdout + result.stderr


def manifests(home: Path) -> dict[str, tuple[dict[str, Any], dict[str, bytes]]]:
    """Item id -> (manifest, artifact bytes by name) for every sealed snapshot."""
    store = BlobStore(home / "blobs")
    out = {}
    for snapshot in open_store(f"sqlite:///{home / 'index.db'}").iter_snapshots():
        manifest = parse_manifest(store.get(snapshot.manifest_sha256))
        item = manifest["listing"]["id"].split(":", 1)[1]
        out[item] = (manifest, {a["name"]: store.get(a["sha256"]) for a in manifest["artifacts"]})
    return out


def test_every_flagged_listing_is_captured_in_the_browser(
    crawled: tuple[Path, str], market: DemoMarket
) -> None:
    home, _ = crawled
    sealed = manifests(home)
    assert set(sealed) == expected_flagged()
    manifest, artifacts = sealed[CAPTURED]
    browser = manifest["browser"]
    assert browser["outcome"] == "complete"
    assert browser["final_url"] == market.url(f"/item/{CAPTURED}")
    assert browser["server_ip"] == "127.0.0.1"
    assert browser["job_id"] == manifest["capture"]["crawl_run_id"]
    assert browser["operator"]
    assert browser["user_agent"].startswith("ipwatch/")
    assert browser["environment"]["chromium"][0].isdigit()
    assert {"response.warc", "browser.warc", "screenshot.png", "rendered.html"} <= set(artifacts)
    assert Image.open(io.BytesIO(artifacts["screenshot.png"])).format == "PNG"
    assert b"listing-title" in artifacts["rendered.html"]
    records = read_warc(artifacts["browser.warc"])
    image_urls = {market.url(f"/img/{name}") for name in ("gen-backpack.jpg",)}
    for url in {market.url(f"/item/{CAPTURED}"), *image_urls}:
        kinds = {r.record_type for r in records if r.target_uri == url}
        assert kinds == {"request", "response"}, url
    assert manifest["findings"] and all(
        f["asset_id"] and f["registration_number"] for f in manifest["findings"]
    )


def test_failed_capture_is_retried_sealed_with_its_errors_and_counted(
    crawled: tuple[Path, str], market: DemoMarket
) -> None:
    home, output = crawled
    manifest, artifacts = manifests(home)[BROWSER_FAILS]
    browser = manifest["browser"]
    assert browser["outcome"] == "failed"
    assert len(browser["attempts"]) == 3
    assert all("HTTP 500" in a["error"] for a in browser["attempts"])
    assert "screenshot.png" not in artifacts
    assert "response.warc" in artifacts  # the crawler's own exchange is still sealed
    assert len(market.requests_to(f"/item/{BROWSER_FAILS}")) == 4  # crawler + 3 attempts

    run = open_store(f"sqlite:///{home / 'index.db'}").list_runs()[0]
    assert run.counters["capture_failed"] == 1
    assert run.counters["capture_retries"] >= 2
    assert run.counters["captures"] == run.counters["snapshots"] == len(expected_flagged())
    assert f"browser capture of {market.url(f'/item/{BROWSER_FAILS}')} failed" in output
    listed = run_ipwatch(home, "runs", "list")
    assert "capture_failed=1" in listed.stdout


def test_verify_checks_the_browser_artifacts(crawled: tuple[Path, str]) -> None:
    home, _ = crawled
    everything = run_ipwatch(home, "evidence", "verify")
    assert everything.returncode == 0, everything.stdout + everything.stderr
    manifest, _ = manifests(home)[CAPTURED]
    snapshot_id = manifest["snapshot_id"]
    one = run_ipwatch(home, "evidence", "verify", snapshot_id, "--verbose")
    assert one.returncode == 0, one.stdout
    lines = one.stdout.splitlines()
    for check in ("warc:browser.warc", "artifact:screenshot.png", "artifact:rendered.html"):
        assert any(check in line and "passed" in line for line in lines), check

    shot = next(a for a in manifest["artifacts"] if a["name"] == "screenshot.png")
    path = home / "blobs" / shot["sha256"][:2] / shot["sha256"][2:]
    original = path.read_bytes()
    path.chmod(0o600)
    path.write_bytes(original[:100] + bytes([original[100] ^ 1]) + original[101:])
    try:
        bad = run_ipwatch(home, "evidence", "verify", snapshot_id)
        assert bad.returncode == 1, bad.stdout
        assert "artifact:screenshot.png" in bad.stdout
    finally:
        path.write_bytes(original)


def test_export_carries_the_browser_view(crawled: tuple[Path, str], tmp_path: Path) -> None:
    """The WACZ holds the browser WARC (indexed for replay) and the report shows the screenshot."""
    import json
    import zipfile

    home, _ = crawled
    manifest, _ = manifests(home)[CAPTURED]
    snapshot_id = manifest["snapshot_id"]
    out = tmp_path / "case.wacz"
    result = run_ipwatch(home, "evidence", "export", snapshot_id, "--out", str(out), "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(out) as wacz:
        names = set(wacz.namelist())
        assert f"archive/{snapshot_id}-browser.warc" in names
        index = wacz.read("indexes/index.cdx").decode()
        report = wacz.read("report/report.html").decode()
    filenames = {json.loads(line.split(" ", 2)[2])["filename"] for line in index.splitlines()}
    assert f"{snapshot_id}-browser.warc" in filenames
    assert "data:image/png;base64," in report
    assert run_ipwatch(home, "evidence", "verify", str(out)).returncode == 0
    validated = wacz_validate(out)  # py-wacz accepts the export of a crawl's browser capture
    assert validated.returncode == 0 and "Validation succeeded" in validated.stdout


def test_next_crawl_captures_again_what_failed(
    crawled: tuple[Path, str], market: DemoMarket
) -> None:
    home, _ = crawled
    market.faults.clear()
    result = run_ipwatch(
        home, "crawl", "demo", "--base-url", market.base_url, "--allow-private-host", "127.0.0.1"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    run = open_store(f"sqlite:///{home / 'index.db'}").list_runs()[0]
    # Only the listing whose browser view was missing is sealed again; the rest are unchanged.
    assert run.counters["captures"] == run.counters["snapshots"] == 1
    assert run.counters["capture_failed"] == 0
    index = open_store(f"sqlite:///{home / 'index.db'}")
    store = BlobStore(home / "blobs")
    outcomes = sorted(
        parse_manifest(store.get(s.manifest_sha256))["browser"]["outcome"]
        for s in index.iter_snapshots()
        if s.listing_id.endswith(f":{BROWSER_FAILS}")
    )
    assert outcomes == ["complete", "failed"]

"""The whole job through the real CLI: demo shop → crawl (Chromium for JS) → detect → seal."""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from pathlib import Path

import pytest

from demomarket.catalog import CATALOG
from demomarket.testing import expected_flagged, ground_truth
from evidence.log.translog import TransparencyLog
from store import open_store
from tests.support import findings_json, free_port, run_ipwatch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run `ipwatch demo` once for the module; each test reads what it left behind."""
    home = tmp_path_factory.mktemp("demo-home")
    result = run_ipwatch(home, "demo", "--port", str(free_port()))
    assert result.returncode == 0, result.stdout + result.stderr
    (home / "first-run.txt").write_text(result.stdout)
    return home


def item_id(listing_id: str) -> str:
    return listing_id.split(":", 1)[1]


def flagged_assets(home: Path) -> dict[str, set[str]]:
    by_item: dict[str, set[str]] = defaultdict(set)
    for finding in findings_json(home):
        by_item[item_id(finding["listing_id"])].add(finding["asset_id"])
    return by_item


def test_flags_exactly_the_infringing_listings(demo_home: Path) -> None:
    flagged = flagged_assets(demo_home)
    assert set(flagged) == expected_flagged()
    truth = ground_truth()
    for item, assets in flagged.items():
        assert assets & truth[item].expected_asset_ids, (item, assets)


def test_every_listing_is_crawled_including_the_javascript_section(demo_home: Path) -> None:
    index = open_store(f"sqlite:///{demo_home / 'index.db'}")
    crawled = {item_id(listing.id) for listing in index.iter_listings("demo")}
    assert crawled == set(ground_truth())
    deals_only = {item.id for item in CATALOG.deals()} - {
        item.id for keyword in ("novaflex", "lumora", "雷霆") for item in CATALOG.search(keyword)
    }
    assert deals_only, "the demo should have listings only the JavaScript section links to"
    assert deals_only <= crawled


def test_demo_prints_flagged_listings_with_evidence_ids(demo_home: Path) -> None:
    output = (demo_home / "first-run.txt").read_text()
    assert "flagged listing" in output
    snapshot_ids = {
        s.id for s in open_store(f"sqlite:///{demo_home / 'index.db'}").iter_snapshots()
    }
    assert snapshot_ids
    assert any(snapshot_id in output for snapshot_id in snapshot_ids)


def test_hostile_listings_are_recorded_not_fatal(demo_home: Path) -> None:
    index = open_store(f"sqlite:///{demo_home / 'index.db'}")
    runs = index.list_runs()
    assert runs[-1].counters["image_errors"] >= 3  # huge, bomb, corrupt
    titles = {listing.title for listing in index.iter_listings("demo")}
    assert any("<script>alert(1)</script>" in title for title in titles)


def test_rerun_makes_no_duplicate_findings_or_evidence(demo_home: Path) -> None:
    before_findings = findings_json(demo_home, "--all")
    before_log = TransparencyLog(demo_home / "log").size
    assert before_log > 0
    result = run_ipwatch(demo_home, "demo", "--port", str(free_port()))
    assert result.returncode == 0, result.stdout + result.stderr
    after_findings = findings_json(demo_home, "--all")
    assert sorted(f["id"] for f in after_findings) == sorted(f["id"] for f in before_findings)
    assert TransparencyLog(demo_home / "log").size == before_log
    newest = open_store(f"sqlite:///{demo_home / 'index.db'}").list_runs()[0]
    assert newest.counters["listings_new"] == 0
    assert newest.counters["snapshots"] == 0


def blob_path(home: Path, sha256: str) -> Path:
    return home / "blobs" / sha256[:2] / sha256[2:]


def flip_byte(path: Path, offset: int) -> bytes:
    """Flip one bit of one byte; returns the original bytes so the test can restore them."""
    original = path.read_bytes()
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    path.write_bytes(original[:offset] + bytes([original[offset] ^ 1]) + original[offset + 1 :])
    return original


def test_verify_passes_on_untouched_evidence(demo_home: Path) -> None:
    ok = run_ipwatch(demo_home, "evidence", "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "failed" not in ok.stdout.split("snapshot(s) verified")[0].lower()


@pytest.mark.parametrize("target", ["warc", "image", "manifest", "log"])
def test_verify_names_each_kind_of_tampering(demo_home: Path, target: str) -> None:
    index = open_store(f"sqlite:///{demo_home / 'index.db'}")
    snapshot = next(s for s in index.iter_snapshots() if len(s.artifacts) > 1)
    if target == "log":
        path, offset, expected = demo_home / "log" / "leaves.bin", 5, "log.integrity"
    elif target == "manifest":
        path, offset, expected = blob_path(demo_home, snapshot.manifest_sha256), 10, "manifest"
    else:
        suffix = ".warc" if target == "warc" else ""
        prefix = "" if target == "warc" else "images/"
        artifact = next(
            a
            for a in snapshot.artifacts
            if a["name"].endswith(suffix) and a["name"].startswith(prefix)
        )
        path, offset, expected = blob_path(demo_home, artifact["sha256"]), 100, artifact["name"]
    original = flip_byte(path, offset)
    try:
        args = ["evidence", "verify"] if target == "log" else ["evidence", "verify", snapshot.id]
        bad = run_ipwatch(demo_home, *args)
        assert bad.returncode == 1, bad.stdout
        assert expected in bad.stdout
        if target != "log":
            assert snapshot.id in bad.stdout
    finally:
        path.write_bytes(original)
    assert run_ipwatch(demo_home, "evidence", "verify", snapshot.id).returncode == 0


def test_demo_ends_with_the_desk_command_and_a_login_that_works_a_queue_in_chromium(
    demo_home: Path, tmp_path: Path
) -> None:
    """Log in with the printed demo login, work the queue by keyboard (confirm, dismiss with a
    reason, undo), bulk-dismiss, meet a conflict from a second session, verify evidence and
    download a case WACZ that `ipwatch evidence verify` accepts. Runs last: it decides findings."""
    import re

    from ipwatch.services.workspace import Workspace
    from tests.ipwatch.test_ipwatch_evidence import offline_verify
    from tests.ipwatch.web.browser import chromium
    from tests.ipwatch.web.desk_data import DeskServer

    printed = (demo_home / "first-run.txt").read_text()
    assert f"ipwatch --home {demo_home} serve" in printed
    login = re.search(r"desk login: (\S+) / (\S+)", printed)
    assert login, printed[-800:]
    name, password = login.groups()
    workspace = Workspace.open(demo_home)
    workspace.directory.add_user("second", "reviewer", None, "second reviewer password")
    index = workspace.index
    try:
        with DeskServer(workspace) as server, chromium() as browser:
            page = browser.new_page()
            page.goto(f"{server.url}/queue")
            page.fill("input[name=name]", name)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{server.url}/queue")
            cards = page.locator("#cards .qcard")
            assert cards.count() >= 4
            ids = [cards.nth(i).get_attribute("data-findings").split() for i in range(4)]

            page.keyboard.press("c")  # confirm the first card
            page.wait_for_selector("#flash.notice")
            assert {index.get_finding(f).status.value for f in ids[0]} == {"confirmed"}
            page.once("dialog", lambda dialog: dialog.accept("sold by the brand's own outlet"))
            page.keyboard.press("d")  # the second card, asked for a reason
            page.locator("#flash", has_text="dismissed").wait_for()  # no eval: the page's CSP
            dismissed = index.get_finding(ids[1][0])
            assert dismissed.status.value == "dismissed"
            assert index.list_events(ids[1][0])[-1].reason == "sold by the brand's own outlet"
            page.keyboard.press("u")  # undo: reopened
            page.locator("#flash", has_text="reopened").wait_for()
            assert index.get_finding(ids[1][0]).status.value == "in_review"

            page.goto(f"{server.url}/queue")
            for card in (ids[2], ids[3]):  # by value: the confirmed card left the open queue
                page.locator(f"input[name=ids][value='{','.join(card)}']").check()
            page.fill("#bulk input[name=reason_text]", "bulk: parallel imports, not ours")
            page.click("#bulk button[value=dismiss]")
            page.wait_for_selector("text=refused")
            assert all(index.get_finding(f).status.value == "dismissed" for f in ids[2] + ids[3])

            finding = next(f for f in ids[1] if index.get_finding(f).snapshot_ids)
            page.goto(f"{server.url}/findings/{finding}")
            other = browser.new_page()
            other.goto(f"{server.url}/login")
            other.fill("input[name=name]", "second")
            other.fill("input[name=password]", "second reviewer password")
            other.click("button[type=submit]")
            other.wait_for_url(f"{server.url}/queue")
            other.goto(f"{server.url}/findings/{finding}")
            other.click("#decide button[value=confirm]")
            other.wait_for_selector(".notice")
            page.fill("#decide input[name=reason_text]", "looked at it first")
            page.click("#decide button[value=dismiss]")
            conflict = page.locator(".conflict").inner_text()
            assert "second" in conflict and "confirmed" in conflict  # who decided, and what
            assert index.get_finding(finding).status.value == "confirmed"  # nothing overwritten

            page.click("form[action$='/verify'] button")
            assert "passed" in page.locator("h1").inner_text()
            page.goto(f"{server.url}/findings/{finding}")
            with page.expect_download() as download:
                page.click("form[action$='/case.wacz'] button")
            wacz = tmp_path / "case.wacz"
            download.value.save_as(wacz)
    finally:
        workspace.close()
    public_key = tmp_path / "published.pem"
    assert run_ipwatch(demo_home, "keys", "export", "--out", str(public_key)).returncode == 0
    printed = offline_verify(wacz, public_key, tmp_path / "court", expect=0)
    assert "snapshot(s) verified" in printed

"""The evidence capture browser is held to the crawl's private-address rule, whatever the page does.

A flagged listing's page is opened in Chromium to be sealed; that page is the attacker's. Its
redirect hops, WebSockets and ``fetch()`` calls go through the same guard proxy as the crawl's
rendering browser, and the sealed manifest lists what was refused and which address each host
was served from.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

import yaml

from evidence.capture.browser import BrowserCapturer, BrowserSettings
from evidence.seal.manifest import parse_manifest
from evidence.storage.blobstore import BlobStore
from netguard.policy import AddressPolicy
from store import open_store
from tests.security.hostile import HostileSite, write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path

    from evidence.capture.browser_record import BrowserCapture

FAST = BrowserSettings(timeout=20.0, retries=0, backoff=0.0)


def hostile_listing(shop: HostileSite, inside: HostileSite) -> str:
    """A listing page that tries every way a browser has to look inside."""
    secret = f"127.0.0.1:{inside.port}/secret"
    shop.pages["/to-inside-img"] = f"REDIRECT http://{secret}-redirect"
    return (
        "<html><body><h1>NOVAFLEX running shoes</h1>"
        '<img src="/to-inside-img">'
        "<script>"
        f'try {{ new WebSocket("ws://{secret}-ws"); }} catch (e) {{}}'
        f'fetch("http://{secret}-fetch").catch(() => null);'
        "</script></body></html>"
    )


def capture(url: str, policy: AddressPolicy) -> BrowserCapture:
    async def run() -> BrowserCapture:
        capturer = BrowserCapturer(FAST, policy=policy)
        try:
            return await capturer.capture(url)
        finally:
            await capturer.close()

    return asyncio.run(run())


def test_ssrf_capture_browser_redirect_websocket_fetch_to_a_private_address_refused() -> None:
    with HostileSite() as inside, HostileSite() as shop:
        shop.pages["/item/1"] = hostile_listing(shop, inside)
        browser = capture(
            f"{shop.base_url}/item/1", AddressPolicy.from_hosts([f"127.0.0.1:{shop.port}"])
        )
    assert browser.outcome == "complete", browser.attempts
    assert "/to-inside-img" in shop.hits
    assert inside.hits == []
    refused = " ".join(url for url, _ in browser.blocked)
    assert f"127.0.0.1:{inside.port}/secret-redirect" in refused  # the redirect hop
    assert f"127.0.0.1:{inside.port}/secret-fetch" in refused
    assert len(browser.blocked) >= 3  # the WebSocket is a CONNECT to the same host:port
    metadata = browser.metadata()
    assert {entry["url"] for entry in metadata["blocked"]} == {url for url, _ in browser.blocked}
    # Chromium only ever saw the proxy; the address the page was served from is the proxy's record.
    assert metadata["served_from"] == {f"127.0.0.1:{shop.port}": "127.0.0.1"}
    assert metadata["server_ip"] == "127.0.0.1"


def test_ssrf_capture_of_a_flagged_listing_in_a_crawl_never_reaches_a_private_address(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    registry = tmp_path / "registry.yaml"
    mark = {"id": "nova", "kind": "word_mark", "name": "NOVAFLEX", "authorized_sellers": ["acme"]}
    registry.write_text(yaml.safe_dump({"owners": [{"name": "Acme", "assets": [mark]}]}))
    assert run_ipwatch(home, "assets", "import", str(registry)).returncode == 0
    (home / "ipwatch.yaml").write_text("detection:\n  threshold: 0.1\n")  # flag it
    with HostileSite() as inside, HostileSite() as shop:
        shop.pages["/deals"] = '<div class="deal-card"><a href="/item/1">x</a></div>'
        shop.pages["/item/1"] = hostile_listing(shop, inside)
        profile = write_profile(
            tmp_path / "shop.yaml",
            shop.base_url,
            render="http",  # only the capture browser runs Chromium
            item_id='"/item/([0-9]+)"',
            fields='{title: "h1::text"}',
        )
        crawl = run_ipwatch(
            home, "crawl", str(profile), "--allow-private-host", f"127.0.0.1:{shop.port}"
        )
        assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert shop.hits.count("/item/1") >= 2  # Scrapy's fetch, then the capture browser's
    assert inside.hits == []
    runs = run_ipwatch(home, "runs", "list", "--json")
    counters = json.loads(runs.stdout.splitlines()[0])["counters"]
    assert counters["snapshots"] == 1
    assert counters["blocked"] >= 3
    blobs = BlobStore(home / "blobs")
    snapshots = list(open_store(f"sqlite:///{home / 'index.db'}").iter_snapshots())
    assert len(snapshots) == 1
    browser = parse_manifest(blobs.get(snapshots[0].manifest_sha256))["browser"]
    assert any("/secret-redirect" in entry["url"] for entry in browser["blocked"])
    assert browser["served_from"] == {f"127.0.0.1:{shop.port}": "127.0.0.1"}

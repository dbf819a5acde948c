"""Evidence captured as the crawl sees the marketplace: through its proxy pool and with its
logged-in session, and no working login in what is sealed and handed over."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
from typing import TYPE_CHECKING

import pytest

from evidence.capture.browser import REDACTED, BrowserCapturer, BrowserSettings
from netguard.policy import AddressPolicy
from tests.evidence.evidence_samples import seal_browser_capture
from tests.services.forward_proxy import ForwardProxy

if TYPE_CHECKING:
    from pathlib import Path

    from demomarket import DemoMarket
    from evidence.capture.browser_record import BrowserCapture

pytestmark = pytest.mark.slow

SESSION = "member-7f3a9c"
BASIC = "Basic " + base64.b64encode(b"pool:s3cr3t").decode()
FAST = BrowserSettings(timeout=20.0, retries=0, backoff=0.0, user_agent="ipwatch-tests/1.0")


def session_file(folder: Path) -> Path:
    cookie = {"name": "session", "value": SESSION, "domain": "127.0.0.1", "path": "/"}
    cookie |= {"expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax"}
    path = folder / "account.json"
    path.write_text(json.dumps({"cookies": [cookie], "origins": []}), encoding="utf-8")
    return path


def capture(url: str, settings: BrowserSettings) -> BrowserCapture:
    async def run() -> BrowserCapture:
        capturer = BrowserCapturer(settings, policy=AddressPolicy.from_hosts(["127.0.0.1"]))
        try:
            return await capturer.capture(url, operator="tester", job_id="R-test")
        finally:
            await capturer.close()

    return asyncio.run(run())


def test_capture_goes_through_the_pool_logged_in_and_seals_no_session_credential_leak(
    demo_market: DemoMarket, tmp_path: Path
) -> None:
    demo_market.reset()
    with ForwardProxy(expected_authorization=BASIC) as pool:
        settings = dataclasses.replace(
            FAST,
            proxies=(f"http://pool:s3cr3t@127.0.0.1:{pool.port}",),
            storage_state=str(session_file(tmp_path)),
        )
        browser = capture(demo_market.url("/item/1011"), settings)
        asked = pool.requests
    assert browser.outcome == "complete", browser.attempts
    # every connection of the page left through the pool, with its credentials
    assert demo_market.url("/item/1011") in {r.url for r in asked}
    assert {r.authorization for r in asked} == {BASIC}
    # the shop saw the logged-in session
    seen = demo_market.requests_to("/item/1011")
    assert seen and all(f"session={SESSION}" in r.headers.get("Cookie", "") for r in seen)
    # the record keeps that a cookie was sent, not the cookie
    main = next(e for e in browser.exchanges if e.url == demo_market.url("/item/1011"))
    assert ("Cookie", REDACTED) in main.request_headers or ("cookie", REDACTED) in (
        main.request_headers
    )
    assert any("reached through proxy http://127.0.0.1:" in note for note in browser.notes)
    assert any("redacted" in note and "logged-in session" in note for note in browser.notes)
    sealed = seal_browser_capture(tmp_path / "sealed", browser)
    assert sealed.verify().ok
    for name, data in sealed.artifacts.items():
        for secret in (SESSION.encode(), b"s3cr3t", BASIC.split()[1].encode()):
            assert secret not in data, name


def test_guest_capture_keeps_the_cookies_the_site_set(demo_market: DemoMarket) -> None:
    """Without a configured session nothing is redacted: the record stays whole."""
    browser = capture(demo_market.url("/item/1011"), FAST)
    assert browser.outcome == "complete", browser.attempts
    headers = [h for e in browser.exchanges for h in e.request_headers]
    assert all(value != REDACTED for _, value in headers)
    assert not any("redacted" in note for note in browser.notes)

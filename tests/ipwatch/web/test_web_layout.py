"""The desk is readable at 1280 px and usable at 390 px: no sideways scrolling, keys help shown."""

from __future__ import annotations

import pytest

from tests.ipwatch.web.browser import chromium
from tests.ipwatch.web.conftest import login


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_fit_the_screen_without_sideways_scrolling(desk, width: int) -> None:
    data, server = desk
    alice = login(server.url, "alice")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.add_cookies(
            [
                {
                    "name": "ipw_session",
                    "value": alice.cookies.get("ipw_session"),
                    "domain": "127.0.0.1",
                    "path": "/",
                }
            ]
        )
        page = context.new_page()
        seller = data.workspace.index.get_finding(data.acme_findings[0]).seller_key
        pages = ("/queue", f"/findings/{data.acme_findings[0]}", "/sellers", "/assets")
        for path in (*pages, f"/sellers/{seller}", "/record", "/dashboard", "/networks"):
            page.goto(server.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, width, overflow)
        page.goto(server.url + "/queue")
        page.keyboard.press("?")
        assert page.locator("#help").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator("#help").is_visible()

"""The /deals section needs JavaScript: its HTML links no listing, its JSON and a browser do."""

from __future__ import annotations

import json

import pytest

from demomarket import CATALOG, DemoMarket
from demomarket.testing import chromium_executable, fetch


def _deal_pages(shop: DemoMarket) -> list[dict]:
    pages, url = [], "/api/deals.json?page=1"
    while url:
        data = json.loads(fetch(shop.url(url)).body)
        pages.append(data)
        url = data["next"] and data["next"].replace("/deals?", "/api/deals.json?")
        assert len(pages) < 10, "deal pagination does not terminate"
    return pages


def test_deals_html_has_no_listing_links_without_javascript(shop: DemoMarket) -> None:
    for path in ("/deals", "/deals?page=2"):
        html = fetch(shop.url(path)).text
        assert 'id="deals"' in html
        assert "/item/" not in html
        assert "/api/deals.json" in html


def test_deals_json_lists_every_deal_once_across_pages(shop: DemoMarket) -> None:
    pages = _deal_pages(shop)
    assert len(pages) == 2
    ids = [entry["id"] for page in pages for entry in page["items"]]
    assert ids == [item.id for item in CATALOG.deals()]
    assert pages[0]["items"][0]["url"] == f"/item/{ids[0]}"


def test_some_deals_are_reachable_only_through_the_section(shop: DemoMarket) -> None:
    only_here = {item.id for item in CATALOG.deals() if not item.searchable}
    assert any(CATALOG.item(i).expected_flag for i in only_here)  # a non-JS crawler misses these
    reachable = set()
    for seller in CATALOG.sellers.values():
        reachable |= {item.id for item in CATALOG.seller_items(seller.id)}
    reachable |= {item.id for item in CATALOG.search("")}
    assert not only_here & reachable
    for item_id in only_here:
        assert fetch(shop.url(f"/item/{item_id}")).status == 200


@pytest.mark.slow
def test_headless_chromium_renders_the_deal_cards(shop: DemoMarket) -> None:
    executable = chromium_executable()
    assert executable, "no Chromium: `make test` installs Debian's chromium package"
    from playwright.sync_api import sync_playwright

    rendered = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page()
            for number in (1, 2):
                page.goto(shop.url(f"/deals?page={number}"))
                page.wait_for_selector("#deals[data-state=ready]", timeout=15_000)
                rendered += page.eval_on_selector_all(
                    "#deals a.deal-card", "cards => cards.map(c => c.getAttribute('href'))"
                )
                following = page.query_selector("#deal-pager a[rel=next]")
                assert (following is not None) == (number == 1)
        finally:
            browser.close()
    assert rendered == [item.url for item in CATALOG.deals()]

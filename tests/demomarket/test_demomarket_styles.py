"""The demo shop in real shops' structures: the same catalog behind each style's URLs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from demomarket import CATALOG, DemoMarket
from demomarket.styles.common import slug
from demomarket.testing import fetch


@pytest.fixture(scope="module")
def styled() -> Iterator[dict[str, DemoMarket]]:
    """One server per style, shared by this module's read-only tests."""
    markets = {
        s: DemoMarket(style=s).start() for s in ("shopify", "woocommerce", "aliexpress", "taobao")
    }
    yield markets
    for market in markets.values():
        market.stop()


def test_unknown_style_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of demo, aliexpress, shopify"):
        DemoMarket(style="ebay")


def test_shopify_products_json_pages_through_every_searchable_listing(
    styled: dict[str, DemoMarket],
) -> None:
    market, handles = styled["shopify"], []
    for page in range(1, 10):
        data = json.loads(fetch(market.url(f"/products.json?limit=7&page={page}")).body)
        if not data["products"]:
            break
        handles += [product["handle"] for product in data["products"]]
    assert handles == [slug(item) for item in CATALOG.newest()]
    page = fetch(market.url(f"/products/{handles[0]}"))
    assert page.status == 200 and "application/ld+json" in page.text and "var meta" in page.text
    assert fetch(market.url("/products/no-such-thing-999")).status == 404


def test_woocommerce_store_api_searches_with_minor_unit_prices(
    styled: dict[str, DemoMarket],
) -> None:
    market = styled["woocommerce"]
    answer = fetch(market.url("/wp-json/wc/store/v1/products?search=lumora&per_page=100"))
    records = json.loads(answer.body)
    found = CATALOG.search("lumora")
    assert [r["sku"] for r in records] == [item.id for item in found]
    assert answer.headers["X-WP-Total"] == str(len(found))
    first, item = records[0], found[0]
    assert first["prices"]["price"] == str(int(item.price * 100))
    assert first["prices"]["currency_minor_unit"] == 2
    assert fetch(first["permalink"]).status == 200


def test_aliexpress_pages_hold_run_params(styled: dict[str, DemoMarket]) -> None:
    market = styled["aliexpress"]
    search = fetch(market.url("/wholesale?SearchText=novaflex")).text
    assert "window.runParams = {" in search and '"itemList"' in search
    item = fetch(market.url("/item/1006.html"))
    assert item.status == 200 and "data: {" in item.text and "csrfToken" in item.text
    assert fetch(market.url("/item/99999.html")).status == 404


def test_taobao_search_is_a_script_shell_over_a_json_endpoint(
    styled: dict[str, DemoMarket],
) -> None:
    market = styled["taobao"]
    shell = fetch(market.url("/search?q=novaflex")).text
    assert 'id="J_ItemList"' in shell and "item-link" in shell and "/item.htm" not in shell
    data = json.loads(fetch(market.url("/api/search.json?q=novaflex")).body)
    assert data["items"][0]["detail_url"].startswith("/item.htm?id=")
    assert data["next"] == "/search?q=novaflex&page=2"
    page = fetch(market.url("/item.htm?id=1006"))
    assert page.status == 200 and 'lang="zh-CN"' in page.text and "促销价" in page.text


def test_hostile_titles_stay_escaped_in_every_style(styled: dict[str, DemoMarket]) -> None:
    hostile = [item for item in CATALOG.items if item.kind == "hostile" and "<" in item.title]
    assert hostile, "the catalog should hold a title with markup"
    item = hostile[0]
    pages = {
        "shopify": f"/products/{slug(item)}",
        "woocommerce": f"/product/{slug(item)}/",
        "aliexpress": f"/item/{item.id}.html",
        "taobao": f"/item.htm?id={item.id}",
    }
    for style, path in pages.items():
        text = fetch(styled[style].url(path)).text
        assert item.title not in text, style  # raw markup never reaches the page

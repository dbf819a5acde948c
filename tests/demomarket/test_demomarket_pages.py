"""Every page type is served over real HTTP, with structured data exactly as each style promises."""

from __future__ import annotations

import json
import re
import urllib.robotparser

import extruct
import parsel
import pytest

from demomarket import CATALOG, DemoMarket
from demomarket.testing import USER_AGENT, demo_profile, fetch

ITEM_LINK = re.compile(r'href="(/item/[^"]+)"')


def _jsonld(html: str) -> list[dict]:
    selector = parsel.Selector(html)
    return [
        json.loads(t) for t in selector.css('script[type="application/ld+json"]::text').getall()
    ]


def test_home_links_search_deals_and_sellers(shop: DemoMarket) -> None:
    page = fetch(shop.url("/"))
    assert page.status == 200
    assert 'href="/deals"' in page.text
    for seller in CATALOG.sellers.values():
        assert f'href="{seller.url}"' in page.text


def test_robots_closes_admin_and_cart_but_not_the_shop(shop: DemoMarket) -> None:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(fetch(shop.url("/robots.txt")).text.splitlines())
    assert parser.can_fetch(USER_AGENT, shop.url("/item/1001"))
    assert parser.can_fetch(USER_AGENT, shop.url("/search?q=novaflex"))
    assert not parser.can_fetch(USER_AGENT, shop.url("/admin/"))
    assert not parser.can_fetch(USER_AGENT, shop.url("/cart?add=1001"))
    assert fetch(shop.url("/admin/")).status == 403


def test_search_pagination_visits_every_match_once_and_stops(shop: DemoMarket) -> None:
    url, seen, pages = shop.url("/search?q=novaflex"), [], 0
    while url:
        page = parsel.Selector(fetch(url).text)
        seen += page.css("ul.results a.result-link::attr(href)").getall()
        following = page.css("nav.pager a[rel=next]::attr(href)").get()
        url = shop.url(following) if following else ""
        pages += 1
        assert pages < 10, "pagination does not terminate"
    expected = [item.url for item in CATALOG.search("novaflex")]
    assert seen == expected
    assert len(seen) == len(set(seen)) > 8  # spans more than one page
    assert "/item/1031" in seen  # sponsored, unrelated listings pad every search


def test_new_arrivals_pages_reach_every_listing_but_deal_only_ones(shop: DemoMarket) -> None:
    url, seen = shop.url("/new"), []
    while url:
        page = parsel.Selector(fetch(url).text)
        seen += page.css("ul.results a.result-link::attr(href)").getall()
        following = page.css("nav.pager a[rel=next]::attr(href)").get()
        url = shop.url(following) if following else ""
        assert len(seen) <= len(CATALOG.items), "pagination does not terminate"
    deal_only = {item.url for item in CATALOG.items if not item.searchable}
    assert deal_only
    assert set(seen) == {item.url for item in CATALOG.items} - deal_only
    assert len(seen) == len(set(seen))


def test_search_finds_disguised_listings_through_their_keywords(shop: DemoMarket) -> None:
    links = set()
    for page in (1, 2, 3):
        links |= set(ITEM_LINK.findall(fetch(shop.url(f"/search?q=NOVAFLEX&page={page}")).text))
    assert {"/item/1010", "/item/1016", "/item/1017"} <= links  # Cyrillic, zero-width, fullwidth
    assert "/item/1050" not in links  # deal-only listings are not searchable


def test_search_beyond_last_page_is_empty_without_next(shop: DemoMarket) -> None:
    page = fetch(shop.url("/search?q=novaflex&page=99"))
    assert page.status == 200
    assert not ITEM_LINK.findall(page.text)
    assert 'rel="next"' not in page.text


def test_seller_page_lists_its_searchable_listings(shop: DemoMarket) -> None:
    page = parsel.Selector(fetch(shop.url("/seller/kicksdirect")).text)
    assert page.css("h1.seller-name::text").get() == "KicksDirect99"
    links = page.css("ul.seller-listings a.listing-link::attr(href)").getall()
    assert links == [i.url for i in CATALOG.seller_items("kicksdirect")]
    assert "/item/1050" not in links


@pytest.mark.parametrize("path", ["/item/9999", "/seller/nobody", "/img/nothing.png", "/nowhere"])
def test_unknown_paths_are_404(shop: DemoMarket, path: str) -> None:
    assert fetch(shop.url(path)).status == 404


def test_jsonld_pages_carry_product_offer_and_seller(shop: DemoMarket) -> None:
    item = CATALOG.item("1001")
    assert item is not None and item.style == "jsonld"
    blocks = _jsonld(fetch(shop.url(item.url)).text)
    product = next(b for b in blocks if b["@type"] == "Product")
    assert product["name"] == item.title
    assert product["brand"]["name"] == "NOVAFLEX"
    offer = product["offers"]
    assert (offer["price"], offer["priceCurrency"]) == ("129.00", "USD")
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"]["identifier"] == "novaflex-official"
    assert product["image"] == [shop.url(f"/img/{name}") for name in item.images]


def test_microdata_pages_parse_with_extruct(shop: DemoMarket) -> None:
    item = CATALOG.item("1002")
    assert item is not None and item.style == "microdata"
    html = fetch(shop.url(item.url)).text
    data = extruct.extract(html, base_url=shop.url(item.url), syntaxes=["microdata"])
    product = data["microdata"][0]
    assert product["type"] == "https://schema.org/Product"
    props = product["properties"]
    assert props["name"] == item.title
    assert props["offers"]["properties"]["price"] == "149.00"
    assert props["offers"]["properties"]["priceCurrency"] == "USD"
    seller = props["offers"]["properties"]["seller"]["properties"]
    assert seller["identifier"] == "novaflex-official"
    assert seller["url"] == shop.url("/seller/novaflex-official")
    assert props["image"] == shop.url("/img/novaflex-storm-jacket.png")
    assert not _jsonld(html)


def test_plain_pages_have_no_structured_data_and_lazy_images(shop: DemoMarket) -> None:
    item = CATALOG.item("1003")
    assert item is not None and item.style == "plain"
    html = fetch(shop.url(item.url)).text
    data = extruct.extract(html, syntaxes=["json-ld", "microdata"])
    assert data == {"json-ld": [], "microdata": []}
    page = parsel.Selector(html)
    assert page.css(".listing-gallery img::attr(src)").getall() == ["/img/placeholder.gif"]
    assert page.css(".listing-gallery img::attr(data-src)").getall() == [
        "/img/novaflex-trail-pack.png"
    ]


def test_profile_fallback_selectors_extract_every_plain_page(shop: DemoMarket) -> None:
    fields = demo_profile(shop).listing.fields
    plain = [item for item in CATALOG.items if item.style == "plain"]
    assert len(plain) >= 10
    for item in plain:
        page = parsel.Selector(fetch(shop.url(item.url)).text)
        assert page.css(fields.title).get() == item.title
        assert page.css(fields.price).get() == f"{item.price:.2f}"
        assert page.css(fields.currency).get() == item.currency
        assert page.css(fields.description).get() == item.description
        assert page.css(fields.seller_id).get() == item.seller_id
        assert page.css(fields.seller_name).get() == CATALOG.sellers[item.seller_id].name
        assert page.css(fields.seller_url).get() == f"/seller/{item.seller_id}"
        images = page.xpath(fields.images.removeprefix("xpath:")).getall()
        assert images == [f"/img/{name}" for name in item.images]


def test_opengraph_on_some_pages_only(shop: DemoMarket) -> None:
    with_og = [i for i in CATALOG.items if i.opengraph]
    without = [i for i in CATALOG.items if not i.opengraph]
    assert with_og and without
    page = parsel.Selector(fetch(shop.url(with_og[0].url)).text)
    assert page.css('meta[property="og:title"]::attr(content)').get() == with_og[0].title
    assert 'property="og:' not in fetch(shop.url(without[0].url)).text


def test_hostile_title_is_escaped_text_everywhere(shop: DemoMarket) -> None:
    html = fetch(shop.url("/item/1039")).text
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    page = parsel.Selector(html)
    assert (
        page.css("h1.listing-title::text").get() == "<script>alert(1)</script> Cheap wireless mouse"
    )
    for block in _jsonld(html):
        if block["@type"] == "Product":
            assert block["name"].startswith("<script>alert(1)</script>")
    assert "<script>alert(1)" not in fetch(shop.url("/search?q=mouse")).text


def test_every_catalog_image_is_served_with_its_media_type(shop: DemoMarket) -> None:
    magic = {"image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8", "image/gif": b"GIF8"}
    for name in sorted(CATALOG.image_names() | {"placeholder.gif"}):
        response = fetch(shop.url(f"/img/{name}"))
        assert response.status == 200, name
        assert response.body.startswith(magic[response.headers["Content-Type"]]), name

"""Microdata, OpenGraph/meta and embedded-state extractors, each on small inline pages."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import embedded_state, microdata, opengraph
from crawler.extraction.document import parse_document

URL = "https://shop.example/item/9"


def page(body: str, head: str = "") -> object:
    return parse_document(f"<html><head>{head}</head><body>{body}</body></html>", URL)


def test_microdata_product_with_nested_offer_and_brand() -> None:
    found = microdata.extract(
        page(
            '<div itemscope itemtype="https://schema.org/Product">'
            '<h1 itemprop="name">Mug</h1><img itemprop="image" src="/m.jpg">'
            '<span itemprop="brand" itemscope itemtype="https://schema.org/Brand">'
            '<span itemprop="name">Acme</span></span>'
            '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
            '<meta itemprop="price" content="8.00"><meta itemprop="priceCurrency" content="EUR">'
            '<link itemprop="availability" href="https://schema.org/SoldOut"></div></div>'
        )
    )
    assert found["title"] == "Mug"
    assert found["brand"] == "Acme"
    assert (found["price"], found["currency"]) == ("8.00", "EUR")
    assert found["availability"] == "https://schema.org/SoldOut"
    assert found["images"] == ["https://shop.example/m.jpg"]


def test_microdata_without_product_is_empty() -> None:
    assert (
        microdata.extract(page('<div itemscope itemtype="https://schema.org/Person"></div>')) == {}
    )


def test_opengraph_product_tags() -> None:
    found = opengraph.extract(
        page(
            "",
            '<meta property="og:title" content="Lamp | Lights Shop">'
            '<meta property="og:site_name" content="Lights Shop">'
            '<meta property="product:price:amount" content="30">'
            '<meta property="product:sale_price:amount" content="25">'
            '<meta property="og:price:currency" content="GBP">'
            '<meta property="og:image" content="/l1.jpg">'
            '<meta name="twitter:image" content="/l2.jpg">'
            '<meta property="product:availability" content="instock">',
        )
    )
    assert found["title"] == "Lamp"
    assert (found["price"], found["currency"]) == ("25", "GBP")
    assert found["images"] == ["/l1.jpg", "/l2.jpg"]
    assert found["availability"] == "instock"


def test_twitter_label_data_pairs() -> None:
    found = opengraph.extract(
        page(
            "",
            '<meta name="twitter:label1" content="Price">'
            '<meta name="twitter:data1" content="$9.99">'
            '<meta name="twitter:label2" content="Availability">'
            '<meta name="twitter:data2" content="Out of stock">',
        )
    )
    assert (found["price"], found["availability"]) == ("$9.99", "Out of stock")


def state(script: str) -> dict[str, object]:
    return embedded_state.extract(page("", script))


def test_initial_state_assignment() -> None:
    found = state(
        '<script>window.__INITIAL_STATE__ = {"item": {"title": "Kettle", "price": 19.5,'
        ' "currency": "USD", "brand": {"name": "Acme"}, "images": ["/k.jpg"]}};</script>'
    )
    assert (found["title"], found["price"], found["currency"]) == ("Kettle", Decimal("19.5"), "USD")
    assert (found["brand"], found["images"]) == ("Acme", ["/k.jpg"])


def test_next_data_skips_old_price_and_recommendations() -> None:
    found = state(
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{'
        '"recommendations":[{"name":"Other","price":1}],'
        '"product":{"name":"Bike","priceInfo":{"wasPrice":{"price":99},"currentPrice":{"price":79}},'
        '"sellerName":"Bikes Inc","sellerId":"S1","availabilityStatus":"IN_STOCK"}}}}</script>'
    )
    assert (found["title"], found["price"]) == ("Bike", 79)
    assert found["seller"] == {"name": "Bikes Inc", "id": "S1", "url": None}
    assert found["availability"] == "IN_STOCK"


def test_js_object_literal_and_module_layout() -> None:
    found = state(
        '<script>window.runParams = { data: {"titleModule":{"subject":"Watch"},'
        '"priceModule":{"formatedActivityPrice":"US $12.34","formatedPrice":"US $20.00"},'
        '"storeModule":{"storeName":"Gadgets","storeNum":42},'
        '"specsModule":{"props":[{"attrName":"Brand Name","attrValue":"ACMEE"}]}}, '
        "csrfToken: 'x' };</script>"
    )
    assert (found["title"], found["price"], found["brand"]) == ("Watch", "US $12.34", "ACMEE")
    assert found["seller"] == {"name": "Gadgets", "id": "42", "url": None}


def test_json_parse_string_state() -> None:
    found = state(
        "<script>window.__STATE__ = JSON.parse("
        '"{\\"product\\":{\\"name\\":\\"Pan\\",\\"salePrice\\":\\"$15\\"}}");</script>'
    )
    assert (found["title"], found["price"]) == ("Pan", "$15")


def test_shopify_meta_prices_are_cents() -> None:
    found = state(
        '<script>var meta = {"product":{"vendor":"Acme","variants":[{"price":3500,'
        '"name":"Tote - Natural","sku":"T-1"}]},"page":{"pageType":"product"}};</script>'
    )
    assert found["price"] == Decimal("35")
    assert (found["brand"], found["sku"]) == ("Acme", "T-1")


def test_state_without_product_or_broken() -> None:
    assert state('<script>window.config = {"theme": "dark", "items": 3};</script>') == {}
    assert state("<script>window.x = {broken: </script>") == {}
    assert state('<script type="application/json">{"a": </script>') == {}


def test_state_reads_the_price_of_the_variant_it_names_as_selected() -> None:
    script = (
        '<script>window.__STATE__={"product":{"title":"Wool socks","variants":['
        '{"id":"A-1","size":"S","price":{"value":9.5}},{"id":"A-2","size":"L","price":{"value":11}}'
        '],"selectedVariantId":"A-2"}};</script>'
    )
    found = embedded_state.extract(page("", script))
    assert found["price"] == 11

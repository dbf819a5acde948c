"""JSON-LD extractor: product finding, offers, brands, and tolerance of broken blocks."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import jsonld
from crawler.extraction.document import parse_document

URL = "https://shop.example/p/1"


def ld(*blocks: str) -> dict[str, object]:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return jsonld.extract(parse_document(f"<html><head>{scripts}</head></html>", URL))


def test_product_with_offer_brand_object_and_seller() -> None:
    found = ld(
        '{"@type":"Product","name":"Bag","brand":{"@type":"Brand","name":"Acme"},'
        '"offers":{"@type":"Offer","price":"19.99","priceCurrency":"USD",'
        '"availability":"https://schema.org/InStock","seller":{"@type":"Organization","name":"Shop"}}}'
    )
    assert found["title"] == "Bag"
    assert found["brand"] == "Acme"
    assert found["price"] == "19.99"
    assert found["currency"] == "USD"
    assert found["availability"] == "https://schema.org/InStock"
    assert found["seller"] == {"name": "Shop", "id": None, "url": None}


def test_numbers_stay_exact() -> None:
    assert ld('{"@type":"Product","name":"x","offers":{"price":0.1}}')["price"] == Decimal("0.1")


def test_brand_as_string_and_aggregate_offer_low_price() -> None:
    found = ld(
        '{"@type":"Product","name":"x","brand":"Acme",'
        '"offers":{"@type":"AggregateOffer","lowPrice":"5.00","highPrice":"9.00"}}'
    )
    assert (found["brand"], found["price"]) == ("Acme", "5.00")


def test_graph_and_id_references() -> None:
    found = ld(
        '{"@context":"https://schema.org","@graph":['
        '{"@type":"Organization","@id":"#org","name":"Store Ltd","url":"https://shop.example/"},'
        '{"@type":"Product","name":"Hat","offers":[{"@type":"Offer","price":"7","seller":{"@id":"#org"}}]}]}'
    )
    assert found["title"] == "Hat"
    assert found["seller"] == {"name": "Store Ltd", "id": None, "url": "https://shop.example/"}


def test_one_broken_block_among_good_ones() -> None:
    found = ld(
        '{"@type":"Organization","name":"Org"}',
        '{"@type":"Product","name":"WRONG",',
        '{"@type":"Product","name":"Right", /* theme */ "offers":{"price":"3.50",},}',
    )
    assert found["title"] == "Right"
    assert found["price"] == "3.50"


def test_html_entities_and_comment_wrappers() -> None:
    assert (
        ld("{&quot;@type&quot;:&quot;Product&quot;,&quot;name&quot;:&quot;A&quot;}")["title"] == "A"
    )
    assert ld('<!-- {"@type":"Product","name":"B"} -->')["title"] == "B"
    assert ld('// site\n{"@type":"Product","name":"C"}')["title"] == "C"


def test_array_of_blocks_and_offer_for_this_url_first() -> None:
    found = ld(
        '[{"@type":"WebSite","name":"S"},{"@type":"Product","name":"Tee","offers":['
        '{"price":"10","url":"https://shop.example/p/0","sku":"T-S"},'
        f'{{"price":"12","url":"{URL}","sku":"T-L"}}]}}]'
    )
    assert (found["price"], found["sku"]) == ("12", "T-L")


def test_product_group_takes_the_variant_for_this_url() -> None:
    found = ld(
        '{"@type":"ProductGroup","name":"Cap","hasVariant":['
        '{"@type":"Product","sku":"C-1","offers":{"price":"5","url":"https://shop.example/p/0"}},'
        f'{{"@type":"Product","sku":"C-2","gtin13":"4006381333931","offers":{{"price":"6","url":"{URL}"}}}}]}}'
    )
    assert (found["title"], found["price"], found["sku"], found["gtin"]) == (
        "Cap",
        "6",
        "C-2",
        "4006381333931",
    )


def test_no_product_means_nothing() -> None:
    assert ld('{"@type":"Organization","name":"Org"}') == {}
    assert ld("not json at all") == {}
    assert ld() == {}

"""A code structured data names only as the manufacturer's part number ('mpn') is the brand's
style code, not the shop's SKU, even where the page prints it under '货号' or 'Style'; where
structured data also calls it the sku, or names another code the mpn, the printed code stands."""

from __future__ import annotations

import json

from crawler.extraction import extract_listing

URL = "https://resale.example.cn/product-detail.html?spuId=77120"


def sku(product: dict[str, object], label: str = "货号") -> str | None:
    ld = {"@context": "https://schema.org", "@type": "Product", "name": "Dunk Low 熊猫"}
    ld.update(product)
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
        '<body><main><div class="detail"><h1>Dunk Low 熊猫 低帮板鞋</h1>'
        '<div class="price">¥739</div><table><tr><td>品牌</td><td>Nike</td></tr>'
        f"<tr><td>{label}</td><td>ST4471-100</td></tr></table></div></main></body></html>"
    )
    return extract_listing(html, URL).sku


def test_a_code_structured_data_names_only_the_mpn_is_not_the_sku() -> None:
    assert sku({"mpn": "ST4471-100"}) is None


def test_an_english_style_label_for_the_mpn_is_not_the_sku_either() -> None:
    assert sku({"mpn": "ST4471-100"}, label="Item number") is None


def test_a_code_structured_data_calls_both_sku_and_mpn_stands() -> None:
    assert sku({"mpn": "ST4471-100", "sku": "ST4471-100"}) == "ST4471-100"


def test_a_printed_code_stands_where_the_mpn_is_another_code() -> None:
    assert sku({"mpn": "DD-9000"}) == "ST4471-100"

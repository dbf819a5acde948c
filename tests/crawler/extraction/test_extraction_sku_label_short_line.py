"""A label part-way along a short line ('By <a>Brand</a> · Product ID: <span>N</span>') reads
the element right after it, as it already did on longer lines (identifiers.py _inner_pairs)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://babyshop.example/babyhug-onesies/product-detail"


def sku(line: str) -> str | None:
    html = (
        "<html><body><main><div class='pdp'><h1>Cotton Onesies Pack of 3</h1>"
        f"{line}<span class='price'>₹599</span></div></main></body></html>"
    )
    return extract_listing(html, URL).sku


def test_a_product_id_after_a_brand_on_a_short_line_is_the_sku() -> None:
    assert sku("<p>By <a>Babyhug</a> · Product ID: <span>55120934</span></p>") == "55120934"


def test_a_label_first_on_the_short_line_still_reads() -> None:
    assert sku("<p>Item code: <span>AB-77120</span> · <a>Babyhug</a></p>") == "AB-77120"


def test_a_model_number_further_along_is_no_sku() -> None:
    assert sku("<p>By <a>Babyhug</a> · Model: <span>HX-2231</span></p>") is None


def test_a_sellers_id_further_along_is_no_sku() -> None:
    assert sku("<p>Sold by <a>Babyhug</a> · Seller ID: <span>77120934</span></p>") is None

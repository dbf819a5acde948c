"""A heading closed by the shop's own item number in brackets ('Combi Drill (282FF)'), where the
page prints that number under its product-code label, names the product without it."""

from __future__ import annotations

from crawler.extraction import extract_listing


def title_of(body: str) -> str | None:
    html = f'<html lang="en-GB"><head><title>Tools</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://tools.example.co.uk/p/hammer-drill/731kp").title


def test_a_bracketed_code_the_page_prints_as_its_product_code_leaves_the_title() -> None:
    body = (
        "<h1><span>Makita HP457DWE 18V Combi Drill</span> <span>(731KP)</span></h1>"
        '<p class="price">£89.99</p><dl><dt>Product code</dt><dd>731KP</dd></dl>'
    )
    assert title_of(body) == "Makita HP457DWE 18V Combi Drill"


def test_a_bracketed_pack_size_stays_in_the_title() -> None:
    body = (
        "<h1>Wood Screws (200 pack)</h1>"
        '<p class="price">£9.99</p><dl><dt>Product code</dt><dd>731KP</dd></dl>'
    )
    assert title_of(body) == "Wood Screws (200 pack)"


def test_a_bracketed_code_with_no_printed_product_code_stays() -> None:
    body = '<h1>Makita HP457DWE 18V Combi Drill (731KP)</h1><p class="price">£89.99</p>'
    assert title_of(body) == "Makita HP457DWE 18V Combi Drill (731KP)"

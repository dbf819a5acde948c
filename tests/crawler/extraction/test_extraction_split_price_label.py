"""A price split across elements and closed by a short label ('£207<span>.49</span>
<small>Inc VAT</small>') is read whole, never from its last fragment ('.49')."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(body: str) -> Decimal:
    html = f'<html lang="en-GB"><head><title>Shop</title></head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://shop.example.co.uk/p/1").price or "0")


def test_a_split_price_closed_by_a_tax_label_is_read_whole() -> None:
    body = (
        "<h1>Cordless Drill 18V</h1>"
        '<div class="now-price"><span class="sym">£</span>149<span class="pence">.95</span> '
        "<small>Inc VAT</small></div>"
    )
    assert price_of(body) == Decimal("149.95")


def test_a_card_label_closing_a_split_price_still_makes_it_conditional() -> None:
    body = (
        "<h1>Kettle 1.7 l</h1>"
        '<div class="price"><span class="sym">£</span>19<span class="pence">.99</span> '
        "<small>with card</small></div>"
        '<div class="price"><span class="sym">£</span>24<span class="pence">.99</span></div>'
    )
    assert price_of(body) == Decimal("24.99")


def test_a_label_with_digits_is_not_peeled_off_as_a_label() -> None:
    body = (
        "<h1>Screws 100 pack</h1>"
        '<div class="price">£4.50 <small>2 for £8</small></div>'
        '<p class="price">£4.50</p>'
    )
    assert price_of(body) == Decimal("4.50")

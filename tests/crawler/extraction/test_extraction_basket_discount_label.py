"""A price box named as a BEM block's element ('product-list__current-price') is not a list
price, and a basket or coupon price labelled with the discount it gives ('In basket £10 off:
<b>£89.00</b>') is conditional however its label prints the discount."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(body: str, script: str = "") -> Decimal:
    html = (
        '<html lang="en-GB"><head><title>Shop</title></head>'
        f"<body>{body}<script>{script}</script></body></html>"
    )
    return Decimal(extract_listing(html, "https://shop.example.co.uk/p/1").price or "0")


def test_a_bem_block_named_list_does_not_mark_the_current_price_old() -> None:
    script = 'window.__STATE__={"product":{"name":"Laptop 14","price":"899.00","currency":"GBP"}};'
    body = (
        "<h1>Laptop 14</h1>"
        '<div><span class="product-list__current-price">£899.00</span>'
        '<span class="product-list__old-price">£999.00</span></div>'
        '<div class="promo">Special offer: <b>£859.00</b></div>'
    )
    assert price_of(body, script) == Decimal("899.00")


def test_a_list_price_class_still_marks_an_old_price() -> None:
    body = (
        "<h1>Laptop 14</h1>"
        '<span class="list-price">£999.00</span><span class="price">£899.00</span>'
    )
    assert price_of(body) == Decimal("899.00")


def test_a_basket_price_labelled_with_its_discount_is_not_the_price() -> None:
    body = (
        "<h1>Headphones</h1>"
        '<div class="promo">In basket £10 off: <b>£89.00</b></div>'
        '<div class="price">£99.00</div>'
    )
    assert price_of(body) == Decimal("99.00")


def test_a_colon_label_without_a_condition_word_keeps_its_price() -> None:
    body = (
        "<h1>Headphones</h1>"
        '<div class="promo">Today £10 off: <b>£89.00</b></div>'
        '<div class="was">£99.00</div>'
    )
    assert price_of(body) == Decimal("89.00")

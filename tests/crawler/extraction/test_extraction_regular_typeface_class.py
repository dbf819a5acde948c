"""'Regular' in a class name marks a regular (list) price only as a word of its own or beside
'price'; a typeface weight run into a type scale's name ('texts_bodyMRegular') marks nothing."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(body: str) -> Decimal:
    html = f'<html lang="es"><head><title>Tienda</title></head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://tienda.example.es/p/1").price or "0")


def test_a_sale_price_set_in_a_regular_typeface_is_the_price() -> None:
    body = (
        "<h1>Chaqueta de punto</h1>"
        '<span class="Sale_now__x1 type_bodySRegular__q2">39,99 €</span>'
        '<span class="Crossed_old__x3"><s>59,99 €</s></span>'
    )
    assert price_of(body) == Decimal("39.99")


def test_a_camel_case_regular_price_class_still_marks_the_list_price() -> None:
    body = (
        "<h1>Chaqueta de punto</h1>"
        '<p class="a-card__paragraphRegularPrice">59,99 €</p>'
        '<p class="a-card__paragraphSalePrice">39,99 €</p>'
    )
    assert price_of(body) == Decimal("39.99")


def test_a_regular_word_class_still_marks_the_list_price() -> None:
    body = (
        '<h1>Chaqueta de punto</h1><p class="price price--regular">59,99 €</p>'
        '<p class="price">39,99 €</p>'
    )
    assert price_of(body) == Decimal("39.99")

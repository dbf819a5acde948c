"""A variant option marked chosen on its box ('<li class="is-selected"><button data-price>')
gives the data price, not the first option's."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(body: str) -> Decimal:
    html = f'<html lang="en"><head><title>Shop</title></head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://shop.example.com/p/1").price or "0")


def test_the_data_price_of_an_option_whose_box_is_marked_selected_wins() -> None:
    body = (
        "<h1>Sofa</h1><ul>"
        '<li><button data-price="699">Beige</button></li>'
        '<li class="is-selected"><button data-price="799">Rust</button></li></ul>'
    )
    assert price_of(body) == Decimal("799")


def test_with_no_option_marked_the_first_data_price_stays() -> None:
    body = (
        "<h1>Sofa</h1><ul>"
        '<li><button data-price="699">Beige</button></li>'
        '<li><button data-price="799">Rust</button></li></ul>'
    )
    assert price_of(body) == Decimal("699")

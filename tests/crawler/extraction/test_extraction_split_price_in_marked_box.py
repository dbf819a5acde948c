"""An inline price split into parts with no currency of its own ('<span>79<sup>,99</sup></span>')
inside a box marked as the price ('data-qa=price-block') is the item's price, over a later
accessory's '€ 8,99' that names its currency."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_price(body: str) -> str | None:
    html = f'<html lang="nl"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.nl/p/5374").price


_ACCESSORY = '<div><a href="/p/1">Verfroller 25 cm</a><p class="font-bold">€ 8,99</p></div>'


def test_a_split_price_in_a_price_marked_box_beats_a_later_accessory() -> None:
    body = (
        "<h1>Muurverf wit 5L</h1>"
        '<div data-qa="price-block"><span class="text-4xl font-extrabold">49<sup>,95</sup></span>'
        '<p class="text-xs">€ 9,99 per liter</p></div>'
        f"<h2>Ook nodig</h2>{_ACCESSORY}"
    )
    assert listing_price(body) == "49.95"


def test_a_split_number_outside_a_price_box_is_not_a_price() -> None:
    # negative: a rating split the same way in an unmarked box names no price
    body = (
        "<h1>Muurverf wit 5L</h1>"
        '<div class="rating"><span class="text-lg">4<sup>,6</sup></span></div>'
        f"{_ACCESSORY}"
    )
    assert listing_price(body) == "8.99"

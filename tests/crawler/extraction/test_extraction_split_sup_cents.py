"""A price printed as whole units in one element and superscript cents in the next
('<span>4</span><sup>79</sup><span>€</span>') is one price, '4,79 €'; the cents are never read as
a price of their own, even beside a card price printed the same way after it."""

from __future__ import annotations

from crawler.extraction import extract_listing


def price(box: str) -> str | None:
    html = (
        '<html lang="lv"><head><title>Veikals</title></head><body><h1>Tēja zaļā 100 g</h1>'
        f"{box}</body></html>"
    )
    return extract_listing(html, "https://veikals.example.lv/p/teja-zala-100g").price


def test_whole_units_and_superscript_cents_are_one_price() -> None:
    box = (
        '<div class="price"><span class="price__whole">4</span><sup class="price__cents">79</sup>'
        '<span class="price__sign">€</span></div>'
    )
    assert price(box) == "4.79"


def test_the_superscript_cents_are_not_read_as_a_price_of_their_own() -> None:
    box = (
        '<div class="price"><span class="price__whole">12</span><sup>99</sup>'
        '<span class="price__sign">€</span></div>'
        '<div class="card-price"><span class="label">Ar karti</span>'
        '<span class="price__whole">9</span><sup>99</sup><span class="price__sign">€</span></div>'
    )
    assert price(box) == "12.99"

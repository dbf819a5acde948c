"""The item's own 'Ir pieejams' (Latvian: is available) line makes it in stock, and a rail headed
'Līdzīgi produkti' (similar products, in the Baltic languages, Arabic and South Asian ones) is
other products' cards: its 'Īslaicīgi nav pieejams' says nothing about this item."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled

URL = "https://shop.example.lv/lv/produkti/p/771001"


def page(own: str, rail_heading: str = "Līdzīgi produkti") -> str:
    return (
        '<html lang="lv"><body><main><section class="product">'
        '<h1>Kafija maltā 500g</h1><div class="price">8,99 €</div>'
        f"{own}</section>"
        f'<section class="product-grid"><h2>{rail_heading}</h2>'
        '<div class="card card--unavailable"><a href="/p/2">Kafija pupiņās 1kg</a>'
        '<div class="card__status">Īslaicīgi nav pieejams</div></div></section>'
        "</main></body></html>"
    )


@pytest.mark.parametrize(
    ("line", "state"),
    [
        ("Ir pieejams", "InStock"),
        ("Nav pieejams", "OutOfStock"),
        ("Ir pieejama", "InStock"),
        ("Īslaicīgi nav pieejams", "OutOfStock"),
    ],
)
def test_latvian_available_lines(line: str, state: str) -> None:
    assert bundled().stock_state(line) == state


def test_own_available_line_beats_an_unavailable_card_in_a_rail() -> None:
    own = '<div class="product__availability">Ir pieejams</div>'
    assert extract_listing(page(own), URL).availability == "InStock"


def test_a_rail_headed_similar_products_in_latvian_is_not_read() -> None:
    # nothing of the item's own says anything: the rail card's 'nav pieejams' must not either
    assert extract_listing(page(""), URL).availability is None


@pytest.mark.parametrize(
    "heading", ["Panašios prekės", "Sarnased tooted", "منتجات مشابهة", "সংশ্লিষ্ট পণ্য"]
)
def test_rail_headings_in_more_languages(heading: str) -> None:
    assert bundled().rail_heading.search(heading)


def test_own_unavailable_line_still_counts_beside_a_rail() -> None:
    own = '<div class="product__availability">Nav pieejams</div>'
    assert extract_listing(page(own), URL).availability == "OutOfStock"

"""An icon-only buy button ('+') is captioned by its accessible name ('Voeg toe aan
winkelmand'); a strip of other products' cards marked 'lane' or headed 'Vaak samen gekocht'
is another product's box, so its 'Tijdelijk niet leverbaar' is not this item's."""

from __future__ import annotations

from crawler.extraction import extract_listing


def availability(body: str) -> str | None:
    html = f'<html lang="nl"><head></head><body><main>{body}</main></body></html>'
    return extract_listing(html, "https://supermarkt.example.nl/p/9").availability


def item(button: str) -> str:
    return (
        '<article class="hero"><h1>Halfvolle melk 1 l</h1><div class="price">1.19</div>'
        f"{button}</article>"
    )


PLUS = '<button class="btn" aria-label="Voeg toe aan winkelmand">+</button>'


def test_an_icon_only_button_named_as_a_buy_button_is_one() -> None:
    assert availability(item(PLUS)) == "InStock"


def test_an_icon_only_quantity_button_is_no_buy_button() -> None:
    assert availability(item('<button aria-label="Aantal verhogen">+</button>')) is None


def test_a_lane_of_other_products_cards_is_not_the_items_box() -> None:
    lane = (
        '<section class="lane_root__x9"><div class="card"><a href="/p/2">Karnemelk</a>'
        '<span class="unavailable">Tijdelijk niet leverbaar</span></div></section>'
    )
    assert availability(item(PLUS) + lane) == "InStock"


def test_a_rail_headed_frequently_bought_together_in_dutch_is_not_the_items_box() -> None:
    rail = (
        "<section><h2>Vaak samen gekocht</h2><div><a href='/p/2'>Karnemelk</a>"
        "<span>Tijdelijk niet leverbaar</span></div></section>"
    )
    assert availability(item(PLUS) + rail) == "InStock"


def test_a_class_that_only_contains_lane_inside_a_word_is_still_read() -> None:
    box = '<div class="planet-info"><span>Tijdelijk niet leverbaar</span></div>'
    assert availability(item("") + box) == "OutOfStock"

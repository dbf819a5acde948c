"""A price in a box headed as other products' rail ('<h2>Passar bra ihop med</h2>', 'Goes well
with') is that product's price, even where no class names the rail."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str) -> str | None:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/3").price


def test_an_accessory_rail_headed_in_swedish_is_not_read_for_the_price() -> None:
    body = (
        "<h1>Bordslampa LED</h1>"
        '<div class="info"><p>Snart i lager</p></div>'
        '<section class="block"><h2>Passar bra ihop med</h2><ul>'
        '<li class="card"><a>Glödlampa E27</a><span class="card-price">59,90 kr</span></li>'
        "</ul></section>"
    )
    assert listing_price(body, "sv") is None


def test_a_goes_well_with_rail_does_not_outrank_the_items_price() -> None:
    body = (
        "<h1>Espresso Cups (set of 2)</h1>"
        '<section class="block"><h3>Goes well with</h3>'
        '<div class="card"><span class="card-price">$12.00</span></div></section>'
        '<div class="buy"><span class="amount">$24.00</span></div>'
    )
    assert listing_price(body, "en") == "24.00"


def test_a_section_headed_with_other_words_keeps_its_price() -> None:
    body = (
        "<h1>Kaffebryggare</h1>"
        '<section class="block"><h2>Pris och leverans</h2>'
        '<div><span class="amount">899 kr</span></div></section>'
    )
    assert listing_price(body, "sv") == "899.00"

"""Which stock words and buttons speak for this product (crawler/extraction/stock.py,
combine.py): not another product's card in a rail; a visible sold-out line over stale
structured 'InStock' when no buy button is enabled."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://shop.example/item/88"


def availability(body: str, lang: str = "en", head: str = "") -> str | None:
    html = f'<html lang="{lang}"><head>{head}</head><body><h1>Teapot</h1>{body}</body></html>'
    return extract_listing(html, URL).availability


def test_sold_out_words_in_a_rail_of_other_products_do_not_count() -> None:
    rail = (
        "<button>Add to cart</button>"
        '<section class="Rail_rail__x1"><div class="card"><p>Mug</p><p>Sold out</p></div></section>'
    )
    assert availability(rail) == "InStock"
    shop_rail = '<button>Buy now</button><ul class="shop-rail__list"><li>Ausverkauft</li></ul>'
    assert availability(shop_rail, "de") == "InStock"


def test_a_word_merely_containing_rail_is_not_a_rail() -> None:
    page = '<div class="trail-info"><p>Out of stock</p></div>'
    assert availability(page) == "OutOfStock"

"""A variant picker's options that are not chosen speak for another variant, not this product
(crawler/extraction/stock.py): 'Blue — Sold out' beside the chosen 'Red' is not the item's state,
nor is 'Green (in stock)' beside a chosen colour whose own stock line says sold out."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://shop.example/item/scooter-red"


def availability(box: str, head: str = "") -> str | None:
    html = (
        f"<html><head>{head}</head><body><div class='product'><h1>Kick scooter</h1>{box}</div>"
        "</body></html>"
    )
    return extract_listing(html, URL).availability


def test_a_sold_out_option_that_is_not_chosen_is_another_variant() -> None:
    box = (
        '<div class="picker">Colour: <span class="selected">Red</span> <span>Green</span>'
        ' <span class="unavailable">Blue — Sold out</span></div>'
        '<div class="availability">In stock · ready to ship from Leeds</div>'
        "<button>Add to cart</button>"
    )
    assert availability(box) == "InStock"


def test_the_chosen_options_own_sold_out_still_counts() -> None:
    box = (
        '<div class="picker">Colour: <span class="selected">Red — Sold out</span>'
        " <span>Green</span></div>"
    )
    assert availability(box) == "SoldOut"


def test_other_colours_in_stock_do_not_outweigh_the_items_sold_out_line() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type":"Product","name":"Kick scooter",'
        '"offers":{"price":"99","priceCurrency":"GBP",'
        '"availability":"https://schema.org/InStock"}}</script>'
    )
    box = (
        '<p class="stock">Availability: <span>Sold out</span></p>'
        '<div class="colours">Colour: <span class="selected">Red</span>'
        " <a>Green (in stock)</a> <a>Blue (in stock)</a></div>"
    )
    assert availability(box, jsonld) == "OutOfStock"  # the visible line outranks stale InStock


def test_a_box_without_a_chosen_option_is_still_a_stock_line() -> None:
    box = '<div class="stock"><span>Availability:</span> <span>Sold out</span></div>'
    assert availability(box) == "SoldOut"

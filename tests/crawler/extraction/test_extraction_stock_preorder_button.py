"""The item's own button captioned only as a pre-order ('Förbeställ', 'Voorbestellen') makes it
PreOrder, over a feed's structured 'InStock'; a rail headed 'Passar bra ihop med' or 'Goes well
with' is other products' box, so its 'Finns i lager' is not the item's (stock.py, lexicon)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://gadgets.example/se/laddare-p40112"
JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Laddare 45 W","offers":{"@type":"Offer","price":"299","priceCurrency":"SEK",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(box: str, after: str = "", head: str = JSONLD) -> str | None:
    html = (
        f"<html><head>{head}</head><body><main><div class='info'><h1>Laddare 45 W</h1>"
        f"<span class='price'>299 kr</span>{box}</div>{after}</main></body></html>"
    )
    return extract_listing(html, URL).availability


def test_a_pre_order_button_outranks_a_structured_in_stock() -> None:
    assert availability('<button class="btn btn--buy">Förbeställ</button>') == "PreOrder"


def test_a_pre_order_button_in_dutch_with_no_structured_data() -> None:
    assert availability('<button class="btn">Voorbestellen</button>', head="") == "PreOrder"


def test_a_disabled_pre_order_button_is_no_pre_order() -> None:
    box = '<button class="btn" disabled>Pre-order</button><button>Add to cart</button>'
    assert availability(box) == "InStock"


def test_a_long_caption_mentioning_pre_order_is_no_pre_order() -> None:
    box = (
        '<button class="btn">Add to cart</button>'
        '<a class="link">Read how pre-order and delivery dates work for our shop</a>'
    )
    assert availability(box) == "InStock"


def test_a_rail_headed_goes_well_with_is_not_the_items_stock() -> None:
    rail = (
        "<section><h2>Passar bra ihop med</h2><ul><li><a>USB-C-kabel</a>"
        "<span class='card-stock'>Finns i lager</span></li></ul></section>"
    )
    box = "<p class='stock'>Tillfälligt slut</p>"
    assert availability(box, rail, head="") == "OutOfStock"


def test_an_english_goes_well_with_rail_is_other_products() -> None:
    rail = (
        "<section><h3>Goes well with</h3><div><a>Cable</a>"
        "<span class='stock'>In stock</span></div></section>"
    )
    assert availability("", rail, head="") is None

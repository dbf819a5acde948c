"""In a stock list of an online line and single stores' lines, the online line says what a
buyer can order ('Webblager: >10 st'); one store's 'Beställningsvara' is not the item's state.
A list with no online line is read as before."""

from __future__ import annotations

from crawler.extraction import extract_listing

JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Item","offers":{"@type":"Offer","price":"10","priceCurrency":"SEK",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(body: str, head: str = "") -> str | None:
    html = f"<html><head>{head}</head><body><main>{body}</main></body></html>"
    return extract_listing(html, "https://butik.example.se/produkt/77").availability


def box(lines: str, button: str = "<button>Lägg i varukorgen</button>") -> str:
    return (
        '<div class="buy"><h1>Nätaggregat 850 W</h1><div class="price">1 190 kr</div>'
        f'<ul class="stock-list">{lines}</ul>{button}</div>'
    )


STORES = "<li>Umeå: 3 st</li><li>Luleå: Beställningsvara</li>"


def test_a_single_stores_back_order_line_does_not_beat_the_online_count() -> None:
    lines = "<li><i></i>Webblager: <b>&gt;10 st</b> – skickas idag</li>" + STORES
    assert availability(box(lines), JSONLD) == "InStock"


def test_an_online_count_of_zero_is_out_of_stock_whatever_the_stores_hold() -> None:
    lines = "<li>Webblager: 0 st</li><li>Umeå: 3 st</li><li>Luleå: 5 st</li>"
    assert availability(box(lines, "")) == "OutOfStock"


def test_the_online_lines_own_phrase_is_its_state() -> None:
    lines = "<li>Nettlager: Forventet på lager 14.01</li><li>Oslo: 2 stk</li>"
    assert availability(box(lines), JSONLD) == "BackOrder"


def test_a_labelled_list_without_an_online_line_is_read_as_before() -> None:
    lines = "<li>Märke: Corsair</li><li>Lagerstatus: Beställningsvara</li>"
    assert availability(box(lines), JSONLD) == "BackOrder"

"""The item's own stock line saying it ships later (pre-order, back-order) outranks a structured
'InStock' from a feed that knows only in or out; a rail's pre-order card does not."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled

JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Item","offers":{"@type":"Offer","price":"10","priceCurrency":"EUR",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(body: str, lang: str = "en") -> str | None:
    html = f'<html lang="{lang}"><head>{JSONLD}</head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/5").availability


def test_own_back_order_line_beats_structured_in_stock() -> None:
    body = (
        '<main><div class="pdp"><h1>Skrivebordslampe LED</h1><div class="price">€ 10</div>'
        '<span class="stock-text">Forventet på lager: 02-03-2027</span>'
        "<button>Læg i kurv</button></div></main>"
    )
    assert availability(body, "da") == "BackOrder"


def test_own_pre_order_badge_beats_structured_in_stock_without_h1() -> None:
    body = (
        '<div class="goods"><span class="badge">예약구매</span>'
        '<h2 class="name">게임 타이틀 한정판</h2><a class="btn_buy">구매하기</a></div>'
    )
    assert availability(body, "ko") == "PreOrder"


def test_a_rail_cards_pre_order_does_not_change_the_items_in_stock() -> None:
    body = (
        '<main><div class="pdp"><h1>Game console</h1><div class="price">€ 10</div>'
        "<button>Add to cart</button></div>"
        '<div class="related"><div>Next year\'s sequel <span>Pre-order</span></div></div></main>'
    )
    assert availability(body) == "InStock"


def test_back_order_words_in_several_languages() -> None:
    lexicon = bundled()
    for line in ("Beställningsvara", "Sob encomenda", "Bajo pedido", "Nachbestellt", "Backordered"):
        assert lexicon.stock_state(line) == "BackOrder", line
    assert lexicon.stock_state("På lager") == "InStock"


def out_of_stock_page(body: str, lang: str = "en") -> str | None:
    stale = JSONLD.replace("InStock", "OutOfStock")
    html = f'<html lang="{lang}"><head>{stale}</head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/6").availability


def test_own_pre_order_line_beats_structured_out_of_stock() -> None:
    body = (
        '<main><div class="product"><h1>Stagebox 16/4</h1><div class="price">€ 10</div>'
        '<p class="stock-info">Pre-order</p><button>Reserveer nu</button></div></main>'
    )
    assert out_of_stock_page(body, "nl") == "PreOrder"


def test_pre_order_beats_one_sold_out_colour_line() -> None:
    body = (
        '<main><div class="product"><h1>Wireless headphones</h1><div class="price">€ 10</div>'
        '<div class="colours"><span>Black</span> <span>White – Out of stock</span></div>'
        '<p class="stock-info">Pre-order – ships 14 March</p></div></main>'
    )
    assert availability(body) == "PreOrder"


def test_structured_out_of_stock_stays_without_a_later_line() -> None:
    body = (
        '<main><div class="product"><h1>Stagebox 16/4</h1><div class="price">€ 10</div></div>'
        '<div class="related"><div>Stagebox 32/8 <span>Pre-order</span></div></div></main>'
    )
    assert out_of_stock_page(body) == "OutOfStock"

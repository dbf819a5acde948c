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


def own_box(body: str, lang: str, head: str) -> str | None:
    """A page whose <h1> sits inside the item's own box, as product pages print it."""
    html = f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'
    return extract_listing(html, URL).availability


LD_IN_STOCK = (
    '<script type="application/ld+json">{"@type": "Product", "name": "Teapot", "offers": '
    '{"price": "20", "priceCurrency": "EUR", "availability": "https://schema.org/InStock"}}'
    "</script>"
)


def test_a_visible_sold_out_line_outranks_stale_structured_in_stock() -> None:
    pt = (
        '<div><h1>Tênis</h1><div class="notice">Produto esgotado</div><p>Avise-me</p></div>'
        "<section><article><p>Outro tênis</p><span>Disponível</span></article></section>"
    )
    assert own_box(pt, "pt-BR", LD_IN_STOCK) == "OutOfStock"
    nl = (
        "<main><h1>Wasmachine</h1><div>Niet meer leverbaar</div>"
        "<button disabled>In winkelwagen</button></main>"
    )
    assert own_box(nl, "nl", LD_IN_STOCK) == "OutOfStock"
    de = "<div><h1>Kanne</h1><p>Nicht mehr lieferbar</p></div>"
    assert own_box(de, "de", LD_IN_STOCK) == "OutOfStock"


def test_a_sold_out_line_beside_an_enabled_buy_button_leaves_structured_in_stock() -> None:
    # The line may be about another size or colour while the chosen one can be bought.
    page = "<div><h1>Teapot</h1><p>Sold out</p><button>Add to cart</button></div>"
    assert own_box(page, "en", LD_IN_STOCK) == "InStock"


def test_a_restock_notice_link_and_a_no_stock_state_value_read_as_out_of_stock() -> None:
    assert availability('<a href="#">再入荷のお知らせを受け取る</a>', "ja") == "OutOfStock"
    state = (
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"item":'
        '{"name":"Teapot","price":2990,"stockStatus":"NO_STOCK"}}}}</script>'
    )
    assert availability("", "ja", state) == "OutOfStock"


def test_a_sold_out_online_line_beside_an_in_store_line_leaves_structured_in_stock() -> None:
    page = (
        "<div><h1>Teapot</h1><p>Online nicht verfügbar</p><p>Im Markt: sofort verfügbar</p>"
        "<button disabled>In den Warenkorb</button></div>"
    )
    assert own_box(page, "de", LD_IN_STOCK) == "InStock"

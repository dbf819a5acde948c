"""An item that cannot be bought online but is available in a store is InStoreOnly, not out of
stock (crawler/extraction/stock_store.py, combine.py); an enabled buy button, a store line
about another product or a store with no stock does not make it so."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://www.baumarkt.example/p/rasenmaeher-4410"
LD_IN_STOCK = (
    '<script type="application/ld+json">{"@type":"Product","name":"Rasenmäher",'
    '"offers":{"price":"399","priceCurrency":"EUR",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(box: str, head: str = "", after: str = "") -> str | None:
    html = (
        f"<html><head>{head}</head><body><div class='pdp'><h1>Rasenmäher</h1>{box}</div>"
        f"{after}</body></html>"
    )
    return extract_listing(html, URL).availability


def test_not_deliverable_online_but_in_stock_at_a_store_is_in_store_only() -> None:
    box = (
        '<div class="avail"><div class="row is-unavailable"><strong>Onlineshop</strong><br>'
        'Online nicht lieferbar</div><div class="row"><strong>Leipzig-Mitte</strong><br>'
        "Im Markt verfügbar: 7 Stück · Reservieren und im Markt bezahlen</div></div>"
        '<button class="btn" disabled>In den Warenkorb</button>'
    )
    assert availability(box, LD_IN_STOCK) == "InStoreOnly"


def test_a_store_only_phrase_with_a_disabled_buy_button_is_in_store_only() -> None:
    box = (
        '<div class="ship"><b>Ship to home</b><p>Not available</p></div>'
        '<div class="store"><b>In-store purchase only</b><p>12 in stock at Springfield</p></div>'
        "<button disabled>Add to cart</button>"
    )
    assert availability(box) == "InStoreOnly"
    assert availability("<p>Disponible solo en tienda · 3 tiendas con stock</p>") == "InStoreOnly"


def test_an_enabled_buy_button_means_it_can_be_bought_online() -> None:
    box = (
        "<p>Auch im Markt verfügbar</p><p>Nur im Markt: Gratis-Montage</p>"
        "<button>In den Warenkorb</button>"
    )
    assert availability(box) == "InStock"


def test_a_store_line_without_a_count_may_be_a_pickup_order_so_is_not_enough() -> None:
    box = (
        "<p>Online nicht verfügbar</p><p>Im Markt Graz verfügbar</p>"
        "<button disabled>In den Warenkorb</button>"
    )
    assert availability(box) == "OutOfStock"


def test_a_store_without_stock_leaves_the_item_out_of_stock() -> None:
    box = (
        "<p>Online nicht lieferbar</p><p>Im Markt nicht verfügbar</p>"
        "<button disabled>In den Warenkorb</button>"
    )
    assert availability(box) == "OutOfStock"


def test_a_rail_products_store_only_line_is_not_the_items() -> None:
    rail = (
        '<section class="related"><div class="tile"><a>Grasfangkorb</a>'
        "<span>Nur im Markt</span></div></section>"
    )
    box = "<p>Ausverkauft</p><button disabled>In den Warenkorb</button>"
    assert availability(box, after=rail) == "SoldOut"

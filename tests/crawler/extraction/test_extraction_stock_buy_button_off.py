"""A greyed-out buy button in the item's own box, with no stock line and no choice left to
make, outranks structured data left saying 'InStock' (crawler/extraction/stock_button.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://appliances.example/kettle-kx20"
JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Kettle KX20","offers":{"@type":"Offer","price":"79.00","priceCurrency":"AUD",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(box: str, after: str = "") -> str | None:
    html = (
        f"<html><head>{JSONLD}</head><body><main><div class='pdp'>"
        f"<h1>Kettle KX20</h1><span class='price'>$79</span>{box}</div></main>{after}</body></html>"
    )
    return extract_listing(html, URL).availability


def test_a_disabled_add_to_cart_outranks_a_structured_in_stock() -> None:
    box = '<button class="btn btn--primary" disabled>Add to Cart</button>'
    assert availability(box) == "OutOfStock"


def test_a_buy_button_greyed_by_its_class_counts_as_disabled() -> None:
    box = '<button class="btn atc is-disabled">Ajouter au panier</button>'
    assert availability(box) == "OutOfStock"


def test_an_enabled_buy_button_beside_it_keeps_in_stock() -> None:
    box = '<button class="btn" disabled>Add to Cart</button><button class="btn">Buy now</button>'
    assert availability(box) == "InStock"


def test_a_button_disabled_until_a_size_is_chosen_keeps_in_stock() -> None:
    box = (
        "<select name='size'><option>Choose a size</option><option>1.5 L</option></select>"
        '<button class="btn" disabled>Add to Cart</button>'
    )
    assert availability(box) == "InStock"


def test_a_disabled_button_that_is_not_a_buy_button_keeps_in_stock() -> None:
    box = '<button class="btn" disabled>Compare</button><button class="btn">Add to Cart</button>'
    assert availability(box) == "InStock"


def test_a_disabled_buy_button_in_a_rail_is_another_products() -> None:
    rail = (
        '<section class="related-products"><h2>You may also like</h2>'
        "<div><p>Toaster</p><button disabled>Add to Cart</button></div></section>"
    )
    assert availability('<button class="btn">Add to Cart</button>', rail) == "InStock"

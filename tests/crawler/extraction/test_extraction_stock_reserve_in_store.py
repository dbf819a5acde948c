"""A store line saying the item is there ('In-store: Available in selected stores') beside an
enabled button reserving it in a store ('Reserve & Collect in store') and an online line saying
it cannot be bought online makes it InStoreOnly (stock_store.py, store_reserve_words)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://electronics.example/laptop-15-p100254"
JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Laptop 15","offers":{"@type":"Offer","price":"8999","priceCurrency":"ZAR",'
    '"availability":"https://schema.org/OutOfStock"}}</script>'
)
LINES = (
    "<div class='delivery'><b>Delivery:</b> Out of stock online</div>"
    "<div class='collect'><b>In-store:</b> Available in selected stores</div>"
)


def availability(box: str) -> str | None:
    html = (
        f"<html><head>{JSONLD}</head><body><main><div class='pdp'><h1>Laptop 15</h1>"
        f"<span class='price'>R8 999</span>{box}</div></main></body></html>"
    )
    return extract_listing(html, URL).availability


def test_a_store_line_beside_a_reserve_in_store_button_is_in_store_only() -> None:
    box = LINES + '<button class="btn reserve">Reserve &amp; Collect in store</button>'
    assert availability(box) == "InStoreOnly"


def test_a_german_reserve_button_counts_too() -> None:
    box = (
        "<p>Online nicht lieferbar</p><p>Im Markt verfügbar</p>"
        "<button>Im Markt reservieren</button>"
    )
    assert availability(box) == "InStoreOnly"


def test_without_a_reserve_button_an_uncounted_store_line_stays_out_of_stock() -> None:
    assert availability(LINES + "<button disabled>Add to cart</button>") == "OutOfStock"


def test_a_disabled_reserve_button_is_no_sign_a_store_has_it() -> None:
    box = LINES + "<button disabled>Reserve in store</button>"
    assert availability(box) == "OutOfStock"


def test_a_find_in_store_button_is_no_reservation() -> None:
    assert availability(LINES + "<button>Find in store</button>") == "OutOfStock"


def test_an_enabled_buy_button_keeps_it_buyable_online() -> None:
    box = (
        "<div class='collect'><b>In-store:</b> Available in selected stores</div>"
        "<button>Reserve in store</button><button>Add to cart</button>"
    )
    assert availability(box) != "InStoreOnly"

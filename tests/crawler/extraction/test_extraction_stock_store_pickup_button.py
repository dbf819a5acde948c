"""A buy button that only places a store pickup order ('Add to Cart for Pickup') does not mean
the item can be bought online, so a store-only line beside it still makes it InStoreOnly; a plain
enabled 'Add to cart' still does. Dutch store-only wording names the store kind ('alleen
verkrijgbaar in de bouwmarkt')."""

from __future__ import annotations

from crawler.extraction import extract_listing

LD_OUT = (
    '<script type="application/ld+json">{"@type":"Product","name":"Garden shed",'
    '"offers":{"price":"899","priceCurrency":"USD",'
    '"availability":"https://schema.org/OutOfStock"}}</script>'
)


def availability(box: str, lang: str = "en") -> str | None:
    html = (
        f'<html lang="{lang}"><head>{LD_OUT}</head><body><div class="pdp"><h1>Garden shed</h1>'
        f"{box}</div></body></html>"
    )
    return extract_listing(html, "https://farm.example.com/p/shed-8x10").availability


def test_store_only_line_beside_a_pickup_cart_button_is_in_store_only() -> None:
    box = (
        '<div class="ship"><b>Delivery</b><p>Not available for delivery</p></div>'
        "<p>Sold in store only. Collect it from your nearest branch.</p>"
        '<button class="btn">Add to Cart for Pickup</button>'
    )
    assert availability(box) == "InStoreOnly"


def test_store_only_line_beside_an_online_cart_button_is_not_in_store_only() -> None:
    box = (
        "<p>Sold in store only. Collect it from your nearest branch.</p>"
        "<button>Add to cart</button>"
    )
    assert availability(box) != "InStoreOnly"


def test_dutch_only_in_the_diy_store_is_in_store_only() -> None:
    box = (
        "<p>Niet online te bestellen</p>"
        "<p>Alleen verkrijgbaar in de bouwmarkt — Amersfoort: 6 op voorraad</p>"
        "<button disabled>In winkelwagen</button>"
    )
    assert availability(box, "nl") == "InStoreOnly"

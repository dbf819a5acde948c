"""A note under a price that hedges it for everyone ('Price in cart may vary', 'Der Preis kann
abweichen') names no buyer the price is for: the price stays the price, over a range's low end."""

from __future__ import annotations

import json
from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str = "en", head: str = "") -> Decimal:
    html = f'<html lang="{lang}"><head><title>Shop</title>{head}</head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://shop.example.com/p/9").price or "0")


def test_a_selected_price_hedged_by_a_cart_note_beats_the_ranges_low_end() -> None:
    offer = {"@context": "https://schema.org", "@type": "Product", "name": "Camp Mug",
             "offers": {"@type": "AggregateOffer", "lowPrice": "12.00", "highPrice": "20.00",
                        "priceCurrency": "USD"}}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(offer)}</script>'
    body = (
        "<h1>Camp Mug 16 oz.</h1>"
        '<div class="price-area"><p class="range">$12.00 - $20.00</p>'
        '<div><span class="price">$16.00</span></div>'
        '<p class="note">Price shown for selected size. Price in cart may vary.</p></div>'
    )
    assert listing_price(body, head=head) == Decimal("16.00")


def test_a_hedging_note_in_german_leaves_the_price_unconditional() -> None:
    body = (
        "<h1>Thermoskanne</h1>"
        '<div class="preis"><span class="price">24,95 €</span>'
        "<p>Der Preis im Warenkorb kann abweichen</p></div>"
    )
    assert listing_price(body, "de") == Decimal("24.95")


def test_a_cart_note_that_does_not_hedge_still_makes_the_price_conditional() -> None:
    body = (
        "<h1>Camp Stove</h1>"
        '<div class="prices"><div><span class="price">$54.00</span><p>Extra savings in cart</p>'
        '</div><div><span class="price">$60.00</span></div></div>'
    )
    assert listing_price(body) == Decimal("60.00")


def test_a_hedge_in_another_sentence_does_not_lift_the_condition() -> None:
    body = (
        "<h1>Camp Chair</h1>"
        '<div class="prices"><div><span class="price">$35.00</span>'
        "<p>Member price in cart. Prices may vary by store</p></div>"
        '<div><span class="price">$40.00</span></div></div>'
    )
    assert listing_price(body) == Decimal("40.00")

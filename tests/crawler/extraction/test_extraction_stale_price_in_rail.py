"""A structured price the page prints only in another product's box (a recommendation carousel
tile that happens to cost the same) is printed nowhere for this item: it is stale, and the price
the page prints after the title is the buyer's."""

from __future__ import annotations

import json
from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, structured: str) -> Decimal:
    offer = {"@context": "https://schema.org", "@type": "Product", "name": "Stand Mixer",
             "offers": {"@type": "Offer", "price": structured, "priceCurrency": "AUD"}}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(offer)}</script>'
    html = f'<html lang="en-AU"><head><title>Shop</title>{head}</head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://shop.example.com.au/p/5").price or "0")


def test_a_structured_price_printed_only_in_a_carousel_tile_gives_way() -> None:
    body = (
        "<h1>Stand Mixer 5L</h1>"
        '<div class="buy-box"><span class="price-now">$649</span>'
        '<span class="price-was">Was $799</span></div>'
        '<section class="product-carousel"><h2>You might also like</h2>'
        '<div class="tile"><p>Hand Mixer</p><p class="tile-price">$599</p></div></section>'
    )
    assert listing_price(body, "599.00") == Decimal("649")


def test_a_structured_price_printed_in_a_related_box_and_in_the_items_own_text_stays() -> None:
    # printed for the item itself too ('Launch price $599'), the structured price is not stale
    body = (
        "<h1>Stand Mixer 5L</h1>"
        '<div class="buy-box"><span class="price-now">$649</span></div>'
        '<p class="intro">Launch price $599 for the first week</p>'
        '<section class="related"><div class="tile"><p class="tile-price">$599</p></div></section>'
    )
    assert listing_price(body, "599.00") == Decimal("599")


def test_text_after_a_removed_tile_still_counts_as_the_items() -> None:
    body = (
        "<h1>Stand Mixer 5L</h1>"
        '<div class="buy-box"><span class="price-now">$649</span>'
        '<span class="similar-badge">New</span> launch price $599 this week</div>'
    )
    assert listing_price(body, "599.00") == Decimal("599")

"""An og:price that only copies an AggregateOffer's low end gives way to the chosen variant's
price the page prints within the range."""

from __future__ import annotations

import json
from decimal import Decimal

from crawler.extraction import extract_listing


def page(body: str, head: str = "") -> str:
    return f'<html lang="en"><head><title>Shop</title>{head}</head><body>{body}</body></html>'


def ranged_head(low: str, high: str) -> str:
    offer = {"@type": "AggregateOffer", "lowPrice": low, "highPrice": high, "priceCurrency": "USD"}
    data = {"@context": "https://schema.org", "@type": "Product", "name": "Linen Dress",
            "offers": offer}  # fmt: skip
    return (
        f'<meta property="og:price:amount" content="{low}">'
        '<meta property="og:price:currency" content="USD">'
        f'<script type="application/ld+json">{json.dumps(data)}</script>'
    )


def price_of(html: str) -> Decimal:
    return Decimal(extract_listing(html, "https://shop.example.com/p/1").price or "0")


def test_an_og_price_copying_the_range_low_gives_way_to_the_printed_price() -> None:
    body = '<h1>Linen Dress</h1><p class="from">From US$ 22.99</p><p class="price">US$ 24.99</p>'
    assert price_of(page(body, ranged_head("22.99", "27.99"))) == Decimal("24.99")


def test_an_og_price_equal_to_the_printed_price_stays() -> None:
    body = '<h1>Linen Dress</h1><p class="price">US$ 22.99</p>'
    assert price_of(page(body, ranged_head("22.99", "27.99"))) == Decimal("22.99")

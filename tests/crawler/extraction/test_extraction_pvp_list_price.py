"""'PVP' (precio/preço de venta ao público, the recommended retail price) labels a list price in
Spanish and Portuguese shops: structured data still stating it gives way to the current price."""

from __future__ import annotations

import json
from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str, head: str = "") -> Decimal:
    html = f'<html lang="{lang}"><head><title>Loja</title>{head}</head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://loja.example.pt/p/3").price or "0")


def test_a_stale_structured_price_printed_as_pvp_gives_way_to_the_current_price() -> None:
    offer = {"@context": "https://schema.org", "@type": "Product", "name": "Aspirador X9",
             "offers": {"@type": "Offer", "price": "249.99", "priceCurrency": "EUR",
                        "priceValidUntil": "2020-01-31"}}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(offer)}</script>'
    body = (
        "<h1>Aspirador X9</h1>"
        '<div class="precos"><div>PVP: <span>249,99€</span></div>'
        '<div class="valor">199,99€</div></div>'
    )
    assert listing_price(body, "pt", head) == Decimal("199.99")


def test_a_product_named_with_pvp_letters_keeps_its_price() -> None:
    body = "<h1>Cable PVPX-2</h1><div class='price'><span>12,50 €</span></div>"
    assert listing_price(body, "es") == Decimal("12.50")

"""JSON-LD listing several variants' offers at different prices: its first offer is one size,
not necessarily the one the page shows chosen, so the price printed beside the title wins; one
offer, or several at one price, keeps structured data's say."""

from __future__ import annotations

import json
from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(offers: list[tuple[str, str]], body: str) -> Decimal | None:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Body Lotion",
        "offers": [
            {"@type": "Offer", "name": n, "price": p, "priceCurrency": "EUR"} for n, p in offers
        ],
    }
    html = (
        f'<html lang="fr"><head><script type="application/ld+json">{json.dumps(data)}</script>'
        f"</head><body><main><h1>Body Lotion</h1>{body}</main></body></html>"
    )
    found = extract_listing(html, "https://beaute.example.fr/p/12")
    return Decimal(found.price) if found.price else None


SWATCHES = (
    '<div class="sizes"><button>200 ml · 24,00 €</button>'
    '<button class="selected">400 ml · 39,00 €</button></div>'
)


def test_the_chosen_variants_printed_price_beats_the_first_offer() -> None:
    body = SWATCHES + '<div class="product-price"><span class="sale">35,10 €</span></div>'
    assert price_of([("200 ml", "24.00"), ("400 ml", "39.00")], body) == Decimal("35.10")


def test_one_offer_printed_somewhere_on_the_page_keeps_structured_price() -> None:
    body = (
        '<div class="product-price"><span>19,90 €</span></div>'
        '<p class="shipping">Livraison offerte dès 24,00 €</p>'
    )
    assert price_of([("200 ml", "24.00")], body) == Decimal(24)


def test_several_offers_at_one_price_keep_structured_price() -> None:
    body = '<div class="product-price"><span>24,00 €</span></div><p>Offre: 19,90 €</p>'
    assert price_of([("200 ml", "24.00"), ("Coffret", "24.00")], body) == Decimal(24)

"""A JSON-LD AggregateOffer whose range ('lowPrice') comes with one offer of its own, priced on
its own (the size chosen): that offer's price is the page's, not the range's low end; with
several inner offers (sellers' list) the range stays as before."""

from __future__ import annotations

import json

from crawler.extraction import extract_listing


def price_of(offers: dict[str, object]) -> str | None:
    data = {"@context": "https://schema.org", "@type": "Product", "name": "Trail runner",
            "offers": offers}  # fmt: skip
    html = (
        '<html lang="en"><head><title>Shop</title><script type="application/ld+json">'
        f"{json.dumps(data)}</script></head><body><div>Loading</div></body></html>"
    )
    return extract_listing(html, "https://shop.example.com/p/trail").price


def test_the_one_inner_offer_beats_the_aggregate_low_price() -> None:
    offers = {"@type": "AggregateOffer", "lowPrice": 60, "highPrice": 240, "offerCount": 20,
              "priceCurrency": "USD", "offers": [{"@type": "Offer", "price": 115}]}  # fmt: skip
    assert price_of(offers) == "115.00"


def test_several_inner_offers_leave_the_low_price() -> None:
    # negative: a list of several sellers' offers names no one of them as this page's
    inner = [{"@type": "Offer", "price": 60}, {"@type": "Offer", "price": 240}]
    offers = {"@type": "AggregateOffer", "lowPrice": 60, "highPrice": 240,
              "priceCurrency": "USD", "offers": inner}  # fmt: skip
    assert price_of(offers) == "60.00"

"""A price printed before VAT ('bez DPH', 'excl. VAT', 'ohne MwSt.') is a business buyer's figure:
structured data or analytics stating it give way to the VAT-inclusive price the page prints."""

from __future__ import annotations

import json
from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str, head: str = "") -> Decimal:
    html = f'<html lang="{lang}"><head><title>Shop</title>{head}</head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://shop.example.com/p/7").price or "0")


def test_a_structured_price_before_vat_gives_way_to_the_price_with_vat() -> None:
    offer = {"@context": "https://schema.org", "@type": "Product", "name": "Kávovar Brio",
             "offers": {"@type": "Offer", "price": "2478.51", "priceCurrency": "CZK"}}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(offer)}</script>'
    body = (
        "<h1>Kávovar Brio</h1>"
        '<div class="price-box"><span class="price-main">2 999 Kč</span>'
        '<span class="price-net">2 478,51 Kč bez DPH</span></div>'
    )
    assert listing_price(body, "cs", head) == Decimal("2999")


def test_an_excl_vat_line_printed_first_is_not_the_price() -> None:
    body = (
        "<h1>Desk lamp</h1>"
        '<div class="prices"><span class="price">£41.66 excl. VAT</span>'
        '<span class="price">£49.99</span></div>'
    )
    assert listing_price(body, "en") == Decimal("49.99")


def test_a_price_labelled_with_vat_stays_the_price() -> None:
    body = (
        "<h1>Wasserkocher</h1>"
        '<div class="price"><span>29,99 €</span> <small>inkl. MwSt.</small></div>'
    )
    assert listing_price(body, "de") == Decimal("29.99")

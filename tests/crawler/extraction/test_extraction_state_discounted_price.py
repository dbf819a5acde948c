"""Page state keeping a 'salePrice' and, beside it, the 'discountedSalePrice' left after the
shop's discounts: the discounted one is what the buyer pays."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(script: str) -> Decimal:
    html = (
        '<html lang="ko"><head><title>Shop</title></head><body><div>Loading</div>'
        f"<script>{script}</script></body></html>"
    )
    found = extract_listing(html, "https://shop.example.kr/products/99")
    return Decimal(found.price or "0")


def test_a_discounted_sale_price_beats_the_sale_price_beside_it() -> None:
    script = (
        'window.__STATE__={"product":{"name":"무선 마우스","currency":"KRW",'
        '"salePrice":42000,"discountedSalePrice":29900}};'
    )
    assert price_of(script) == Decimal("29900")


def test_a_final_price_beats_an_offer_price_beside_it() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Desk fan","currency":"EUR",'
        '"offerPrice":"49.00","finalPrice":"44.00"}};'
    )
    assert price_of(script) == Decimal("44.00")


def test_a_deeper_discounted_price_does_not_beat_the_product_price() -> None:
    # negative: a bundle's discounted price nested further down is not the item's
    script = (
        'window.__STATE__={"product":{"name":"Desk fan","currency":"EUR","salePrice":"49.00",'
        '"bundle":{"items":{"discountedPrice":"80.00"}}}};'
    )
    assert price_of(script) == Decimal("49.00")

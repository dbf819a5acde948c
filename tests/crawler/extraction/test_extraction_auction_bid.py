"""On an auction listing the current bid is no price a buyer can pay now; the Buy-Now price is."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str) -> Decimal:
    html = f'<html lang="{lang}"><head><title>Licitații</title></head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://auctions.example.ro/a/55").price or "0")


def test_the_buy_now_price_beats_the_current_bid_printed_first() -> None:
    body = (
        "<h1>Bicicletă de oraș 28</h1>"
        '<div class="bid"><div class="label">Licitație curentă</div>'
        '<div class="amount"><span class="val">640,00 lei</span> <span>(4 oferte)</span>'
        "</div></div>"
        '<div class="buy"><div class="label">Cumpără acum</div>'
        '<div class="amount-now"><span class="price">900,00 lei</span></div></div>'
    )
    assert listing_price(body, "ro") == Decimal("900.00")


def test_a_bid_in_italian_gives_way_to_the_buy_now_price() -> None:
    body = (
        "<h1>Orologio da polso</h1>"
        "<div><p>Offerta attuale</p><p class='p'><b>45,00 €</b></p></div>"
        "<div><p>Compralo subito</p><p class='p'><b>80,00 €</b></p></div>"
    )
    assert listing_price(body, "it") == Decimal("80.00")


def test_a_fixed_price_listing_without_bids_keeps_its_price() -> None:
    body = "<h1>Bicicletă</h1><div class='price'><span>900,00 lei</span></div>"
    assert listing_price(body, "ro") == Decimal("900.00")

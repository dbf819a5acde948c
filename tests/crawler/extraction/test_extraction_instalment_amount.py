"""An amount printed right after instalment words ('or 4 interest-free payments of <b>$9.50</b>',
'12 cuotas sin interés de <b>$49.166</b>') is one instalment, never the price; the price that the
instalments follow stays the price."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str = "en") -> str | None:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/12").price


def test_an_instalment_is_not_the_price_where_the_page_prints_a_range() -> None:
    body = (
        "<h1>Insulated Bottle</h1>"
        '<div class="price-area"><p class="price-range">$30.00 - $45.00</p>'
        '<p class="bnpl">or 4 interest-free payments of <b>$7.50</b> with a partner</p></div>'
    )
    assert listing_price(body) != "7.50"  # a range alone names no one price


def test_a_spanish_instalment_after_a_member_price_is_not_the_price() -> None:
    body = (
        "<h1>Notebook 14</h1>"
        '<div class="precios"><p><span class="precio">$499.990</span> precio socio</p>'
        '<p class="cuotas">Hasta 12 cuotas sin interés de <b>$41.666</b></p>'
        '<p><span class="precio">$529.990</span></p></div>'
    )
    assert listing_price(body, "es-CL") == "529990"


def test_the_price_its_instalments_follow_stays_the_price() -> None:
    body = (
        "<h1>Espresso Machine</h1>"
        '<div class="price"><span class="amount">$899.00</span> or 4 payments of $224.75</div>'
    )
    assert listing_price(body) == "899.00"

"""A discount ratio styled like a price ('<b>79</b>折': pay 79 %, '<b>20</b>%') is no price, and
'定價'/'定价' (the list price in Chinese) labels a list price: the price after them is the price."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str = "zh-Hant-TW") -> Decimal:
    html = f'<html lang="{lang}"><head><title>書店</title></head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://books.example.tw/p/88").price or "0")


def test_a_ratio_before_the_discounted_price_is_not_the_price() -> None:
    body = (
        "<h1>山城筆記</h1><ul>"
        "<li>定價：<em>500</em>元</li>"
        '<li>優惠價：<strong class="price"><b>85</b></strong>折'
        '<strong class="price"><b>425</b></strong>元</li></ul>'
    )
    assert listing_price(body) == Decimal("425")


def test_a_percentage_in_its_own_element_is_not_the_price() -> None:
    body = (
        "<h1>Desk fan</h1>"
        '<div class="price-box"><span class="price-off">20</span><span>%</span>'
        '<span class="price">$36.00</span></div>'
    )
    assert listing_price(body, "en") == Decimal("36.00")


def test_a_price_followed_by_its_currency_word_is_still_the_price() -> None:
    body = '<h1>山城筆記</h1><p>售價：<strong class="price"><b>425</b></strong>元</p>'
    assert listing_price(body) == Decimal("425")

"""A price printed bare takes the one currency every other amount on the page is printed in,
and only unambiguous, agreeing evidence counts (crawler/extraction/currency.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.currency import one_printed_currency

URL = "https://www.bouwshop.example/p/tegels"


def currency(body: str, lang: str = "nl") -> str | None:
    html = f'<html lang="{lang}"><body><h1>Vloertegel</h1>{body}</body></html>'
    return extract_listing(html, URL).currency


BARE = '<div class="price-main"><span class="price-value">21,49</span></div>'


def test_a_bare_price_takes_the_currency_of_the_pages_other_amounts() -> None:
    body = f"{BARE}<p>€ 9,67 per m²</p><p>Bezorgkosten 29,95 €</p>"
    assert currency(body) == "EUR"


def test_two_currencies_or_a_shared_sign_settle_nothing() -> None:
    assert currency(f"{BARE}<p>€ 9,67 per m²</p><p>CHF 29.95 in Zwitserland</p>") is None
    assert currency(f"{BARE}<p>$ 9.67 per sq ft</p><p>Shipping $29.95</p>") is None


def test_one_signed_amount_or_words_in_capitals_settle_nothing() -> None:
    assert currency(f"{BARE}<p>Bezorgkosten € 29,95</p>") is None
    assert one_printed_currency("TOP 10 tegels · USB 3 · € 4,99 · € 2,50") == "EUR"
    assert one_printed_currency("TOP 10 · TOP 5") is None

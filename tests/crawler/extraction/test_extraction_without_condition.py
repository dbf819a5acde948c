"""A price labelled with a payment service's wallet ('с Яндекс Пэй') is conditional, while one
labelled 'without' that condition ('без … Пэй', 'ohne Karte') is the price everyone pays."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled


def price_of(body: str, lang: str) -> Decimal:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://shop.example.com/p/1").price or "0")


def test_a_wallet_price_before_the_price_without_it_is_not_the_price() -> None:
    body = (
        "<h1>Чайник электрический</h1>"
        '<div class="price-current"><span>с Мир Пэй</span><h3>2 490 ₽</h3></div>'
        '<div class="price-plain"><span>без Мир Пэй</span> <span>2 690 ₽</span></div>'
    )
    assert price_of(body, "ru") == Decimal("2690")


def test_the_card_free_price_stays_the_price_in_german() -> None:
    body = (
        "<h1>Wasserkocher</h1>"
        '<div class="price"><span>mit Karte</span> <b>24,99 €</b></div>'
        '<div class="price"><span>ohne Karte</span> <b>29,99 €</b></div>'
    )
    assert price_of(body, "de") == Decimal("29.99")


def test_without_far_before_a_condition_word_does_not_cancel_it() -> None:
    lexicon = bundled()
    assert lexicon.names_condition("sans frais de port, prix carte")
    assert not lexicon.names_condition("sin tarjeta")
    assert lexicon.names_condition("с картой")

"""Prices that structured data states otherwise than the page prints them: page state keeping
amounts in cents (named so or not), and a currency printed alone beside an amount, which never
joins a number in another box ('4.6 ★' then 'CHF 349.–')."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def listing(head: str, body: str, url: str, lang: str) -> tuple[Decimal | None, str | None]:
    html = f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'
    found = extract_listing(html, url)
    return (Decimal(found.price) if found.price else None), found.currency


def state(payload: str) -> str:
    return f"<script>window.__INITIAL_STATE__={payload};</script>"


def test_state_amount_equal_to_the_printed_price_in_cents_gives_way_to_it() -> None:
    body = (
        '<main><h1>Havermout volkoren 1 kg</h1><div class="product-price">'
        '<span class="int">2</span><span class="fractional">19</span></div></main>'
        + state(
            '{"product":{"title":"Havermout volkoren 1 kg","prices":'
            '{"price":{"currency":"EUR","amount":219}}}}'
        )
    )
    assert listing("", body, "https://super.example.nl/p/1", "nl") == (Decimal("2.19"), "EUR")


def test_state_amount_keyed_as_cents_is_divided() -> None:
    body = "<main><p>Laden...</p></main>" + state(
        '{"product":{"name":"Pindakaas 350 g","priceInCents":349,"currency":"EUR"}}'
    )
    assert listing("", body, "https://super.example.nl/p/2", "nl") == (Decimal("3.49"), "EUR")


def test_state_whole_amount_matching_a_whole_printed_price_is_kept() -> None:
    body = '<main><h1>Stofzuiger X9</h1><div class="product-price">€ 249,-</div></main>' + state(
        '{"product":{"title":"Stofzuiger X9","price":{"amount":249}}}'
    )
    assert listing("", body, "https://winkel.example.nl/p/3", "nl") == (Decimal(249), "EUR")


def test_a_swiss_dash_price_beats_stale_og_price_after_a_rating_line() -> None:
    head = (
        '<meta property="og:price:amount" content="429.00">'
        '<meta property="og:price:currency" content="CHF">'
    )
    body = (
        '<main><h1>Kaffeemaschine Barista Pro</h1><div class="rating">4.6 ★ (88 Bewertungen)</div>'
        '<div class="product-price"><span>CHF</span> <span>349.–</span>'
        "<span>statt 429.–</span></div></main>"
    )
    assert listing(head, body, "https://markt.example.ch/p/9", "de-CH") == (
        Decimal(349),
        "CHF",
    )


def test_a_rating_does_not_take_the_currency_that_opens_the_next_price_box() -> None:
    body = (
        '<main><h1>Wasserkocher 1.7 l</h1><div class="stars">4.2 ★</div>'
        '<div class="box"><span>CHF</span> <span class="amount">59.90</span></div></main>'
    )
    assert listing("", body, "https://markt.example.ch/p/10", "de-CH") == (
        Decimal("59.90"),
        "CHF",
    )

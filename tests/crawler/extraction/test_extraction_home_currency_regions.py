"""A price printed bare, where no other amount settles the currency, is in the currency of the
page's country: Singapore, New Zealand, Hong Kong, Taiwan, Chile and others join the countries
already known; a generic domain ('.co' used as 'company', '.com') names no country."""

from __future__ import annotations

from crawler.extraction import extract_listing

BARE = '<h1>Desk Lamp</h1><div class="price-main"><span class="price-value">129.00</span></div>'


def currency(url: str, lang: str = "en") -> str | None:
    html = f'<html lang="{lang}"><body>{BARE}</body></html>'
    return extract_listing(html, url).currency


def test_a_bare_price_on_a_singapore_page_is_in_singapore_dollars() -> None:
    assert currency("https://www.lamps.example.sg/desk-lamp") == "SGD"


def test_the_pages_language_region_names_the_country() -> None:
    assert currency("https://www.lamps.example.com/desk-lamp", "en-NZ") == "NZD"
    assert currency("https://www.lamps.example.com/desk-lamp", "zh-TW") == "TWD"


def test_a_generic_domain_names_no_country() -> None:
    assert currency("https://www.lamps.example.co/desk-lamp") is None
    assert currency("https://www.lamps.example.com/desk-lamp") is None

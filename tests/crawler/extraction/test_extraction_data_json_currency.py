"""A shop on a generic domain prints a bare '$': the currency its data-attribute JSON states
('data-item='{"currency":"AUD"}'') says which dollar, over the US dollar guessed from '.com';
a stated code the printed sign rules out ('€'), or two stated codes, settle nothing."""

from __future__ import annotations

from crawler.extraction import extract_listing


def currency(price: str, data: str) -> str | None:
    html = (
        '<html lang="en"><body><h1>Cordless Drill 18V</h1>'
        f"<div class='product' data-item='{data}'><div class='price'>{price}</div></div>"
        "</body></html>"
    )
    return extract_listing(html, "https://www.tools.example.com/p/drill-18v").currency


def test_a_dollar_price_takes_the_dollar_its_data_json_states() -> None:
    assert currency("$149.99", '{"sku":"D18","price":149.99,"currency":"AUD"}') == "AUD"


def test_a_dollar_price_without_data_json_stays_us_dollars() -> None:
    assert currency("$149.99", '{"sku":"D18","price":149.99}') == "USD"


def test_a_euro_price_is_not_overruled_by_a_stated_dollar() -> None:
    assert currency("€ 149,99", '{"sku":"D18","currency":"CAD"}') == "EUR"


def test_two_stated_codes_settle_nothing() -> None:
    data = '{"currency":"CAD","alt":{"currencyCode":"USD"}}'
    assert currency("$149.99", data) == "USD"

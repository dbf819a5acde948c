"""A bare data price ('<span data-price-amount="899">') is in the currency its own element prints,
the shared sign read by the page's country ('$' on a .sg page is the Singapore dollar)."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_currency(body: str, url: str, lang: str = "en") -> str | None:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, url).currency


def test_a_data_price_takes_the_dollar_its_element_prints_on_a_singapore_page() -> None:
    body = (
        "<h1>Wireless Earbuds Pro</h1>"
        '<div class="price-box"><span class="label">Price</span>'
        '<span data-price-amount="159"><span class="price">$159.00</span></span></div>'
    )
    assert listing_currency(body, "https://www.gadgets.example.sg/earbuds-pro.html") == "SGD"


def test_a_data_price_takes_an_unambiguous_sign_its_element_prints() -> None:
    body = (
        "<h1>Trail Shoe</h1>"
        '<div class="price-box"><span data-price="89.95"><span>NZ$89.95</span></span></div>'
    )
    assert listing_currency(body, "https://shop.example.com/trail-shoe") == "NZD"


def test_a_data_price_box_of_words_names_no_currency() -> None:
    # a box carrying the data price but printing a card's words ('ALL NEW ...') is not read
    body = (
        "<h1>Desk Fan</h1>"
        '<div data-price="49">ALL NEW for this season, quiet and strong: 49 in stock</div>'
    )
    assert listing_currency(body, "https://shop.example.com/desk-fan") is None

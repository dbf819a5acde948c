"""A box that prints only a regular price and a member price ('Pris 399,90 kr', 'Klubbpris
349,90 kr') gives the regular one as the price, over a price printed after the box outside it (a
delivery table's fee, an accessory's card)."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str = "sv") -> str | None:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/8").price


_PAIR = (
    '<div class="pricing">'
    '<div class="pricing__regular"><span class="lbl">Pris</span> '
    '<span class="pricing__value">1 299 kr</span></div>'
    '<div class="pricing__member"><span class="lbl">Medlemspris</span> '
    '<span class="pricing__value">1 149 kr</span></div></div>'
)


def test_the_regular_price_beside_a_member_price_beats_a_later_delivery_fee() -> None:
    body = (
        f"<h1>Robotdammsugare</h1>{_PAIR}<table><tr><td>Hemleverans</td><td>79 kr</td></tr></table>"
    )
    assert listing_price(body) == "1299.00"


def test_a_plain_price_in_the_same_box_as_the_pair_stays_the_price() -> None:
    # a sale price printed in the pair's own box is what everyone pays now
    body = (
        "<h1>Robotdammsugare</h1>"
        '<div class="pricing">'
        '<div class="pricing__regular"><span class="pricing__value">1 299 kr</span></div>'
        '<div class="pricing__member"><span class="lbl">Medlemspris</span> '
        '<span class="pricing__value">1 149 kr</span></div>'
        '<div class="pricing__now"><span class="pricing__value">1 199 kr</span></div></div>'
    )
    assert listing_price(body) == "1199.00"


def test_a_plain_price_printed_before_a_member_box_stays_the_price() -> None:
    body = (
        "<h1>Robotdammsugare</h1>"
        '<div class="buy"><span class="amount">1 249 kr</span></div>'
        f"{_PAIR}"
    )
    assert listing_price(body) == "1249.00"

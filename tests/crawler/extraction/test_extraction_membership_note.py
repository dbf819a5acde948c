"""A price whose small box notes that it needs a membership ('Kræver gratis medlemskab',
'Requires membership') is a member price, whatever the club is called ('Club Shopname-pris'), so
the regular price printed beside it is the price."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str = "da") -> str | None:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.dk/p/42").price


def test_a_price_noted_as_needing_membership_gives_way_to_the_regular_one() -> None:
    body = (
        "<h1>Ansigtscreme 50 ml</h1>"
        '<div class="prices">'
        '<div class="prices__club"><span class="label">Club Nordlys-pris</span>'
        '<span class="amount">179,10 kr.</span><small>Kræver gratis medlemskab</small></div>'
        '<div class="prices__regular"><span class="label">Pris</span>'
        '<span class="amount">199,00 kr.</span></div></div>'
    )
    assert listing_price(body) == "199.00"


def test_requires_membership_in_english() -> None:
    body = (
        "<h1>Face cream 50 ml</h1>"
        '<div class="prices">'
        '<div class="prices__club"><span class="amount">$17.10</span>'
        "<small>Requires membership</small></div>"
        '<div class="prices__regular"><span class="amount">$19.00</span></div></div>'
    )
    assert listing_price(body, "en") == "19.00"


def test_membership_words_elsewhere_leave_the_price_alone() -> None:
    # negative: a membership offer in its own section, away from the price's box
    body = (
        "<h1>Ansigtscreme 50 ml</h1>"
        '<div class="prices"><span class="amount">199,00 kr.</span></div>'
        "<button>Læg i kurv</button>"
        "<section><h2>Fordele</h2><p>Få point på alle køb med et medlemskab.</p></section>"
    )
    assert listing_price(body) == "199.00"

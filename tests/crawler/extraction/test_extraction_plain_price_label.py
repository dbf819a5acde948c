"""The plain word for price before a colon in the price's own line ('Price: ₹249 (₹0.50 / g)',
'Preis: 12,99 €') names no kind of price, so the amount is read as the price over a member price
printed after it; a list word ('MRP:') before the amount still makes it a list price."""

from __future__ import annotations

from crawler.extraction import extract_listing


def price(body: str, lang: str = "en-IN") -> str | None:
    html = f'<html lang="{lang}"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.in/pd/1234/rice-500g/").price


def test_a_price_labelled_price_is_read_over_a_later_member_price() -> None:
    body = (
        '<h1>Basmati Rice 500 g</h1><table><tr><td>MRP: <span class="strike">₹280</span></td></tr>'
        '<tr><td class="pricing-row">Price: ₹249 <span class="small">(₹0.50 / g)</span></td></tr>'
        "</table><div>Plus members: <b>₹235</b> + free delivery</div>"
    )
    assert price(body) == "249.00"


def test_a_german_preis_label() -> None:
    body = "<h1>Reis 500 g</h1><div><span>Preis: 12,99 €</span></div><div><b>9,99 €</b></div>"
    assert price(body, "de") == "12.99"


def test_a_list_word_before_the_amount_still_marks_a_list_price() -> None:
    body = "<h1>Basmati Rice 500 g</h1><div><span>MRP: ₹280</span></div><div><b>₹249</b></div>"
    assert price(body) == "249.00"

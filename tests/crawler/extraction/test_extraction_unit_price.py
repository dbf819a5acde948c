"""A price per unit of weight, volume or time ('17,98 €/kg', '₹0.38 / g', '$3.99/lb', 'R$ 49/mês')
is never the item's price, even where it is the only amount in a box beside a conditional price;
an ordinary price printed alone stays money."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.price_text import only_money


def test_per_unit_amounts_are_not_money() -> None:
    for text in ("17,98 €/kg", "₹0.38 / g", "$3.99/lb", "2,50 € / 100 g", "R$ 49/mês", "9 €/m²"):
        assert not only_money(text), text


def test_a_price_per_piece_is_the_items_own_price() -> None:
    for text in ("29,99 €/Stück", "1,99 €/St.", "$3.98/ea", "$12.00 / each", "4,99 zł/szt."):
        assert only_money(text), text
    for text in ("99 ₽/шт", "2,50 €/ud.", "¥398/個", "$5.49/pk"):
        assert only_money(text), text
    assert not only_money("19,90 € / 100 Stück")  # per hundred pieces: a unit price again


def test_a_piece_priced_page_keeps_its_price() -> None:
    html = (
        '<html lang="de"><head><title>Baumarkt</title></head><body><h1>Schraube M8 x 40</h1>'
        '<div class="price"><span>0,39 €/Stück</span></div></body></html>'
    )
    assert extract_listing(html, "https://shop.example.de/p/schraube").price == "0.39"


def test_ordinary_prices_stay_money() -> None:
    for text in ("17,98 €", "$3.99", "R$ 49,00", "1 299 ₽"):
        assert only_money(text), text


def test_the_unit_price_in_a_card_box_is_not_taken_for_the_price() -> None:
    html = (
        '<html lang="de"><head><title>Shop</title></head><body><h1>Kaffee gemahlen 500 g</h1>'
        '<div class="prices"><div class="price price--regular"><span>7,49 €</span></div>'
        '<div class="price price--member"><span class="lbl">Mit Kundenkarte</span>'
        '<span>5,99 €</span><span class="per">11,98 €/kg</span></div></div></body></html>'
    )
    assert extract_listing(html, "https://shop.example.de/p/kaffee").price == "7.49"

"""A price per unit of weight, volume or time ('17,98 €/kg', '₹0.38 / g', '$3.99/lb', 'R$ 49/mês')
is never the item's price, even where it is the only amount in a box beside a conditional price;
an ordinary price printed alone stays money."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.price_text import only_money


def test_per_unit_amounts_are_not_money() -> None:
    for text in ("17,98 €/kg", "₹0.38 / g", "$3.99/lb", "2,50 € / 100 g", "R$ 49/mês", "9 €/m²"):
        assert not only_money(text), text


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

"""A price for paying cash or by bank transfer ('Precio efectivo / transferencia') is one payment
method's price: the price every method gets, printed beside it, is the price, over structured
data that states the cash one."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def listing_price(body: str, lang: str, head: str = "") -> Decimal:
    html = f'<html lang="{lang}"><head><title>Shop</title>{head}</head><body>{body}</body></html>'
    return Decimal(extract_listing(html, "https://tienda.example.com/p/42").price or "0")


def test_a_cash_or_transfer_price_gives_way_to_the_price_every_method_gets() -> None:
    head = '<meta property="og:price:amount" content="189990">'
    body = (
        "<h1>Monitor Curvo 27</h1>"
        '<div class="precios">'
        '<div class="p1"><span class="monto">$189.990</span>'
        '<span class="etiqueta">Pago en efectivo o transferencia</span></div>'
        '<div class="p2"><span class="monto">$204.990</span>'
        '<span class="etiqueta">Precio con cualquier medio de pago</span></div></div>'
    )
    assert listing_price(body, "es-CL", head) == Decimal("204990")


def test_a_bank_transfer_price_printed_first_is_not_the_price() -> None:
    body = (
        "<h1>Office chair</h1>"
        '<div class="prices"><p><span class="price">£179.00</span> by bank transfer</p>'
        '<p><span class="price">£189.00</span></p></div>'
    )
    assert listing_price(body, "en") == Decimal("189")


def test_a_lone_price_beside_a_payment_methods_list_stays_the_price() -> None:
    body = (
        "<h1>Parlante Bluetooth</h1>"
        '<div class="precio"><span class="monto">$39.990</span></div>'
        '<p class="medios">Aceptamos efectivo, débito y crédito</p>'
    )
    assert listing_price(body, "es") == Decimal("39990")

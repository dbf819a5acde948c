"""A sale or offer label set after its price ('$ 4.990 <span>Precio Oferta</span>') marks the
price the shop sells at now, over a price listed before it under another label (a store card's),
and over page state that holds that other price."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(body: str, script: str = "") -> Decimal:
    html = (
        '<html lang="es-CL"><head><title>Tienda</title></head>'
        f"<body>{body}<script>{script}</script></body></html>"
    )
    return Decimal(extract_listing(html, "https://tienda.example.cl/p/1").price or "0")


PRICES = (
    "<h1>Palta Hass 1 kg</h1><ul>"
    '<li class="price-a"><span class="copy">$ 3.790</span> <span class="label">Precio Aurora</span>'
    "</li>"
    '<li class="price-b"><span class="copy">$ 4.290</span> <span class="label">{label}</span></li>'
    '<li class="price-c"><s class="copy">$ 5.990</s> <span class="label">Precio Normal</span></li>'
    "</ul>"
)


def test_the_price_labelled_as_the_offer_after_it_is_the_price() -> None:
    assert price_of(PRICES.format(label="Precio Oferta")) == Decimal("4290")


def test_the_internet_price_labelled_after_it_is_the_price() -> None:
    assert price_of(PRICES.format(label="Precio Internet")) == Decimal("4290")


def test_the_offer_label_outranks_state_holding_the_other_price() -> None:
    script = 'window.__STATE__={"product":{"name":"Palta Hass 1 kg","price":"3.790"}};'
    assert price_of(PRICES.format(label="Precio Oferta"), script) == Decimal("4290")


def test_a_label_after_that_is_no_sale_word_leaves_the_first_price() -> None:
    assert price_of(PRICES.format(label="Envío gratis")) == Decimal("3790")

"""A price box that prints its amount as its own text with a short label after it
('$429.990 <small>Precio Internet</small>') (crawler/extraction/visible_price.py)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://tienda.example.cl/p/lavadora-8kg"


def price(body: str, head: str = "") -> str | None:
    html = f'<html lang="es-CL"><head>{head}</head><body><h1>Lavadora 8 kg</h1>{body}</body></html>'
    return extract_listing(html, URL).price


def test_an_amount_labelled_after_it_is_read_and_a_card_label_makes_it_conditional() -> None:
    page = (
        '<div class="prices"><div class="price-card">$259.990 <small>Precio con tarjeta</small>'
        '</div><div class="price-web">$289.990 <small>Precio web</small></div>'
        '<div class="price-normal"><s>$329.990</s> <small>Precio normal</small></div></div>'
    )
    assert price(page) == "289990"


def test_the_labelled_amount_beats_a_structured_range_low_end() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Lavadora 8 kg", '
        '"offers": {"@type": "AggregateOffer", "lowPrice": "259990", "highPrice": "329990", '
        '"priceCurrency": "CLP"}}</script>'
    )
    page = (
        '<div class="prices"><div class="price-card">$259.990 <small>Precio con tarjeta</small>'
        '</div><div class="price-web">$289.990 <small>Precio web</small></div></div>'
    )
    assert price(page, ld) == "289990"


def test_a_label_holding_numbers_is_no_label() -> None:
    # '12 cuotas de $24.999' is a second amount, not a label: the box is not one price.
    page = '<div class="price-box">$299.990 <small>12 cuotas de $24.999</small></div>'
    assert price(page) != "24999"

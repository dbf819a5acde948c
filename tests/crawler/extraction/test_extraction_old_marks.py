"""What marks a printed price as a former one, and what does not (price_marks.py): a JSON blob in
a data attribute is data, not a class mark; a box marked 'original' that strikes through a price
of its own marks that one, not the current price beside it."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def listing(body: str, url: str, lang: str) -> tuple[Decimal | None, str | None]:
    html = f'<html lang="{lang}"><head></head><body>{body}</body></html>'
    found = extract_listing(html, url)
    return (Decimal(found.price) if found.price else None), found.currency


def test_a_json_data_attribute_naming_a_before_price_does_not_mark_the_price_old() -> None:
    body = (
        '<main class="pdp" data-product=\'{"id": "55120", "price": {"before": 5490}}\'>'
        '<h1>Stekepanne 28 cm</h1><div class="pdp-price">'
        '<span class="pdp-price__now">4 490,-</span>'
        '<span class="pdp-price__before">Før 5 490,-</span></div></main>'
    )
    assert listing(body, "https://kjokken.example.no/p/55120", "nb") == (Decimal(4490), "NOK")


def test_a_before_price_class_still_marks_its_own_price_old() -> None:
    body = (
        '<main><h1>Stekepanne 28 cm</h1><div class="pdp-price">'
        '<span class="price-before">5 490 kr</span><span class="price-now">4 490 kr</span>'
        "</div></main>"
    )
    assert listing(body, "https://kjokken.example.no/p/55120", "nb")[0] == Decimal(4490)


def test_a_box_marked_original_that_strikes_its_own_old_price_keeps_the_current_one() -> None:
    body = (
        '<main><h1>Falda midi plisada</h1><div class="intro-price"><div class="from original">'
        '<span class="text-red">19,99€</span> <del>29,99€</del> <span>-33%</span></div></div>'
        "</main><section><h2>También te puede gustar</h2>"
        "<article><h3>Blusa</h3><b>6,99€</b></article></section>"
    )
    assert listing(body, "https://moda.example.es/p/falda", "es")[0] == Decimal("19.99")


def test_a_box_marked_original_holding_one_price_still_marks_it_old() -> None:
    body = (
        '<main><h1>Falda midi plisada</h1><div class="price-original"><span>29,99€</span></div>'
        '<div class="price-now"><span>19,99€</span></div></main>'
    )
    assert listing(body, "https://moda.example.es/p/falda", "es")[0] == Decimal("19.99")

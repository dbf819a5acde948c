"""What marks a printed price as a former one, and what does not (price_marks.py): a JSON blob in
a data attribute is data, not a class mark."""

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

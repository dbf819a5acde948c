"""Item-code labels in Estonian, Lithuanian and Latvian ('Tootekood', 'Prekės kodas', 'Preces
kods') and the Italian abbreviation 'Cod.' name the shop's own number; a discount code or a
manufacturer's code under a similar label does not."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing


def sku(body: str, lang: str) -> str | None:
    html = f'<html lang="{lang}"><body><main><h1>Toode</h1>{body}</main></body></html>'
    return extract_listing(html, "https://shop.example.eu/p/robot").sku


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("et", "<p>Tootekood: <span>5512093</span></p>"),
        ("lt", "<p>Prekės kodas: 5512093</p>"),
        ("lv", "<p>Preces kods: 5512093</p>"),
        ("it", '<p class="code">Cod. 5512093</p>'),
    ],
)
def test_item_code_labels(lang: str, line: str) -> None:
    assert sku(line, lang) == "5512093"


def test_a_discount_code_is_not_the_sku() -> None:
    assert sku("<p>Codice sconto: NATALE10</p>", "it") is None

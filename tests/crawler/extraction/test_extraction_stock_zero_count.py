"""A stock count of zero ('0 en stock', '0 in stock') says out of stock, where the '# in stock'
wording alone would read as in stock; it outranks a stale structured 'InStock' beside a
disabled buy button. A count of 10 or 20 is still in stock."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled


@pytest.mark.parametrize(
    ("line", "state"),
    [
        ("Retrait : Magasin Centre-ville — 0 en stock", "OutOfStock"),
        ("0 in stock", "OutOfStock"),
        ("0 op voorraad", "OutOfStock"),
        ("10 in stock", "InStock"),
        ("20 en stock", "InStock"),
    ],
)
def test_zero_count_lines(line: str, state: str) -> None:
    assert bundled().stock_state(line) == state


def test_zero_count_beside_disabled_button_beats_structured_in_stock() -> None:
    html = (
        '<html lang="fr"><head><script type="application/ld+json">{"@type":"Product",'
        '"name":"Veste","offers":{"price":"99","priceCurrency":"CAD",'
        '"availability":"https://schema.org/InStock"}}</script></head><body><main>'
        '<div class="pdp"><h1>Veste isolée</h1><div class="price">99,00 $</div>'
        "<div class='ship'><p>Livraison : —</p><p>Retrait : Magasin Centre — 0 en stock</p></div>"
        '<button class="btn" aria-disabled="true">Ajouter au panier</button></div>'
        "</main></body></html>"
    )
    assert extract_listing(html, "https://shop.example.ca/p/3").availability == "OutOfStock"

"""Stock wording in Lithuanian, Latvian and Estonian ('Šiuo metu neturime', 'Nav noliktavā',
'Laos: viimased 3 tk'), and a classified ad's own 'advertentie is verkocht' notice, outrank a
stale structured state; 'verkocht door' (sold by) names a seller and is no stock word."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled

LD_IN = (
    '<script type="application/ld+json">{"@type":"Product","name":"Drill",'
    '"offers":{"price":"99","priceCurrency":"EUR",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


@pytest.mark.parametrize(
    ("line", "state"),
    [
        ("Šiuo metu neturime", "OutOfStock"),
        ("Nav noliktavā", "OutOfStock"),
        ("Pole laos", "OutOfStock"),
        ("Laos: viimased 3 tk", "LimitedAvailability"),
        ("Liko 2 vnt.", "LimitedAvailability"),
        ("Laos", "InStock"),
        ("Yra sandėlyje", "InStock"),
        ("Ir noliktavā", "InStock"),
        ("Izpārdots", "SoldOut"),
    ],
)
def test_baltic_stock_lines(line: str, state: str) -> None:
    assert bundled().stock_state(line) == state


def test_lithuanian_out_of_stock_line_beats_structured_in_stock() -> None:
    html = (
        f'<html lang="lt"><head>{LD_IN}</head><body><main><div class="product">'
        '<h1>Gręžtuvas 18 V</h1><div class="price">99 €</div>'
        '<p class="availability">Šiuo metu neturime</p></div></main></body></html>'
    )
    assert extract_listing(html, "https://shop.example.lt/p/1").availability == "OutOfStock"


def test_dutch_ad_sold_notice_is_sold_out() -> None:
    html = (
        '<html lang="nl"><body><main><div class="listing"><h1>Damesfiets 53 cm</h1>'
        "<p>Deze advertentie is verkocht. De verkoper heeft het gemarkeerd op 2 dec.</p>"
        "<h2>€ 120</h2></div></main></body></html>"
    )
    assert extract_listing(html, "https://ads.example.nl/a/9").availability == "SoldOut"


def test_sold_by_seller_is_not_a_stock_word() -> None:
    assert bundled().stock_state("Verkocht en verzonden door Fietshuis") is None

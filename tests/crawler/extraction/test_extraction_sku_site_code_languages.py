"""A code named after the site is the site's own number in any language's word for 'code'
('FINN-kode', 'Allegro kod', 'Tori-koodi'), as '<site>-Code' is; a code named after another
name (a brand's) or a word only starting with 'kode' is not."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing

URL = "https://www.finn.no/recommerce/forsale/item/38911"


def sku(row: str, url: str = URL) -> str | None:
    html = (
        '<html><body><main><div class="ad"><h1>Tripp Trapp stol</h1>'
        '<div class="price">4 500 kr</div></div>'
        f"<table><tr>{row}</tr><tr><td>Sist endret</td><td>6. des. 2026</td></tr></table>"
        "</main></body></html>"
    )
    return extract_listing(html, url).sku


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("FINN-kode", URL),
        ("Shopa kod", "https://shopa.pl/oferta/1"),
        ("Tori-koodi", "https://www.tori.fi/vi/1"),
        ("Osta kood", "https://osta.ee/toode/1"),
    ],
)
def test_site_named_code_in_other_languages_is_the_sku(label: str, url: str) -> None:
    assert sku(f"<td>{label}</td><td>389114562</td>", url) == "389114562"


def test_a_code_named_after_a_brand_is_not_the_sites_number() -> None:
    assert sku("<td>Stokke-kode</td><td>389114562</td>") is None


def test_a_longer_word_starting_with_kode_is_no_label() -> None:
    assert sku("<td>FINN-koder</td><td>389114562</td>") is None

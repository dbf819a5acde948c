"""Identifier labels further along a meta line, after a shop name carrying a trademark sign, and
Korean deal numbers (crawler/extraction/identifiers.py, lexicon.py, extraction.yaml)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://www.piata.example/anunt/bicicleta-oras"


def sku(body: str, url: str = URL) -> str | None:
    html = f"<html><body><main><h1>Bicicletă de oraș</h1>{body}</main></body></html>"
    return extract_listing(html, url).sku


def test_a_label_further_along_a_meta_line_reads_the_element_after_it() -> None:
    body = (
        '<div class="meta">Stare: <b>Nou</b> · Cod produs: <b>550193</b> · '
        "Vizualizări: 2.410 · Favorite: 12</div>"
    )
    assert sku(body) == "550193"


def test_a_line_without_an_identifier_label_gives_no_sku() -> None:
    body = (
        '<div class="meta">Stare: <b>Nou</b> · Vizualizări: <b>2410</b> · '
        "Favorite: <b>12</b> · Oraș: <b>Cluj-Napoca</b></div>"
    )
    assert sku(body) is None


def test_a_shop_name_with_a_trademark_sign_may_lead_the_label() -> None:
    body = (
        '<div><p class="model">Model Number: <span>WB-2040</span></p>'
        '<p class="sku">Hardwarely<sup>®</sup> SKU: <span>7730215</span></p></div>'
    )
    assert sku(body, "https://www.hardwarely.example/p/wheelbarrow") == "7730215"


def test_a_korean_deal_number_is_the_sku() -> None:
    body = '<ul class="deal-info"><li><span class="tit">딜번호</span>31200458812</li></ul>'
    assert sku(body, "https://www.deals.example/deal/view") == "31200458812"

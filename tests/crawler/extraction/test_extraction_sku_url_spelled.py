"""An unlabelled reference printed in the item's box whose leading part the URL path spells
('Navy | 4410/302/401' on '…-p04410302.html') is the shop's own number, and beats a size
variant's structured sku; a model number the heading prints, or a code the URL does not
spell, is not taken."""

from __future__ import annotations

from crawler.extraction import extract_listing

SIZES = (
    '<script type="application/ld+json">[{"@context":"https://schema.org/","@type":"Product",'
    '"name":"Coat","sku":"880012-401-2","offers":{"@type":"Offer","price":"99.00",'
    '"priceCurrency":"EUR"}},{"@context":"https://schema.org/","@type":"Product",'
    '"name":"Coat","sku":"880012-401-3","offers":{"@type":"Offer","price":"99.00",'
    '"priceCurrency":"EUR"}}]</script>'
)
URL = "https://shop.example.com/en/wool-coat-p04410302.html?v1=880012"


def sku(box: str, url: str = URL, head: str = SIZES, heading: str = "Wool coat") -> str | None:
    body = (
        f'<main><div class="info"><div class="head"><h1>{heading}</h1></div>'
        f'<div class="price">99,00 EUR</div>{box}</div></main>'
    )
    return extract_listing(f"<html><head>{head}</head><body>{body}</body></html>", url).sku


def test_a_printed_reference_the_url_spells_in_part_beats_a_size_variants_sku() -> None:
    assert sku('<p class="color">Navy | 4410/302/401</p>') == "4410/302/401"


def test_a_printed_code_the_url_does_not_spell_is_not_taken() -> None:
    assert sku('<p class="color">Navy | 7781/555/401</p>') == "880012-401-2"


def test_a_model_number_the_heading_prints_is_not_the_sku() -> None:
    url = "https://shop.example.com/p/desk-lamp-kx-200-5"
    found = sku("<p>KX-200/5 · 40 W</p>", url, "", "Desk lamp KX-200/5")
    assert found is None

"""An <h1> printing the brand as a word before the structured name ('LUMEN STUDIO Velvet Matte
Lipstick') is what the buyer reads as the title; the brand's span run into the name with no space
('Nordwind' 'Wanderschuh' as 'NordwindWanderschuh') is markup, and structured data names it."""

from __future__ import annotations

from crawler.extraction import extract_listing


def title(h1: str) -> str | None:
    head = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
        '"name":"Velvet Matte Lipstick","brand":"LUMEN STUDIO","offers":{"@type":"Offer",'
        '"price":"24.00","priceCurrency":"EUR"}}</script>'
    )
    html = f'<html lang="fr"><head>{head}</head><body><main>{h1}</main></body></html>'
    return extract_listing(html, "https://beaute.example.fr/p/88").title


def test_a_heading_with_the_brand_as_a_spaced_word_is_the_title() -> None:
    h1 = '<h1><span class="brand">LUMEN STUDIO</span> <span>Velvet Matte Lipstick</span></h1>'
    assert title(h1) == "LUMEN STUDIO Velvet Matte Lipstick"


def test_a_brand_span_run_into_the_name_leaves_the_structured_name() -> None:
    h1 = '<h1><span class="brand">LUMEN STUDIO</span><span>Velvet Matte Lipstick</span></h1>'
    assert title(h1) == "Velvet Matte Lipstick"

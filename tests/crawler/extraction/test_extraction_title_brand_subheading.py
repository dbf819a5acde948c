"""An <h1> marked as the brand right before an <h2> naming the item ('<h1 class="brandName">
ACNE STUDIOS</h1><h2>Sciarpa</h2>') is half of the name the shop gives it: both together are the
title, not the brand alone."""

from __future__ import annotations

from crawler.extraction import extract_listing


def listing_title(body: str) -> str | None:
    html = f'<html lang="it"><head><title>Shop</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/41").title


def test_a_brand_heading_and_the_subheading_after_it_are_the_title() -> None:
    body = (
        '<div class="info"><h1 class="info__brandName"><a href="/designer/acne">ACNE STUDIOS</a>'
        '</h1><h2 class="info__category">Sciarpa</h2><span class="price">€ 190,00</span></div>'
    )
    assert listing_title(body) == "ACNE STUDIOS Sciarpa"


def test_a_heading_not_marked_as_a_brand_stays_alone() -> None:
    body = (
        '<div class="info"><h1 class="info__title">Sciarpa in lana</h1>'
        '<h2 class="info__sub">Dettagli</h2></div>'
    )
    assert listing_title(body) == "Sciarpa in lana"


def test_a_brand_heading_followed_by_a_paragraph_is_not_joined() -> None:
    body = (
        '<div class="info"><h1 class="brand">ACNE STUDIOS</h1>'
        "<p>Spedizione gratuita</p><h2>Sciarpa</h2></div>"
    )
    assert listing_title(body) != "ACNE STUDIOS Sciarpa"

"""An <aside> holding the page's <h1> is the item's buy box, read for its stock line and its
labelled number; an <aside> without the heading is still a sidebar."""

from __future__ import annotations

from crawler.extraction import extract_listing

JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Wool scarf","sku":"88120-31","offers":[{"@type":"Offer","sku":"88120-31-S",'
    '"price":"40","priceCurrency":"EUR","availability":"https://schema.org/InStock"},'
    '{"@type":"Offer","sku":"88120-31-M","price":"40","priceCurrency":"EUR",'
    '"availability":"https://schema.org/InStock"}]}</script>'
)


def listing(body: str):  # type: ignore[no-untyped-def]
    html = f'<html lang="fr"><head>{JSONLD}</head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/fr/p/echarpe-laine")


def test_sold_out_line_in_an_aside_holding_the_h1_beats_stale_structured_in_stock() -> None:
    body = (
        '<main><div class="gallery"><img src="/a.jpg" alt=""></div>'
        '<aside class="detail-info"><h1>Écharpe en laine</h1><span class="price">40 €</span>'
        '<p class="detail-soldout">Épuisé dans toutes les tailles</p>'
        "<button>M'alerter du retour en stock</button>"
        "<p>Réf. 88120</p></aside></main>"
    )
    found = listing(body)
    assert found.availability == "OutOfStock"
    assert found.sku == "88120"


def test_an_aside_without_the_heading_stays_a_sidebar() -> None:
    body = (
        '<main><div class="detail"><h1>Écharpe en laine</h1><span class="price">40 €</span>'
        "<button>Ajouter au panier</button></div>"
        '<aside class="promo"><p class="stock">Épuisé</p><p>Réf. 55555</p></aside></main>'
    )
    found = listing(body)
    assert found.availability == "InStock"
    assert found.sku != "55555"

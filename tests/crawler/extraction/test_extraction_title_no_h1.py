"""With no <h1>, the page's heading is still what the buyer reads as the title: an ARIA top-level
heading ('<div role="heading" aria-level="1">') over a tab title that is only the site's name,
and an <h2> the tab title also spells, with its '[Pre-order]' tag, over a feed's bare name."""

from __future__ import annotations

from crawler.extraction import extract_listing

JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Wireless Earbuds Z3","offers":{"@type":"Offer","price":"59","priceCurrency":"USD"}}'
    "</script>"
)


def title(head: str, body: str) -> str | None:
    html = f'<html lang="en"><head>{head}</head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.com/p/z3").title


def test_an_aria_level_one_heading_beats_a_site_name_tab_title() -> None:
    body = '<div class="goods-name" role="heading" aria-level="1">Fleece Pyjama Set, Pink</div>'
    assert title("<title>ShopApp</title>", body) == "Fleece Pyjama Set, Pink"


def test_an_h2_the_tab_title_spells_keeps_its_tag_over_the_feeds_name() -> None:
    head = f"<title>[Pre-order] Wireless Earbuds Z3 - ShopApp</title>{JSONLD}"
    body = '<h2 class="name">[Pre-order] Wireless Earbuds Z3</h2><div>$59</div>'
    assert title(head, body) == "[Pre-order] Wireless Earbuds Z3"


def test_an_h2_the_tab_title_does_not_spell_is_no_title() -> None:
    head = f"<title>Wireless Earbuds Z3 - ShopApp</title>{JSONLD}"
    body = "<h2>Customer reviews</h2><div>$59</div>"
    assert title(head, body) == "Wireless Earbuds Z3"

"""The title is the product heading the buyer reads; structured names fill in where the page
has no usable one (crawler/extraction/combine.py, visible.py)."""

from __future__ import annotations

from config.profile import FieldSelectors
from crawler.extraction import extract_listing

URL = "https://shop.example/p/5"


def title(head: str, body: str, selectors: FieldSelectors | None = None) -> str | None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_listing(html, URL, selectors).title


def ld(name: str, brand: str = "Brightline") -> str:
    return (
        '<script type="application/ld+json">{"@type":"Product","name":"'
        f'{name}","brand":{{"@type":"Brand","name":"{brand}"}}}}</script>'
    )


def test_the_heading_beats_a_structured_name_that_differs() -> None:
    og = '<meta property="og:title" content="Brightline Desk Lamp 40W Black">'
    assert title(og, "<h1>مصباح مكتب برايتلاين 40 واط أسود</h1>") == (
        "مصباح مكتب برايتلاين 40 واط أسود"
    )
    assert title(ld("Aero 3"), "<h1>Настольная лампа Aero 3</h1>") == "Настольная лампа Aero 3"
    assert title(ld("Aero 3 Lamp"), "<h1>Aero 3 Lamp (LED, 40W, 3000K) Matte Black</h1>") == (
        "Aero 3 Lamp (LED, 40W, 3000K) Matte Black"
    )


def test_a_brand_only_heading_or_the_brand_run_into_the_name_is_not_the_title() -> None:
    assert title(ld("Brightline Aero 3 Desk Lamp"), "<h1>Brightline</h1>") == (
        "Brightline Aero 3 Desk Lamp"
    )
    body = '<h1><span class="b">Brightline</span><span class="n">Aero 3 Desk Lamp</span></h1>'
    assert title(ld("Aero 3 Desk Lamp"), body) == "Aero 3 Desk Lamp"


def test_a_heading_that_is_a_small_part_of_the_name_is_not_the_title() -> None:
    assert title(ld("Aero 3 Desk Lamp with Dimmer, Matte Black"), "<h1>Aero 3</h1>") == (
        "Aero 3 Desk Lamp with Dimmer, Matte Black"
    )


def test_a_profiles_title_selector_outranks_the_heading() -> None:
    body = '<h1>Promo lamp</h1><span id="n">Aero 3 Desk Lamp</span>'
    assert title(ld("Aero 3 Desk Lamp"), body, FieldSelectors(title="#n::text")) == (
        "Aero 3 Desk Lamp"
    )


def test_a_logo_or_site_name_heading_is_not_the_product_heading() -> None:
    logo = '<h1 class="logo"><a href="/">Lampworks</a></h1><h2>Aero 3 Desk Lamp</h2>'
    assert title(ld("Aero 3 Desk Lamp"), logo) == "Aero 3 Desk Lamp"
    header = "<header><h1>Spring sale on all lamps</h1></header>"
    assert title(ld("Aero 3 Desk Lamp"), header) == "Aero 3 Desk Lamp"
    site = '<meta property="og:site_name" content="Lampworks">'
    assert title(site + ld("Aero 3 Desk Lamp"), "<h1>Lampworks</h1>") == "Aero 3 Desk Lamp"

"""A structured name that is the page's heading with an author, brand or shop appended after a
spaced dash ('Title - Author') does not make the heading a fragment: the heading is the title."""

from __future__ import annotations

from crawler.extraction import extract_listing


def title_of(og_title: str, heading: str) -> str | None:
    html = (
        f'<html lang="de"><head><title>Buchladen</title>'
        f'<meta property="og:title" content="{og_title}"></head>'
        f"<body><h1>{heading}</h1><div class='price'>18,00 €</div></body></html>"
    )
    return extract_listing(html, "https://buch.example.de/b/12").title


def test_a_heading_before_the_author_appended_to_og_title_is_the_title() -> None:
    assert title_of("Das Haus am Fjord - Ingrid Vasholm", "Das Haus am Fjord") == (
        "Das Haus am Fjord"
    )


def test_a_heading_before_a_shop_name_after_a_bar_is_the_title() -> None:
    assert title_of("Gartenschere Pro 200 | Werkzeugland", "Gartenschere Pro 200") == (
        "Gartenschere Pro 200"
    )


def test_a_brand_heading_before_the_product_name_is_not_the_title() -> None:
    og = "Lumo - Kabelloser Staubsauger mit Wandhalterung"
    assert title_of(og, "Lumo") == og


def test_a_heading_that_is_a_word_of_the_name_is_still_a_fragment() -> None:
    og = "Leinenhemd Relaxed Fit, Blau"
    assert title_of(og, "Leinenhemd") == og

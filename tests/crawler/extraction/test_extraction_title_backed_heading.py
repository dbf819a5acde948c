"""A heading that a structured source names exactly (page state's 'Sneaker 'Air Max 90'') is the
title, over a longer name another source gives with brand, colour and shop added (an og:title
'NIKE Sneaker 'Air Max 90' in Weiß | Shop')."""

from __future__ import annotations

import json

from crawler.extraction import extract_listing


def listing_title(heading: str, og_title: str, state_name: str | None) -> str | None:
    head = f'<meta property="og:title" content="{og_title}">'
    body = f'<h1>{heading}</h1><span class="price">89,95 €</span>'
    if state_name is not None:
        state = {"props": {"pageProps": {"product": {"id": 5, "name": state_name,
                                                     "price": {"value": 8995}}}}}  # fmt: skip
        body += f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
    html = f'<html lang="de"><head><title>Shop</title>{head}</head><body>{body}</body></html>'
    return extract_listing(html, "https://shop.example.de/p/5").title


def test_a_heading_the_page_state_names_beats_a_decorated_og_title() -> None:
    title = listing_title(
        "Laufschuh Pegasus 41",
        "NIKE Laufschuh Pegasus 41 in Schwarz | Shop",
        "Laufschuh Pegasus 41",
    )
    assert title == "Laufschuh Pegasus 41"


def test_a_fragment_heading_no_structured_source_names_still_gives_way() -> None:
    title = listing_title("Pegasus", "NIKE Laufschuh Pegasus 41 in Schwarz", None)
    assert title == "NIKE Laufschuh Pegasus 41 in Schwarz"

"""A short label opening a price's box ('<span>Ar Paldies karti</span><span>5</span><sup>49</sup>')
is that price's label even where the box also prints a unit price and dates, so a store-card
price (Latvian, Lithuanian, Estonian card wording) is conditional and the regular price beside it
is the price; a label between two prices belongs to the first, not to the one after it."""

from __future__ import annotations

from crawler.extraction import extract_listing


def price(body: str, lang: str = "lv") -> str | None:
    html = f'<html lang="{lang}"><head><title>Veikals</title></head><body>{body}</body></html>'
    return extract_listing(html, "https://veikals.example.lv/p/piens-1l").price


def _box(label: str) -> str:
    return (
        '<h1>Piens 2,5% 1 l</h1><div class="prices">'
        '<div class="price price--regular"><span class="int">1</span><sup>19</sup>'
        '<span class="cur">€</span><span class="per">1,19 €/l</span></div>'
        f'<div class="price price--card"><span class="label">{label}</span>'
        '<span class="int">0</span><sup>89</sup><span class="cur">€</span>'
        '<span class="per">0,89 €/l</span><span class="until">Spēkā līdz 15.12.</span></div></div>'
    )


def test_a_latvian_card_price_gives_way_to_the_regular_price() -> None:
    assert price(_box("Ar Paldies karti")) == "1.19"


def test_lithuanian_and_estonian_card_wording() -> None:
    assert price(_box("Su Aciu kortele"), "lt") == "1.19"
    assert price(_box("Kliendikaardiga"), "et") == "1.19"


def test_a_label_after_a_price_is_not_the_next_prices_label() -> None:
    body = (
        '<h1>Piens 2,5% 1 l</h1><p class="price-wrap">'
        '<span class="price-card">0,89 €</span><span class="label">ar karti</span>'
        '<span class="price-final">1,19 €</span></p>'
    )
    assert price(body) == "1.19"

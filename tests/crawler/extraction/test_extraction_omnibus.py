"""The EU's Omnibus line ('lowest price of the last 30 days') prints a reference price, never the
price paid now: structured data stating that amount is stale beside the printed current price."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled


def listing(body: str, url: str, lang: str, jsonld_price: str) -> Decimal | None:
    head = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
        f'"name":"Item","offers":{{"@type":"Offer","price":"{jsonld_price}"}}}}</script>'
    )
    html = f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'
    found = extract_listing(html, url)
    return Decimal(found.price) if found.price else None


def test_structured_price_equal_to_a_long_omnibus_line_gives_way_to_the_printed_price() -> None:
    body = (
        '<main><h1>Odkurzacz ręczny V8</h1><div class="price-box">'
        '<span class="whole">849</span><span class="cents">00</span><span>zł</span></div>'
        "<p>Najniższa cena z 30 dni przed obniżką: 1 049,00 zł</p></main>"
    )
    assert listing(body, "https://sklep.example.pl/p/1", "pl", "1049.00") == Decimal(849)


def test_omnibus_amount_in_its_own_span_after_the_label_is_a_reference_price() -> None:
    body = (
        '<main><h1>Akkuschrauber 18V</h1><div class="price">89,99 €</div>'
        '<div class="hint">Niedrigster Preis der letzten 30 Tage: <span>109,99 €</span></div>'
        "</main>"
    )
    assert listing(body, "https://shop.example.de/p/2", "de", "109.99") == Decimal("89.99")


def test_omnibus_line_first_after_the_heading_is_not_the_price() -> None:
    body = (
        '<main><h1>Casque audio</h1><p class="omni">Prix le plus bas des 30 derniers jours : '
        '<span class="amount">59,99 €</span></p><div class="price">49,99 €</div></main>'
    )
    assert listing(body, "https://boutique.example.fr/p/3", "fr", "0") == Decimal("49.99")


def test_a_price_the_page_prints_with_no_omnibus_line_keeps_structured_data() -> None:
    body = (
        '<main><h1>Lampka biurkowa</h1><div class="price">129,00 zł</div>'
        "<p>30 dni na zwrot</p></main>"
    )
    assert listing(body, "https://sklep.example.pl/p/4", "pl", "129.00") == Decimal(129)


def test_omnibus_phrases_are_in_the_lexicon_for_several_languages() -> None:
    pattern = bundled().lowest_price
    for line in (
        "Lowest price in the last 30 days",
        "Laagste prijs van de afgelopen 30 dagen",
        "Prezzo più basso degli ultimi 30 giorni",
        "Lägsta pris senaste 30 dagarna",
    ):
        assert pattern.search(line), line
    assert not pattern.search("Best price guaranteed")

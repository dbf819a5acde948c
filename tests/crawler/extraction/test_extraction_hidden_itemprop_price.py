"""A '<meta itemprop=price>' is data for machines, like JSON-LD: where the page prints another
price for the buyer ('1.249,-', the Scandinavian whole-units-and-dash form, in the offer's box),
the printed one is the price; with nothing printed the meta value still counts."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(offer_body: str, url: str = "https://butik.example.dk/p/77") -> Decimal | None:
    html = (
        '<html lang="da"><head></head><body><div itemscope itemtype="https://schema.org/Product">'
        '<h1 itemprop="name">Ekstern harddisk 4 TB</h1>'
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<meta itemprop="priceCurrency" content="DKK"><meta itemprop="price" content="899.00">'
        f"{offer_body}</div></div></body></html>"
    )
    found = extract_listing(html, url)
    return Decimal(found.price) if found.price else None


def test_a_dash_price_printed_in_the_offer_box_beats_a_stale_meta_price() -> None:
    assert price_of('<div><span class="big">749,-</span> <span>Før 999,-</span></div>') == 749


def test_the_meta_price_stands_when_the_page_prints_it() -> None:
    assert price_of('<div><span class="big">899,-</span></div>') == 899


def test_the_meta_price_stands_when_the_page_prints_no_price() -> None:
    assert price_of("<p>Se pris i kurven</p>") == Decimal(899)


def test_a_dash_after_a_word_is_no_price() -> None:
    assert price_of("<div><span>Levering 2-3 dage</span></div>") == Decimal(899)

"""A stock line longer than a label still states the item's stock when its first clause is a
stock phrase ('In stock – 9 available at Leeds. Ready in 1 hour.'), an icon's ligature text
before it dropped; a long line that only mentions stock further on says nothing."""

from __future__ import annotations

from crawler.extraction import extract_listing

JSONLD = (
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product",'
    '"name":"Item","offers":{"@type":"Offer","price":"10","priceCurrency":"EUR",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(body: str, head: str = "") -> str | None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_listing(html, "https://shop.example.com/p/5").availability


def test_a_long_collection_line_opening_with_in_stock_is_read() -> None:
    body = (
        '<main><div class="pdp"><h1>Cordless drill 18V</h1><div class="price">£99.99</div>'
        "<div><b>Collection</b><p>In stock – 9 available at Leeds Kirkstall Road. Ready in one"
        " hour.</p><button>Collect</button></div></div></main>"
    )
    assert availability(body) == "InStock"


def test_a_long_pre_order_line_after_an_icon_beats_structured_in_stock() -> None:
    body = (
        '<main><div class="pdp"><h1>Consola portátil</h1><div class="price">10 €</div>'
        '<span class="product-availability"><i class="material-icons">event</i> Preventa – '
        "Lanzamiento el 14/03/2027. Resérvala ahora y la recibirás el día de salida.</span>"
        "<button>Reservar</button></div></main>"
    )
    assert availability(body, JSONLD) == "PreOrder"


def test_a_long_line_mentioning_stock_further_on_says_nothing() -> None:
    body = (
        '<main><div class="pdp"><h1>Cordless drill 18V</h1><div class="price">£99.99</div>'
        "<p>Order today and our team will contact you as soon as it is back in stock at your"
        " nearest branch.</p></div></main>"
    )
    assert availability(body) is None


def test_a_rails_long_pre_order_line_does_not_change_the_items_in_stock() -> None:
    body = (
        '<main><div class="pdp"><h1>Game console</h1><div class="price">€ 10</div>'
        "<button>Add to cart</button></div>"
        '<section class="related"><p>Pre-order – the sequel launches on 14 March 2027 with a'
        " bonus soundtrack for early buyers.</p></section></main>"
    )
    assert availability(body, JSONLD) == "InStock"

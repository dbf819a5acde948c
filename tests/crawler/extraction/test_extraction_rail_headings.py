"""A rail of other products headed as one ('También te puede interesar', 'You may also like')
is another product's box even with no telling class: its 'Agotado' is not this item's. A
button whose whole caption is "Agregar" (Add) is a buy button, "Agregar a favoritos" is not."""

from __future__ import annotations

from crawler.extraction import extract_listing
from crawler.extraction.lexicon import bundled


def availability(body: str, lang: str) -> str | None:
    html = f'<html lang="{lang}"><head></head><body><main>{body}</main></body></html>'
    return extract_listing(html, "https://tienda.example.pe/p/3").availability


ITEM = (
    '<div class="pdp"><h1>Leche evaporada 400 g</h1><div class="price">S/ 4.20</div>'
    "<button>Agregar al carrito</button></div>"
)


def test_sold_out_in_a_rail_headed_as_recommendations_is_another_products() -> None:
    body = (
        ITEM + "<section><h2>También te puede interesar</h2>"
        "<div>Yogurt natural 1 kg · S/ 7.90 · Agotado</div></section>"
    )
    assert availability(body, "es") == "InStock"


def test_sold_out_under_an_ordinary_heading_still_counts() -> None:
    body = (
        '<div class="pdp"><h1>Leche evaporada 400 g</h1><div class="price">S/ 4.20</div>'
        "<section><h2>Disponibilidad</h2><p>Agotado</p></section></div>"
    )
    assert availability(body, "es") == "SoldOut"


def test_rail_headings_in_several_languages() -> None:
    pattern = bundled().rail_heading
    for heading in (
        "You may also like",
        "Vous aimerez aussi",
        "Das könnte Sie auch interessieren",
        "Anderen kochten ook",
        "猜你喜欢",
    ):
        assert pattern.search(heading), heading
    assert not pattern.search("Product details")


def test_a_one_word_add_button_is_a_buy_button() -> None:
    body = '<div class="pdp"><h1>Arroz extra 5 kg</h1><button class="cta">Agregar</button></div>'
    assert availability(body, "es") == "InStock"


def test_a_longer_caption_starting_with_add_is_no_buy_button() -> None:
    body = '<div class="pdp"><h1>Arroz extra 5 kg</h1><button>Agregar a favoritos</button></div>'
    assert availability(body, "es") is None

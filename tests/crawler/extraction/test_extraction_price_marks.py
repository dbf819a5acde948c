"""A former price is recognised by how it is struck through, not only by <s>/<del>, and a class
name's letters do not make a price old (crawler/extraction/price_marks.py)."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_listing


def price(body: str, head: str = "", lang: str = "es-MX") -> str | None:
    html = f'<html lang="{lang}"><head>{head}</head><body><h1>Hervidor</h1>{body}</body></html>'
    return extract_listing(html, "https://tienda.example/p/7").price


@pytest.mark.parametrize(
    "struck",
    [
        '<p class="text-sm line-through">$2,450</p>',
        '<p class="text-decoration-line-through">$2,450</p>',
        '<p style="color:#999;text-decoration: line-through">$2,450</p>',
        '<p style="text-decoration-line:line-through">$2,450</p>',
        '<p class="crossed">$2,450</p>',
    ],
)
def test_a_price_struck_through_by_class_or_style_is_the_old_one(struck: str) -> None:
    assert price(f'<div class="box">{struck}<p class="text-xl">$1,980</p></div>') == "1980.00"


def test_a_bold_current_price_is_not_read_as_an_old_one() -> None:
    body = '<div><p class="line-through">$2,450</p><p class="font-bold">$1,980</p></div>'
    head = '<meta property="og:price:amount" content="1980">'
    assert price(body, head) == "1980.00"
    assert price('<p class="text-gold font-bold">$1,980</p>') == "1980.00"


def test_a_hover_strike_or_a_struck_label_does_not_make_the_price_old() -> None:
    assert price('<p class="hover:line-through">$1,980</p><p>$2,450</p>') == "1980.00"
    body = '<p class="line-through">Envío $99</p><p class="text-xl">$1,980</p>'
    assert price(body) == "1980.00"


def test_a_sale_word_in_the_prices_own_element_does_not_hide_the_price() -> None:
    body = '<div><del>De R$ 349,00</del><strong class="valor">Por R$ 289,00</strong></div>'
    assert price(body, lang="pt-BR") == "289.00"


@pytest.mark.parametrize(
    "pix",
    [
        '<span class="pix">R$ 259,90 no Pix (10% off)</span>',
        '<span class="pix">R$ 259,90 à vista no Pix</span>',
    ],
)
def test_a_pix_price_in_its_own_element_is_conditional_so_the_regular_one_wins(pix: str) -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"Product","name":"Chaleira",'
        '"offers":{"@type":"Offer","price":"259.90","priceCurrency":"BRL"}}</script>'
    )
    body = f'<div class="preco"><strong>R$ 289,00</strong>{pix}</div>'
    assert price(body, ld, lang="pt-BR") == "289.00"
    # first on the page, it is still not the price
    assert price(f'<div class="preco">{pix}<strong>R$ 289,00</strong></div>', lang="pt-BR") == (
        "289.00"
    )


def test_a_condition_word_does_not_turn_a_sentence_into_a_price() -> None:
    body = '<p>Frete grátis no Pix acima de R$ 99,00</p><p class="valor">R$ 289,00</p>'
    assert price(body, lang="pt-BR") == "289.00"


def _sizes(checked: int | None) -> str:
    rows = [("30 ml", "39,00 €"), ("50 ml", "58,00 €"), ("90 ml", "84,00 €")]
    return "".join(
        f'<label class="opt"><input type="radio" name="size"{" checked" if i == checked else ""}>'
        f' {size} <span class="opt__price">{amount}</span></label>'
        for i, (size, amount) in enumerate(rows)
    )


def test_the_chosen_variants_price_beats_the_other_options_and_the_offer_range() -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"Product","name":"Parfum","offers":'
        '{"@type":"AggregateOffer","lowPrice":"39.00","highPrice":"84.00",'
        '"priceCurrency":"EUR"}}</script>'
    )
    assert price(f"<div>{_sizes(1)}</div>", ld, lang="fr-FR") == "58.00"
    swatches = (
        '<ul><li aria-selected="false">30 ml <span>39,00 €</span></li>'
        '<li aria-selected="true">50 ml <span>58,00 €</span></li></ul>'
    )
    assert price(swatches, lang="fr-FR") == "58.00"


def test_with_no_option_chosen_or_a_lone_checkbox_no_price_is_set_aside() -> None:
    assert price(f"<div>{_sizes(None)}</div>", lang="fr-FR") == "39.00"
    gift = (
        '<label><input type="checkbox" name="gift"> Emballage cadeau '
        '<span class="price">4,00 €</span></label>'
    )
    assert price(f'{gift}<div><input type="checkbox" name="news" checked></div>', lang="fr-FR") == (
        "4.00"
    )

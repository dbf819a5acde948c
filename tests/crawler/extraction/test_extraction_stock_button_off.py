"""A buy button whose class switches it 'off' is disabled (crawler/extraction/stock.py): with a
visible sold-out line it outranks structured 'InStock'; a class merely containing 'off' is not."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://denki.example/detail?goods=12345"
JSONLD = (
    '<script type="application/ld+json">{"@type":"Product","name":"Hair dryer",'
    '"offers":{"price":"19800","priceCurrency":"JPY",'
    '"availability":"https://schema.org/InStock"}}</script>'
)


def availability(box: str) -> str | None:
    html = (
        f"<html><head>{JSONLD}</head><body><div class='item'><h1>Hair dryer</h1>{box}</div>"
        "</body></html>"
    )
    return extract_listing(html, URL).availability


def test_a_buy_button_switched_off_means_the_sold_out_line_is_the_items() -> None:
    box = (
        '<p class="stock">在庫状況：<span>品切れ</span></p>'
        '<div class="cart"><span class="btn_cart_off">カートに入れる</span></div>'
    )
    assert availability(box) == "OutOfStock"


def test_a_button_with_off_only_inside_a_word_stays_enabled() -> None:
    box = (
        '<p class="stock">在庫状況：<span>品切れ</span></p>'
        '<div class="cart"><span class="btn_cart offer-cta off-canvas-open">'
        "カートに入れる</span></div>"
    )
    assert availability(box) == "InStock"

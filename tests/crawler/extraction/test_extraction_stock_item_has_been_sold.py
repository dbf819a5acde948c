"""A classified or second-hand listing whose own box says it has been sold ('This item has been
sold', 'Dieser Artikel wurde verkauft', '판매완료') is SoldOut; 'sold by <seller>' is not."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://classifieds.example/p/office-chair-50120934/"


def availability(box: str) -> str | None:
    html = (
        "<html><body><main><section><div class='notice'>"
        f"{box}</div><h1>Office chair size B</h1><h2>S$780</h2></section></main></body></html>"
    )
    return extract_listing(html, URL).availability


def test_this_item_has_been_sold_is_sold_out() -> None:
    assert availability("<p>This item has been sold</p>") == "SoldOut"


def test_german_sold_notice_is_sold_out() -> None:
    assert availability("<p>Dieser Artikel wurde verkauft</p>") == "SoldOut"


def test_korean_sale_completed_is_sold_out() -> None:
    assert availability("<span>판매완료</span>") == "SoldOut"


def test_sold_by_a_seller_is_no_sold_notice() -> None:
    assert availability("<p>This item is sold by ChairShop</p>") is None

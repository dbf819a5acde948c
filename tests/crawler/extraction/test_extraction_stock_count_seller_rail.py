"""A stock count in the item's box ('庫存 8 件', '재고 3 개') says it is in stock ('庫存 0 件':
out); a box headed as the seller's other listings ('賣家其他商品', 'More from this seller') is other
products', so its '已售完' is not the item's (config/lexicons/extraction.yaml)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://auction.example/item/show?30112233445566"


def availability(box: str, after: str = "") -> str | None:
    html = (
        "<html><body><main><div class='item'><h1>藍牙耳機 全新未拆</h1>"
        f"<p class='price'>$1,290</p>{box}</div>{after}</main></body></html>"
    )
    return extract_listing(html, URL).availability


SELLER_RAIL = (
    "<div class='more'><h2>賣家其他商品</h2><ul><li><a><p>舊款耳機</p>"
    "<p class='price'>$690</p><p class='note'>已售完</p></a></li></ul></div>"
)


def test_a_stock_count_in_the_box_is_in_stock() -> None:
    assert availability("<span class='note'>庫存 8 件</span>") == "InStock"


def test_a_zero_stock_count_is_out_of_stock() -> None:
    assert availability("<span class='note'>庫存 0 件</span>") == "OutOfStock"


def test_a_korean_stock_count_is_in_stock() -> None:
    assert availability("<span>재고 3 개</span>") == "InStock"


def test_the_sellers_other_listings_sold_out_is_not_the_items() -> None:
    assert availability("<span class='note'>庫存 8 件</span>", SELLER_RAIL) == "InStock"


def test_with_no_own_stock_line_the_sellers_rail_gives_nothing() -> None:
    assert availability("", SELLER_RAIL) is None


def test_an_english_more_from_this_seller_rail_is_other_listings() -> None:
    rail = (
        "<section><h3>More from this seller</h3>"
        "<div><a>Old headset</a><span>Sold out</span></div></section>"
    )
    assert availability("", rail) is None

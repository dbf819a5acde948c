"""A second-hand item sold to a buyer, in Chinese ('宝贝已卖出', '已卖掉了'), is SoldOut, while a
sales counter ('已售出 2381 件') says nothing about stock (config/lexicons/extraction.yaml)."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://2shou.example/item?id=55012"


def availability(body: str) -> str | None:
    html = f'<html lang="zh-CN"><body><div class="item"><h1>二手相机</h1>{body}</div></body></html>'
    return extract_listing(html, URL).availability


def test_an_item_marked_sold_to_a_buyer_is_sold_out() -> None:
    assert availability('<div class="mask"><span>宝贝已卖出</span></div>') == "SoldOut"
    assert availability('<p class="state">该商品已售出</p>') == "SoldOut"


def test_a_want_button_saying_sold_means_it_cannot_be_bought() -> None:
    # a button alone says only that it cannot be bought
    assert availability('<button class="want-btn" disabled>已卖掉了</button>') == "OutOfStock"


def test_a_sales_counter_is_not_a_sold_out_line() -> None:
    body = '<p class="sales">已售出 2381 件</p><button>立即购买</button>'
    assert availability(body) == "InStock"

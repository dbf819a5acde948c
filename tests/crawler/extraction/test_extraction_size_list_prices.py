"""A list of sizes each with its price ('<ul class="size-select__list">', one '<li
class="active">'): 'list' on the <ul> names the list of items, no list price, so the chosen
size's price is the price and the other sizes' prices are set aside; with no size marked
chosen, no size's price is set aside."""

from __future__ import annotations

from crawler.extraction import extract_listing


def price(items: str) -> str | None:
    html = (
        '<html lang="zh-CN"><head><title>商城</title></head><body><h1>跑步鞋 男款</h1>'
        f'<div class="size-select"><ul class="size-select__list">{items}</ul></div></body></html>'
    )
    return extract_listing(html, "https://shop.example.cn/p/1001").price


def _item(size: str, amount: str, chosen: bool = False) -> str:
    mark = ' class="active"' if chosen else ""
    return f'<li{mark}><span class="size">{size}</span><span class="price">¥{amount}</span></li>'


def test_the_chosen_sizes_price_is_the_price() -> None:
    items = _item("40", "599") + _item("41", "649", chosen=True) + _item("42", "579")
    assert price(items) == "649.00"


def test_with_no_size_chosen_the_first_size_price_is_read() -> None:
    assert price(_item("40", "599") + _item("41", "649")) == "599.00"


def test_a_spec_lists_hyphenated_code_is_no_price() -> None:
    html = (
        '<html lang="vi"><head><title>Shop</title></head><body><h1>Máy lạnh 1.5 HP</h1>'
        '<ul class="spec__list"><li><p>Gas:</p><div class="value">R-32</div></li></ul>'
        '<p class="box-price-present">10.490.000₫</p></body></html>'
    )
    assert extract_listing(html, "https://shop.example.vn/may-lanh").price == "10490000"

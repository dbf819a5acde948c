"""Chinese-marketplace page state names the product 'goodsName' and its id 'goodsID', and its
struck-through price 'linePrice' (划线价); a Ukrainian or Russian 'Код:' line prints the item's
number; page state amounts in cents give way to the printed price even on a page with no <h1>."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def page(body: str, script: str, lang: str = "zh-CN") -> str:
    head = "<head><title>商城</title></head>"
    return f'<html lang="{lang}">{head}<body>{body}<script>{script}</script></body></html>'


def test_goods_name_and_goods_id_in_state_are_title_and_sku() -> None:
    script = (
        'window.rawData={"store":{"goods":{"goodsID":"90112233",'
        '"goodsName":"保温杯 500ml","price":"19.90"}}};'
    )
    found = extract_listing(page("<div>加载中</div>", script), "https://m.example.cn/goods.html")
    assert (found.title, found.sku) == ("保温杯 500ml", "90112233")


def test_a_line_price_in_state_is_not_the_price() -> None:
    script = 'window.rawData={"goods":{"goodsName":"USB 风扇","linePrice":2599,"currency":"CNY"}};'
    body = '<h1>USB 风扇</h1><div class="price">¥ 12.90</div><del>¥ 25.99</del>'
    found = extract_listing(page(body, script), "https://m.example.cn/goods2.html")
    assert Decimal(found.price or "0") == Decimal("12.90")


def test_an_online_price_in_state_is_still_a_price() -> None:
    script = (
        'window.__STATE__={"product":{"name":"Kettle","onlinePrice":"24.99","currency":"EUR"}};'
    )
    found = extract_listing(page("<div>Loading</div>", script, "en"), "https://shop.example.ie/p/1")
    assert Decimal(found.price or "0") == Decimal("24.99")


def test_state_cents_give_way_to_the_printed_price_without_an_h1() -> None:
    script = 'window.rawData={"goods":{"goodsName":"睡衣套装","price":3990,"currency":"CNY"}};'
    body = '<div role="heading">睡衣套装</div><div class="goods-price">¥ 39.9</div>'
    found = extract_listing(page(body, script), "https://m.example.cn/goods3.html")
    assert Decimal(found.price or "0") == Decimal("39.9")


def test_a_ukrainian_code_line_prints_the_items_number() -> None:
    body = '<h1>Навушники бездротові X2</h1><div class="code">Код: 551204</div><div>1 299 ₴</div>'
    found = extract_listing(page(body, "", "uk"), "https://shop.example.ua/p/x2")
    assert found.sku == "551204"

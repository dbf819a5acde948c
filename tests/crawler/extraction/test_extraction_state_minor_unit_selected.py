"""Page state that names its amounts' unit as the currency's minor one ('unit': 'fen'), keeps a
'marketPrice' (市场价, the list price) beside the price, and holds the selected variant itself
under a 'skuSelected' key rather than naming it by id."""

from __future__ import annotations

from decimal import Decimal

from crawler.extraction import extract_listing


def price_of(script: str) -> Decimal:
    html = (
        '<html lang="zh-CN"><head><title>Shop</title></head><body><div>Loading</div>'
        f"<script>{script}</script></body></html>"
    )
    found = extract_listing(html, "https://shop.example.cn/goods/77")
    return Decimal(found.price or "0")


def test_amounts_declared_in_fen_are_read_in_yuan() -> None:
    script = (
        'window.__DATA__={"goods":{"goodsName":"保温杯 500ml","currency":"CNY",'
        '"priceInfo":{"salePrice":5990,"unit":"fen"}}};'
    )
    assert price_of(script) == Decimal("59.90")


def test_amounts_with_no_declared_unit_stay_as_written() -> None:
    # negative: without a unit, a whole number is not assumed to be in cents
    script = (
        'window.__DATA__={"goods":{"goodsName":"保温杯 500ml","currency":"CNY",'
        '"priceInfo":{"salePrice":5990,"unit":"件"}}};'
    )
    assert price_of(script) == Decimal("5990")


def test_a_market_price_is_not_the_price() -> None:
    script = (
        'window.__DATA__={"goods":{"goodsName":"电热水壶","currency":"CNY",'
        '"marketPrice":"199.00","groupPrice":"129.00"}};'
    )
    assert price_of(script) == Decimal("129.00")


def test_the_selected_sku_object_gives_the_price_over_the_range() -> None:
    script = (
        'window.__DATA__={"goods":{"goodsName":"加绒卫衣","currency":"CNY",'
        '"priceRange":{"lowPrice":"79.00"},"price":"79.00",'
        '"skuSelected":{"skuId":"881","spec":"黑色;XL","price":"99.00"}}};'
    )
    assert price_of(script) == Decimal("99.00")


def test_a_selected_object_without_a_price_does_not_override() -> None:
    # negative: 'currentSku' naming only the spec leaves the product's own price
    script = (
        'window.__DATA__={"goods":{"goodsName":"加绒卫衣","currency":"CNY","price":"79.00",'
        '"currentSku":{"spec":"黑色;XL"}}};'
    )
    assert price_of(script) == Decimal("79.00")

"""A box the shop's template names as its SKU field ('product attribute sku', a WooCommerce
'sku' span) holds the shop's code whatever its printed label says (a model-number label in
Arabic or Spanish); a class-marked box in a related-products rail, or one holding prose, does
not count."""

from __future__ import annotations

from crawler.extraction import extract_listing

URL = "https://shop.example.com.eg/ar/sharp-fridge-450l-silver.html"


def sku(box: str, after: str = "") -> str | None:
    html = (
        '<html><body><main><div class="product-info-main">'
        '<h1 class="page-title">ثلاجة شارب 450 لتر</h1>'
        f'{box}<div class="price">28,499 جنيه</div></div>{after}</main></body></html>'
    )
    return extract_listing(html, URL).sku


def test_magento_sku_attribute_with_a_model_number_label() -> None:
    box = (
        '<div class="product attribute sku"><strong class="type">رقم الموديل</strong> '
        '<div class="value">GV58G-450</div></div>'
    )
    assert sku(box) == "GV58G-450"


def test_a_leaf_marked_sku_after_its_wrapper_label() -> None:
    box = '<span class="sku_wrapper">Modelo: <span class="sku">RX-4471</span></span>'
    assert sku(box) == "RX-4471"


def test_a_sku_marked_box_in_a_related_rail_is_another_products() -> None:
    after = (
        '<section class="related"><div class="card"><span class="sku">ZZ-9001</span>'
        "</div></section>"
    )
    assert sku("", after) is None


def test_a_sku_marked_box_holding_prose_is_no_code() -> None:
    box = '<p class="sku-note">Code 12 applies to all orders</p>'
    assert sku(box) is None


def test_variant_options_marked_sku_item_are_no_code() -> None:
    box = (
        '<div class="sku-line"><span class="label">Size</span>'
        '<span class="sku-item active">43"</span><a class="sku-item" href="/l/2">55" — 34,999</a>'
        '<a class="sku-item" href="/l/3">65" — 51,999</a></div>'
    )
    assert sku(box) is None


def test_variant_options_with_long_codes_are_no_code_either() -> None:
    box = (
        '<div class="sku-line"><span class="sku-item active">TV-4301</span>'
        '<a class="sku-item" href="/l/2">TV-5501</a></div>'
    )
    assert sku(box) is None

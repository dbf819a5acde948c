"""The catalog served in the structure of real shops, one module per shop style.

Each style answers the paths its real counterpart uses (``/products.json``, the WooCommerce
Store API, AliExpress' ``window.runParams``, a Taobao-like JavaScript search) and leaves the rest
(images, robots.txt) to the demo shop. The pages are our own, modelled on public structure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from demomarket.styles import aliexpress, shopify, taobao, woocommerce

if TYPE_CHECKING:
    from collections.abc import Callable

    from demomarket.catalog import Catalog
    from demomarket.responses import Response

    StyleRoute = Callable[[Catalog, str, str, dict[str, list[str]]], Response | None]

STYLE_ROUTES: dict[str, StyleRoute] = {
    "shopify": shopify.route,
    "woocommerce": woocommerce.route,
    "aliexpress": aliexpress.route,
    "taobao": taobao.route,
}

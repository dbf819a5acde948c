"""A WooCommerce-like store: the Store API (``/wp-json/wc/store/v1/products``) and product
pages at ``/product/<slug>/`` with the JSON-LD WooCommerce prints.

Store API prices are strings in minor units with ``currency_minor_unit`` (``"12900"``, 2).
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from demomarket.listing import jsonld
from demomarket.pages import layout, money, script_json
from demomarket.responses import Response, html, json_response
from demomarket.styles.common import chunk, image_urls, item_id_of, page_number, page_size, slug

if TYPE_CHECKING:
    from demomarket.catalog import Catalog
    from demomarket.records import Item

API = "/wp-json/wc/store/v1/products"
_PRODUCT = re.compile(r"^/product/([a-z0-9-]+)/?$")


def product_url(item: Item, base_url: str) -> str:
    return urljoin(base_url, f"/product/{slug(item)}/")


def store_record(item: Item, base_url: str) -> dict[str, Any]:
    """One product as the Store API lists it (the fields a crawler reads, trimmed)."""
    minor = f"{int(item.price * 100)}"
    return {
        "id": int(item.id) if item.id.isdigit() else item.id,
        "name": item.title,
        "slug": slug(item),
        "permalink": product_url(item, base_url),
        "sku": item.id,
        "short_description": f"<p>{escape(item.description)}</p>",
        "prices": {
            "price": minor,
            "regular_price": minor,
            "sale_price": minor,
            "currency_code": item.currency,
            "currency_minor_unit": 2,
        },
        "images": [{"src": url, "thumbnail": url} for url in image_urls(item, base_url)],
        "categories": [{"name": item.category}],
        "is_in_stock": item.availability == "InStock",
    }


def product_page(catalog: Catalog, item: Item, base_url: str) -> str:
    seller = catalog.sellers[item.seller_id]
    blocks = jsonld(item, seller, base_url)
    blocks[0]["offers"]["url"] = product_url(item, base_url)
    graph = {"@context": "https://schema.org/", "@graph": [blocks[1], blocks[0]]}
    head = f'<script type="application/ld+json" class="wc-schema">{script_json(graph)}</script>\n'
    body = f"""<div id="product-{escape(item.id)}" class="product type-product">
<h1 class="product_title entry-title">{escape(item.title)}</h1>
<p class="price"><span class="woocommerce-Price-amount amount">\
{escape(money(item.price, item.currency))}</span></p>
<div class="woocommerce-product-details__short-description">{escape(item.description)}</div>
<div class="product_meta"><span class="sku_wrapper">SKU: <span class="sku">{escape(item.id)}\
</span></span> <span class="vendor">Vendor: {escape(seller.name)}</span></div>
</div>"""
    return layout(item.title, body, head)


def route(
    catalog: Catalog, base_url: str, path: str, query: dict[str, list[str]]
) -> Response | None:
    """The store's answer, or None for paths the demo shop serves (images, robots.txt)."""
    if path.rstrip("/") == API:
        search = query.get("search", [""])[0]
        found = catalog.search(search) if search else catalog.newest()
        size = page_size(query, "per_page", 10, 100)
        pages = max(1, -(-len(found) // size))
        records = [store_record(i, base_url) for i in chunk(found, page_number(query), size)]
        headers = {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)}
        return json_response(records, headers)
    if match := _PRODUCT.match(path):
        item = catalog.item(item_id_of(match[1]))
        if item is not None and slug(item) == match[1].rstrip("/"):
            return html(product_page(catalog, item, base_url))
        return html("<h1>Page not found</h1>", 404)
    return None

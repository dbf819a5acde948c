"""A Shopify-like store: ``/products.json?page=N&limit=L`` and ``/products/<handle>`` pages.

The product page carries what Shopify themes print: a JSON-LD Product and the analytics
``var meta = {"product": ...}`` with prices in cents.
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

_PRODUCT = re.compile(r"^/products/([a-z0-9-]+)$")


def product_record(item: Item, base_url: str) -> dict[str, Any]:
    """One entry of ``/products.json`` (the public storefront shape, trimmed)."""
    return {
        "id": int(item.id) if item.id.isdigit() else item.id,
        "title": item.title,
        "handle": slug(item),
        "body_html": f"<p>{escape(item.description)}</p>",
        "vendor": item.brand or "",
        "product_type": item.category,
        "variants": [
            {
                "id": f"{item.id}01",
                "title": "Default Title",
                "sku": item.id,
                "price": f"{item.price:.2f}",
                "available": item.availability == "InStock",
            }
        ],
        "images": [
            {"position": n + 1, "src": url} for n, url in enumerate(image_urls(item, base_url))
        ],
    }


def product_page(catalog: Catalog, item: Item, base_url: str) -> str:
    seller = catalog.sellers[item.seller_id]
    url = urljoin(base_url, f"/products/{slug(item)}")
    blocks = jsonld(item, seller, base_url)
    blocks[0]["offers"]["url"] = url
    meta = {
        "product": {
            "id": item.id,
            "vendor": item.brand or "",
            "type": item.category,
            "variants": [{"id": f"{item.id}01", "price": int(item.price * 100), "sku": item.id}],
        },
        "page": {"pageType": "product", "resourceId": item.id},
    }
    head = "".join(
        f'<script type="application/ld+json">{script_json(block)}</script>\n' for block in blocks
    )
    gallery = "".join(f'<img src="{escape(u)}" alt="">' for u in image_urls(item, base_url))
    body = f"""<div class="product" data-product-id="{escape(item.id)}">
<h1 class="product__title">{escape(item.title)}</h1>
<div class="price"><span class="price-item">{escape(money(item.price, item.currency))}</span></div>
<div class="product__media">{gallery}</div>
<div class="product__description rte">{escape(item.description)}</div>
<p class="product__vendor">Sold by {escape(seller.name)}</p>
</div>
<script>var meta = {script_json(meta)};</script>"""
    return layout(item.title, body, head)


def route(
    catalog: Catalog, base_url: str, path: str, query: dict[str, list[str]]
) -> Response | None:
    """The store's answer, or None for paths the demo shop serves (images, robots.txt)."""
    if path == "/products.json":
        size = page_size(query, "limit", 30, 250)
        items = chunk(catalog.newest(), page_number(query), size)
        return json_response({"products": [product_record(i, base_url) for i in items]})
    if match := _PRODUCT.match(path):
        item = catalog.item(item_id_of(match[1]))
        if item is not None and item.searchable and slug(item) == match[1]:
            return html(product_page(catalog, item, base_url))
        return html("<h1>404 Page Not Found</h1>", 404)
    return None

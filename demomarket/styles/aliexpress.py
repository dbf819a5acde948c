"""An AliExpress-like marketplace: pages whose data sits in ``window.runParams`` scripts.

Search (``/wholesale?SearchText=...&page=N``) holds the result list as JSON; an item page
(``/item/<id>.html``) holds ``runParams = { data: {...modules...}, csrfToken: '...' }``, a
JavaScript object literal around JSON, as the real pages do.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any

from demomarket.pages import layout, money, script_json
from demomarket.responses import Response, html
from demomarket.styles.common import chunk, image_urls, page_number

if TYPE_CHECKING:
    from demomarket.catalog import Catalog
    from demomarket.records import Item

PAGE_SIZE = 6
_ITEM = re.compile(r"^/item/([0-9A-Za-z-]+)\.html$")


def search_record(item: Item, base_url: str) -> dict[str, Any]:
    return {
        "productId": item.id,
        "title": {"displayTitle": item.title},
        "prices": {"salePrice": {"formattedPrice": money(item.price, item.currency)}},
        "image": {"imgUrl": image_urls(item, base_url)[0]},
        "productDetailUrl": f"/item/{item.id}.html",
    }


def search_page(catalog: Catalog, base_url: str, text: str, number: int) -> str:
    found = chunk(catalog.search(text), number, PAGE_SIZE) if text else []
    params = {
        "mods": {"itemList": {"content": [search_record(i, base_url) for i in found]}},
        "pageInfo": {"page": number, "pageSize": PAGE_SIZE},
    }
    rows = "".join(
        f'<div class="list--gallery--item">{escape(i.title)}</div>' for i in found
    )  # the real grid is drawn by script; a few titles show without it
    body = f"""<div id="root" class="search-page">{rows}</div>
<script>window.runParams = {script_json(params)};</script>"""
    return layout(f"{text} - AliExpress-like", body)


def item_page(catalog: Catalog, item: Item, base_url: str) -> str:
    seller = catalog.sellers[item.seller_id]
    data = {
        "titleModule": {"subject": item.title, "tradeCount": 12},
        "priceModule": {
            "formatedActivityPrice": money(item.price, item.currency),
            "minActivityAmount": {
                "currency": item.currency,
                "formatedAmount": money(item.price, item.currency),
                "value": float(item.price),
            },
        },
        "imageModule": {"imagePathList": image_urls(item, base_url)},
        "storeModule": {
            "storeName": seller.name,
            "storeNum": seller.id,
            "storeURL": f"{base_url.rstrip('/')}{seller.url}",
        },
        "specsModule": {
            "props": [{"attrName": "Brand Name", "attrValue": item.brand}] if item.brand else []
        },
        "descriptionModule": {"description": item.description},
        "recommendModule": {"items": [{"subject": "Recommended gadget", "price": "US $1.99"}]},
    }
    body = f"""<div id="root"><h1 data-pl="product-title">{escape(item.title)}</h1></div>
<script>
  window.runParams = {{
    data: {script_json(data)},
    csrfToken: 'demo-token',
    abVersion: ''
  }};
</script>"""
    return layout(item.title, body)


def route(
    catalog: Catalog, base_url: str, path: str, query: dict[str, list[str]]
) -> Response | None:
    """The marketplace's answer, or None for paths the demo shop serves (images, robots.txt)."""
    if path == "/wholesale":
        text = query.get("SearchText", [""])[0]
        return html(search_page(catalog, base_url, text, page_number(query)))
    if match := _ITEM.match(path):
        item = catalog.item(match[1])
        if item is None:
            return html("<h1>Sorry, this item is no longer available</h1>", 404)
        return html(item_page(catalog, item, base_url))
    return None

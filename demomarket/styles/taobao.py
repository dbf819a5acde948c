"""A Taobao-like marketplace: Chinese pages, a search grid drawn by JavaScript from JSON.

``/search?q=...&page=N`` is an empty shell; its script fetches ``/api/search.json`` and draws
``#J_ItemList`` (``data-state=ready`` when done). Item pages (``/item.htm?id=N``) are plain HTML
in the classic layout: title, promotion price, gallery, shop name, attribute list.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from demomarket.pages import script_json
from demomarket.responses import Response, html, json_response
from demomarket.styles.common import chunk, image_urls, page_number

if TYPE_CHECKING:
    from demomarket.catalog import Catalog
    from demomarket.records import Item

PAGE_SIZE = 6
SYMBOLS = {"CNY": "¥", "USD": "US$", "EUR": "€"}

SEARCH_SCRIPT = """
(async function () {
  const params = new URLSearchParams(window.location.search);
  const list = document.getElementById("J_ItemList");
  const pager = document.getElementById("J_Pager");
  try {
    const response = await fetch("/api/search.json?" + params.toString());
    if (!response.ok) { throw new Error("HTTP " + response.status); }
    const data = await response.json();
    for (const item of data.items) {
      const link = document.createElement("a");
      link.className = "item-link";
      link.href = item.detail_url;
      const title = document.createElement("span");
      title.className = "item-title";
      title.textContent = item.raw_title;
      const price = document.createElement("strong");
      price.className = "item-price";
      price.textContent = " " + item.view_price;
      link.appendChild(title);
      link.appendChild(price);
      list.appendChild(link);
    }
    if (data.next) {
      const next = document.createElement("a");
      next.className = "J_Next";
      next.href = data.next;
      next.textContent = "下一页";
      pager.appendChild(next);
    }
    list.setAttribute("data-state", "ready");
  } catch (error) {
    list.textContent = "加载失败";
    list.setAttribute("data-state", "error");
  }
})();
"""


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{escape(title)}-淘宝样例网</title></head>
<body class="tb-demo">
<div id="J_SiteNav" class="site-nav"><a href="/search">淘宝样例网首页</a></div>
{body}
</body>
</html>"""


def search_shell(text: str) -> str:
    body = f"""<div class="search-title">搜索：{escape(text)}</div>
<div id="J_ItemList" class="m-itemlist" data-state="loading"></div>
<div id="J_Pager" class="m-page"></div>
<noscript>请启用 JavaScript 查看搜索结果。</noscript>
<script>{SEARCH_SCRIPT}</script>"""
    return _page(f"{text} 搜索", body)


def search_json(catalog: Catalog, text: str, number: int) -> dict[str, Any]:
    found = catalog.search(text) if text else []
    pages = max(1, -(-len(found) // PAGE_SIZE))
    items = [
        {
            "nid": item.id,
            "raw_title": item.title,
            "view_price": f"{item.price:.2f}",
            "detail_url": f"/item.htm?id={item.id}",
        }
        for item in chunk(found, number, PAGE_SIZE)
    ]
    following = f"/search?{urlencode({'q': text, 'page': number + 1})}" if number < pages else None
    return {"page": number, "pages": pages, "next": following, "items": items}


def item_page(catalog: Catalog, item: Item, base_url: str) -> str:
    seller = catalog.sellers[item.seller_id]
    images = image_urls(item, base_url)
    thumbs = "".join(
        f'<li><img data-ks-lazyload="{escape(u)}" src="/img/placeholder.gif"></li>' for u in images
    )
    brand = f'<li id="J_attrBrandName">品牌:&nbsp;{escape(item.brand)}</li>' if item.brand else ""
    symbol = SYMBOLS.get(item.currency, item.currency)
    body = f"""<div id="detail" class="tb-detail" data-item-id="{escape(item.id)}">
  <div class="tb-gallery"><img id="J_ImgBooth" src="{escape(images[0])}" alt="">
    <ul id="J_UlThumb">{thumbs}</ul></div>
  <div class="tb-property">
    <h1 class="tb-main-title">{escape(item.title)}</h1>
    <ul class="tb-meta">
      <li id="J_PromoPrice" class="tb-detail-price"><span class="tb-property-type">促销价</span>\
<em class="tb-rmb">{escape(symbol)}</em><em id="J_PromoPriceNum" class="tb-rmb-num" \
data-currency="{escape(item.currency)}">{item.price:.2f}</em></li>
    </ul>
  </div>
  <div class="tb-shop-info"><div class="tb-shop-name"><a href="{escape(seller.url)}" \
data-shop-id="{escape(seller.id)}">{escape(seller.name)}</a></div></div>
  <div id="attributes">
    <ul id="J_AttrUL">{brand}<li>类目:&nbsp;{escape(item.category)}</li></ul></div>
  <div id="J_DivItemDesc" class="content">{escape(item.description)}</div>
</div>
<script>var g_config = {script_json({"itemId": item.id, "shopId": seller.id})};</script>"""
    return _page(item.title, body)


def route(
    catalog: Catalog, base_url: str, path: str, query: dict[str, list[str]]
) -> Response | None:
    """The marketplace's answer, or None for paths the demo shop serves (images, robots.txt)."""
    if path == "/search":
        return html(search_shell(query.get("q", [""])[0]))
    if path == "/api/search.json":
        return json_response(search_json(catalog, query.get("q", [""])[0], page_number(query)))
    if path == "/item.htm":
        item = catalog.item(query.get("id", [""])[0])
        if item is None:
            return html(_page("宝贝不存在", "<h1>很抱歉，您查看的宝贝不存在</h1>"), 404)
        return html(item_page(catalog, item, base_url))
    return None

"""HTML for the shop's index pages (home, search, seller, deals, robots); every value is escaped."""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from demomarket.catalog import Catalog
    from demomarket.records import Item, Seller

SEARCH_PAGE_SIZE = 8
DEALS_PAGE_SIZE = 5

ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /cart

User-agent: BadBot
Disallow: /
"""

STYLE = (
    "body{font-family:sans-serif;margin:0 auto;max-width:960px;padding:1em}"
    ".results,.seller-listings{list-style:none;padding:0}"
    ".deal-card{display:block;border:1px solid #ccc;margin:.3em 0;padding:.5em}"
    ".listing-image{max-width:320px;max-height:320px}"
)


def money(amount: Decimal, currency: str) -> str:
    """How the shop shows a price: ``US $34.99``, ``¥59.00``, ``€12.00``."""
    symbol = {"USD": "US $", "CNY": "¥", "EUR": "€"}.get(currency, currency + " ")
    return f"{symbol}{amount:.2f}"


def layout(title: str, body: str, head: str = "") -> str:
    """The page frame every HTML page shares (header with search box, footer with links)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)} | DemoMarket</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}</style>
{head}</head>
<body>
<header class="site-header">
<a class="logo" href="/">DemoMarket</a>
<form class="search-box" action="/search" method="get">
<input type="search" name="q" placeholder="Search listings"><button type="submit">Search</button>
</form>
<a href="/deals">Today's deals</a> <a href="/cart" rel="nofollow">Cart</a>
</header>
<main>
{body}
</main>
<footer class="site-footer"><a href="/admin/" rel="nofollow">Seller admin</a> · DemoMarket is a
fictional shop for testing ipwatch.</footer>
</body>
</html>
"""


def home(catalog: Catalog) -> str:
    sellers = "\n".join(
        f'<li><a class="seller-link" href="{escape(s.url)}">{escape(s.name)}</a></li>'
        for s in catalog.sellers.values()
    )
    categories = sorted({item.category for item in catalog.items if item.searchable})
    links = "\n".join(
        f'<li><a href="/search?{escape(urlencode({"q": c}))}">{escape(c)}</a></li>'
        for c in categories
    )
    body = f"""<h1>Welcome to DemoMarket</h1>
<p>Browse <a href="/deals">today's deals</a> or search the catalog.</p>
<h2>Categories</h2><ul class="categories">{links}</ul>
<h2>Sellers</h2><ul class="sellers">{sellers}</ul>"""
    return layout("Home", body)


def _search_url(query: str, page: int) -> str:
    return "/search?" + urlencode({"q": query, "page": page})


def search(catalog: Catalog, query: str, page: int) -> str:
    """One page of results, with ``rel=prev/next`` links while there are more."""
    found = catalog.search(query)
    heading = f"""<h1>Search results</h1>
<p class="result-count">{len(found)} results for “{escape(query)}”</p>"""
    return _results_page(
        catalog, f"{query} - search", heading, found, page, lambda n: _search_url(query, n)
    )


def new_arrivals(catalog: Catalog, page: int) -> str:
    """The browse page marketplaces have besides search: every listing, newest first."""
    found = catalog.newest()
    heading = f"""<h1>New arrivals</h1>
<p class="result-count">{len(found)} listings</p>"""
    return _results_page(
        catalog, "New arrivals", heading, found, page, lambda n: "/new?" + urlencode({"page": n})
    )


def _results_page(
    catalog: Catalog,
    title: str,
    heading: str,
    found: list[Item],
    page: int,
    url_for: Callable[[int], str],
) -> str:
    pages = max(1, -(-len(found) // SEARCH_PAGE_SIZE))
    start = (page - 1) * SEARCH_PAGE_SIZE
    rows = "\n".join(_result(item, catalog) for item in found[start : start + SEARCH_PAGE_SIZE])
    pager = []
    if 1 < page <= pages + 1:
        pager.append(f'<a rel="prev" href="{escape(url_for(page - 1))}">Previous</a>')
    pager.append(f'<span class="page-number">Page {page} of {pages}</span>')
    if page < pages:
        pager.append(f'<a rel="next" class="next" href="{escape(url_for(page + 1))}">Next</a>')
    body = f"""{heading}
<ul class="results">
{rows}
</ul>
<nav class="pager">{" ".join(pager)}</nav>"""
    return layout(title, body)


def _result(item: Item, catalog: Catalog) -> str:
    seller = catalog.sellers[item.seller_id]
    badge = ' <span class="sponsored">Sponsored</span>' if item.sponsored else ""
    return (
        f'<li class="result" data-item-id="{escape(item.id)}">'
        f'<a class="result-link" href="{escape(item.url)}">{escape(item.title)}</a>'
        f' <span class="result-price">{escape(money(item.price, item.currency))}</span>'
        f' <span class="result-seller">{escape(seller.name)}</span>{badge}</li>'
    )


def seller(catalog: Catalog, account: Seller) -> str:
    rows = "\n".join(
        f'<li><a class="listing-link" href="{escape(item.url)}">{escape(item.title)}</a> '
        f"{escape(money(item.price, item.currency))}</li>"
        for item in catalog.seller_items(account.id)
    )
    heading = f'<h1 class="seller-name" data-seller-id="{escape(account.id)}">'
    body = f"""{heading}{escape(account.name)}</h1>
<p class="seller-rating">Rating {account.rating:.1f} / 5</p>
<ul class="seller-listings">
{rows}
</ul>"""
    return layout(account.name, body)


DEALS_SCRIPT = """
(async function () {
  const params = new URLSearchParams(window.location.search);
  const page = parseInt(params.get("page") || "1", 10) || 1;
  const grid = document.getElementById("deals");
  const pager = document.getElementById("deal-pager");
  try {
    const response = await fetch("/api/deals.json?page=" + page, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    const data = await response.json();
    for (const deal of data.items) {
      const card = document.createElement("a");
      card.className = "deal-card";
      card.href = deal.url;
      card.setAttribute("data-item-id", deal.id);
      const title = document.createElement("span");
      title.className = "deal-title";
      title.textContent = deal.title;
      const price = document.createElement("span");
      price.className = "deal-price";
      price.textContent = " " + deal.price_text;
      card.appendChild(title);
      card.appendChild(price);
      grid.appendChild(card);
    }
    if (data.next) {
      const next = document.createElement("a");
      next.rel = "next";
      next.href = data.next;
      next.textContent = "Next";
      pager.appendChild(next);
    }
    grid.setAttribute("data-state", "ready");
  } catch (error) {
    grid.textContent = "Could not load deals.";
    grid.setAttribute("data-state", "error");
  }
})();
"""


def deals_shell() -> str:
    """The JavaScript-rendered section: an empty container the inline script fills."""
    body = f"""<h1>Today's deals</h1>
<div id="deals" class="deal-grid" data-state="loading"></div>
<nav id="deal-pager" class="pager"></nav>
<noscript>Enable JavaScript to see today's deals.</noscript>
<script>{DEALS_SCRIPT}</script>"""
    return layout("Today's deals", body)


def deals_json(catalog: Catalog, page: int) -> dict[str, Any]:
    """The data behind ``/deals?page=N``."""
    deals = catalog.deals()
    pages = max(1, -(-len(deals) // DEALS_PAGE_SIZE))
    start = (page - 1) * DEALS_PAGE_SIZE
    items = [
        {
            "id": item.id,
            "title": item.title,
            "url": item.url,
            "price": f"{item.price:.2f}",
            "currency": item.currency,
            "price_text": money(item.price, item.currency),
        }
        for item in deals[start : start + DEALS_PAGE_SIZE]
    ]
    following = f"/deals?page={page + 1}" if page < pages else None
    return {"page": page, "pages": pages, "next": following, "items": items}


def message(title: str, text: str) -> str:
    """A short page for errors and the areas robots.txt closes (admin, cart)."""
    return layout(title, f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>")


def script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: a title containing ``</script>`` cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

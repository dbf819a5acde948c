"""Listing pages in the three markups real shops use: JSON-LD, microdata, and plain HTML.

All three share the visible markup (class names, ``data-price``) so profile selectors work as a
fallback; JSON-LD pages add ``<script type="application/ld+json">``, microdata pages add
``itemprop`` attributes, plain pages lazy-load images from ``data-src``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from demomarket.pages import layout, money, script_json

if TYPE_CHECKING:
    from demomarket.records import Item, Seller

SCHEMA = "https://schema.org/"
PLACEHOLDER = "/img/placeholder.gif"
LAZY_SCRIPT = (
    "<script>document.querySelectorAll('img.lazy[data-src]')"
    ".forEach(function (img) { img.src = img.getAttribute('data-src'); });</script>"
)


def _attrs(enabled: bool, text: str) -> str:
    """Microdata attributes, only on microdata pages."""
    return f" {text}" if enabled else ""


def jsonld(item: Item, seller: Seller, base_url: str) -> list[dict[str, Any]]:
    """The Product (with Offer and seller) and BreadcrumbList blocks, as shops publish them."""
    product: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item.title,
        "sku": item.id,
        "image": [urljoin(base_url, f"/img/{name}") for name in item.images],
        "description": item.description,
        "category": item.category,
        "offers": {
            "@type": "Offer",
            "url": urljoin(base_url, item.url),
            "price": f"{item.price:.2f}",
            "priceCurrency": item.currency,
            "availability": SCHEMA + item.availability,
            "seller": {
                "@type": "Organization",
                "name": seller.name,
                "identifier": seller.id,
                "url": urljoin(base_url, seller.url),
            },
        },
    }
    if item.brand:
        product["brand"] = {"@type": "Brand", "name": item.brand}
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": base_url},
            {"@type": "ListItem", "position": 2, "name": item.category},
        ],
    }
    return [product, crumbs]


def opengraph(item: Item, base_url: str) -> str:
    tags = {
        "og:type": "product",
        "og:title": item.title,
        "og:url": urljoin(base_url, item.url),
        "og:image": urljoin(base_url, f"/img/{item.images[0]}"),
        "og:description": item.description,
        "product:price:amount": f"{item.price:.2f}",
        "product:price:currency": item.currency,
    }
    return "".join(
        f'<meta property="{escape(k)}" content="{escape(v)}">\n' for k, v in tags.items()
    )


def _gallery(item: Item, micro: bool) -> str:
    if item.style == "plain":
        images = (
            f'<img class="listing-image lazy" src="{PLACEHOLDER}" '
            f'data-src="/img/{escape(name)}" alt="{escape(item.title)}">'
            for name in item.images
        )
    else:
        prop = _attrs(micro, 'itemprop="image"')
        alt = escape(item.title)
        images = (
            f'<img class="listing-image"{prop} src="/img/{escape(name)}" alt="{alt}">'
            for name in item.images
        )
    return '<div class="listing-gallery">' + "".join(images) + "</div>"


def _offer(item: Item, seller: Seller, micro: bool) -> str:
    offer = _attrs(micro, f'itemprop="offers" itemscope itemtype="{SCHEMA}Offer"')
    org = _attrs(micro, f'itemprop="seller" itemscope itemtype="{SCHEMA}Organization"')
    price = f"{item.price:.2f}"
    shown = escape(money(item.price, item.currency))
    if micro:
        shown = (
            f'<meta itemprop="priceCurrency" content="{escape(item.currency)}">'
            f'<span itemprop="price" content="{price}">{shown}</span>'
            f'<link itemprop="availability" href="{SCHEMA}{escape(item.availability)}">'
        )
    stock = "In stock" if item.availability == "InStock" else "Out of stock"
    identifier = f'<meta itemprop="identifier" content="{escape(seller.id)}">' if micro else ""
    currency = escape(item.currency)
    contact = f'<p class="seller-contact">{escape(seller.contact)}</p>\n' if seller.contact else ""
    return f"""<div class="listing-buy"{offer}>
<div class="listing-price" data-price="{price}" data-currency="{currency}">{shown}</div>
<span class="listing-availability">{stock}</span>
<div class="listing-seller"{org}>Sold by <a class="seller-link" href="{escape(seller.url)}" \
data-seller-id="{escape(seller.id)}"{_attrs(micro, 'itemprop="url"')}><span class="seller-name"\
{_attrs(micro, 'itemprop="name"')}>{escape(seller.name)}</span></a>{identifier}</div>
{contact}<a class="add-to-cart" href="/cart?add={escape(item.id)}" rel="nofollow">Add to cart</a>
</div>"""


def listing_page(item: Item, seller: Seller, base_url: str) -> str:
    """The page at ``/item/<id>`` in the item's markup style."""
    micro = item.style == "microdata"
    head = opengraph(item, base_url) if item.opengraph else ""
    if item.style == "jsonld":
        head += "".join(
            f'<script type="application/ld+json">{script_json(block)}</script>\n'
            for block in jsonld(item, seller, base_url)
        )
    brand = ""
    if micro and item.brand:
        brand = (
            f'<div itemprop="brand" itemscope itemtype="{SCHEMA}Brand">'
            f'<meta itemprop="name" content="{escape(item.brand)}"></div>'
        )
    product = _attrs(micro, f'itemscope itemtype="{SCHEMA}Product"')
    body = f"""<article class="listing" data-item-id="{escape(item.id)}"{product}>
<nav class="breadcrumb"><a href="/">Home</a> › <span class="listing-category"\
{_attrs(micro, 'itemprop="category"')}>{escape(item.category)}</span></nav>
<h1 class="listing-title"{_attrs(micro, 'itemprop="name"')}>{escape(item.title)}</h1>
<p class="listing-id">Item no. <span{_attrs(micro, 'itemprop="sku"')}>{escape(item.id)}</span></p>
{_gallery(item, micro)}
{_offer(item, seller, micro)}
<div class="listing-description"{_attrs(micro, 'itemprop="description"')}>\
{escape(item.description)}</div>
{brand}</article>
{LAZY_SCRIPT if item.style == "plain" else ""}"""
    return layout(item.title, body, head)

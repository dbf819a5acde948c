"""Find the product inside arbitrary page state JSON and read its fields by key names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction.model import Partial

MAX_NODES = 20_000
NEAR_NODES = 500
MAX_DEPTH = 40
LIST_ITEMS = 5
# Subtrees about other products or other things entirely.
_SKIP = re.compile(
    r"recommend|related|similar|review|breadcrumb|crosssell|upsell|sponsor|recentl|history|"
    r"footer|navigation|menu|cart|question|answer|comment|seo|tracking|analytics|i18n|locale"
)
# Price keys that are not the price a buyer pays now ('linePrice' is the struck-through one,
# 划线价; an 'onlinePrice' is current), nor one only some buyers pay: a membership's ('plusPrice',
# 'memberPrice'), a store card's or loyalty scheme's ('crmDiscountedPrice', 'cardPrice'), a
# wallet's or a subscription's. 'soldPrice' is what the item sells for, not an 'old' one; a
# 'marketPrice' (市场价) is the list price Chinese marketplaces strike through.
_NOT_PRICE = re.compile(
    r"original|was|list|(?<!s)old|strike|(?<!on)line|compare|regular|before|msrp|max|ship|deliver|tax|fee|"
    r"coupon|save|saving|install|unit|per|range|min(?!activity)|currency|symbol|type|label|text$|"
    r"member|plus|club|loyal|crm|card|wallet|subscri|prime|vip|(?<!super)market"
)
# 'priceInCents', 'centAmount', 'amountMinor': an amount in the currency's minor units.
_MINOR_KEY = re.compile(r"(?<!per)cent|minor")
_NOW_PRICE = re.compile(r"sale|activity|current|final|offer|deal|discount|promo|now|selling")
# 'discountedSalePrice' beside 'salePrice', 'finalPrice' beside 'offerPrice': the price after
# every discount, which the buyer pays.
_FINAL_PRICE = re.compile(r"discounted|final")
TITLE_KEYS = ("producttitle", "productname", "itemtitle", "goodsname", "title", "subject", "name")
KEYS: dict[str, tuple[str, ...]] = {
    "title": TITLE_KEYS,
    "description": ("description", "shortdescription", "longdescription", "productdescription"),
    "brand": ("brand", "brandname", "vendor"),
    "currency": ("currency", "currencycode", "currencyunit", "pricecurrency", "currencyid"),
    "availability": (
        "availability", "availabilitystatus", "stockstatus", "inventorystatus", "instock",
        "isinstock", "available", "isavailable",
    ),
    "sku": ("sku", "productsku", "itemsku", "skucode", "sellersku"),
    "gtin": ("gtin", "gtin13", "gtin12", "gtin14", "gtin8", "upc", "ean", "barcode"),
    "mpn": ("mpn", "manufacturerpartnumber", "partnumber"),
    "images": (
        "images", "imagelist", "imagepathlist", "allimages", "imageurls", "gallery",
        "galleryimages", "image", "imageurl", "mainimage", "mainimageurl",
    ),
    "category": ("category", "categoryname", "producttype"),
}  # fmt: skip
_IMAGE_URL_KEYS = ("url", "src", "imageurl", "large", "hires", "original", "full", "zoom")
_ATTR_NAME = ("attrname", "name", "key", "label", "propertyname")
_ATTR_VALUE = ("attrvalue", "value", "propertyvalue", "text")
_SELLER_NAME = ("name", "storename", "sellername", "shopname", "displayname", "sellerdisplayname")
_SELLER_ID = ("id", "sellerid", "storeid", "storenum", "storenumber", "shopid", "userid")
_SELLER_URL = ("url", "storeurl", "shopurl", "sellerurl", "storelink", "link")


def _key(name: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _walk(
    root: Any, max_depth: int, max_nodes: int = MAX_NODES
) -> Iterator[tuple[int, str, str, Any, bool]]:
    """Breadth-first (depth, key, parent key, value, inside a list); lists are transparent."""
    queue: list[tuple[int, str, str, Any, bool]] = [(0, "", "", root, False)]
    for seen, (depth, key, parent, value, in_list) in enumerate(queue):
        if seen > max_nodes:
            return
        yield depth, key, parent, value, in_list
        if depth >= max_depth or _SKIP.search(key):
            continue
        if isinstance(value, dict):
            queue.extend((depth + 1, _key(k), key, v, in_list) for k, v in value.items())
        elif isinstance(value, list):
            queue.extend((depth, key, parent, v, True) for v in value[:LIST_ITEMS])


def _is_price_key(key: str) -> bool:
    return "price" in key and not _NOT_PRICE.search(key.replace("price", ""))


def find_product(data: Any) -> tuple[tuple[int, ...], dict[str, Any]] | None:
    """The dict with a title within 2 levels and a price within 3, ranked: outside lists first,
    then most product fields nearby, then the deepest (most specific)."""
    best: tuple[tuple[int, ...], dict[str, Any]] | None = None
    for order, (depth, _, _, node, in_list) in enumerate(_walk(data, MAX_DEPTH)):
        if not isinstance(node, dict):
            continue
        near = [(d, k, v) for d, k, _, v, _ in _walk(node, 3, NEAR_NODES) if d > 0]
        has_title = any(k in TITLE_KEYS and isinstance(v, str) and d <= 2 for d, k, v in near)
        if not has_title or not any(_is_price_key(k) for _, k, _ in near):
            continue
        kinds = {f for f, keys in KEYS.items() for d, k, _ in near if k in keys}
        rank = (int(not in_list), len(kinds), depth, -order)
        if best is None or rank > best[0]:
            best = (rank, node)
    return best


# Objects describing one attribute of the product, a party or a page part ('color': {'name':
# 'Cammello'}, 'seller': {'name': ...}): their 'name' or 'title' is not the product's.
_ATTRIBUTE_OBJECT = re.compile(
    r"^(?:selected|current|main|primary|default)?(?:colou?rs?|sizes?|sellers?|shops?|stores?|"
    r"merchants?|vendors?|brands?|manufacturers?|makers?|categor(?:y|ies)|materials?|seasons?|"
    r"genders?|departments?|collections?|countr(?:y|ies)|currenc(?:y|ies)|authors?|users?|"
    r"reviews?|breadcrumbs?|images?|badges?|promotions?|labels?|tags?|attributes?)"
    r"(?:info|data|details?)?$"
)


def _first(root: dict[str, Any], keys: tuple[str, ...], accept: Any) -> Any:
    """Shallowest value under one of ``keys`` (earlier keys win at equal depth) that ``accept``s;
    a title is not read inside an attribute's or a party's object ('color': {'name': ...})."""
    hits = []
    for depth, key, parent, value, _ in _walk(root, 4):
        if keys is TITLE_KEYS and _ATTRIBUTE_OBJECT.match(parent):
            continue
        if key in keys and accept(value):
            hits.append((depth, keys.index(key), value))
    return min(hits, key=lambda h: (h[0], h[1]))[2] if hits else None


def _scalar(value: object) -> bool:
    return isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) and value != ""


def _price(root: dict[str, Any], minor_units: bool) -> object:
    hits = []
    for depth, key, parent, value, _ in _walk(root, 5):
        if "price" in parent and not _is_price_key(parent):
            continue  # wasPrice: {price: 99}
        in_price = _is_price_key(parent) or (parent.endswith("amount") and "max" not in parent)
        if _scalar(value) and (_is_price_key(key) or (in_price and key in ("value", "amount"))):
            now = bool(_NOW_PRICE.search(key + parent))
            hits.append((depth, not now, not _FINAL_PRICE.search(key), value, key))
    if not hits:
        return None
    _, _, _, value, key = min(hits, key=lambda h: (h[0], h[1], h[2]))
    if isinstance(value, int) and (minor_units or _MINOR_KEY.search(key)):
        return Decimal(value) / 100
    return value


def _images(value: object) -> list[object]:
    items = value if isinstance(value, list) else [value]
    urls: list[object] = []
    for item in items:
        if isinstance(item, dict):
            item = {_key(k): v for k, v in item.items()}
            urls.append(
                next((item[k] for k in _IMAGE_URL_KEYS if isinstance(item.get(k), str)), None)
            )
        else:
            urls.append(item)
    return [u for u in urls if isinstance(u, str)]


def _attribute(root: dict[str, Any], word: str) -> object:
    """A value from a specification list: [{"attrName": "Brand Name", "attrValue": "Acme"}]."""
    for _, _, _, value, in_list in _walk(root, 4):
        if in_list and isinstance(value, dict):
            item = {_key(k): v for k, v in value.items()}
            name = next((item[k] for k in _ATTR_NAME if isinstance(item.get(k), str)), "")
            if word in name.lower():
                return next((item[k] for k in _ATTR_VALUE if _scalar(item.get(k))), None)
    return None


def _seller(root: dict[str, Any]) -> dict[str, object] | None:
    """A seller/store object, else seller-prefixed keys on the product (sellerName, sellerId)."""
    flat = {_key(k): v for k, v in root.items() if _scalar(v)}
    names: tuple[str, ...] = _SELLER_NAME[1:]  # not the product's own name, id or url
    ids: tuple[str, ...] = _SELLER_ID[1:]
    urls: tuple[str, ...] = _SELLER_URL[1:]
    for _, key, _, value, _ in _walk(root, 3):
        if isinstance(value, dict) and re.search(r"seller|store|shop|merchant", key):
            flat = {_key(k): v for k, v in value.items() if _scalar(v)}
            names, ids, urls = _SELLER_NAME, _SELLER_ID, _SELLER_URL
            break
    seller = {
        "name": next((flat[k] for k in names if k in flat), None),
        "id": next((str(flat[k]) for k in ids if k in flat), None),
        "url": next((flat[k] for k in urls if k in flat), None),
    }
    return seller if seller["name"] or seller["id"] else None


# 'selectedVariant': "16012345" beside 'variants': [{id: ..., price: ...}]: the variant shown.
_SELECTED_KEYS = ("selectedvariant", "selectedvariantid", "currentvariant", "currentvariantid",
                  "selectedsku", "selectedskuid", "activevariant", "activevariantid",
                  "skuselected", "variantselected", "currentsku")  # fmt: skip
_VARIANT_ID_KEYS = ("id", "variantid", "skuid", "sku", "code")


def selected_variant(root: dict[str, Any]) -> dict[str, Any] | None:
    """The variant dict the page names as selected by its id, or None: a product's own price is
    often its first variant's, while the page shows the selected one."""
    own = _first(root, _SELECTED_KEYS, lambda v: isinstance(v, dict))
    if isinstance(own, dict) and any(_is_price_key(_key(k)) for k in own):
        return own  # 'sku_selected': {"sku_id": ..., "price": 14900}: the variant itself
    chosen = _first(root, _SELECTED_KEYS, _scalar)
    if chosen is None:
        return _flagged_variant(root)
    for _, _, _, value, in_list in _walk(root, 4):
        if in_list and isinstance(value, dict):
            ids = {str(v) for k, v in value.items() if _key(k) in _VARIANT_ID_KEYS and _scalar(v)}
            if str(chosen) in ids:
                return value
    return None


# Lists of a product's variants ('variants', 'skus', 'sizes', 'colorOptions'), not of its
# promotions or delivery choices, whose 'active' entry says nothing about the variant shown.
_VARIANT_LIST = re.compile(r"variant|sku|option|size|colou?r|model|combination|swatch")
_SELECTED_FLAGS = ("selected", "isselected", "active", "isactive", "current", "iscurrent")


def _flagged_variant(root: dict[str, Any]) -> dict[str, Any] | None:
    """The one variant in a list that flags itself chosen ({"id": ..., "price": ...,
    "selected": true}): with no id naming it elsewhere, the flag says which one the page shows."""
    for _, key, _, value, in_list in _walk(root, 4):
        if (
            in_list
            and _VARIANT_LIST.search(key)
            and isinstance(value, dict)
            and any(_key(k) in _SELECTED_FLAGS and v is True for k, v in value.items())
        ):
            return value
    return None


# SAP Commerce and similar shops name the product's own number 'code' ({"code": "0198244",
# "name": ...}), Chinese marketplaces 'goodsID' beside 'goodsName' or a listing's 'itemId'
# beside its 'title'; deeper, a 'code' is a category's, a store's or a currency's.
_OWN_CODE_KEYS = ("productcode", "itemcode", "goodsid", "itemid", "code")


def _own_code(root: dict[str, Any]) -> object:
    """The product's own 'code' key, read only on the product itself and only when it has
    digits ('0198244', not 'drills')."""
    for key in _OWN_CODE_KEYS:
        value = next((v for k, v in root.items() if _key(k) == key), None)
        if (
            isinstance(value, (str, int))
            and not isinstance(value, bool)
            and any(c.isdigit() for c in str(value))
        ):
            return str(value)
    return None


# A flag that the item is gone ('isSold': true on a classified listing, 'isSoldOut': false on
# a shop's product): read where the product states no availability key.
_SOLD_FLAGS = ("issoldout", "soldout", "issold", "isoutofstock", "outofstock")
# The product's own number under a bare key ('id', 'no', 'listingId'): an internal id as often
# as the shop's, so it counts only where it is a number the page URL's path carries as a whole
# part (a hash or a short token there is a key, not the number the shop shows).
_URL_ID_KEYS = ("id", "no", "productno", "goodsno", "listingid", "productid")


def _sold_flag(root: dict[str, Any]) -> str | None:
    """'SoldOut' where the product flags itself sold, 'InStock' where it flags itself not."""
    flag = _first(root, _SOLD_FLAGS, lambda v: isinstance(v, bool))
    return None if flag is None else "SoldOut" if flag else "InStock"


def _url_id(root: dict[str, Any], url: str) -> str | None:
    """The product's own id or number the URL path spells as one of its parts
    ('/p/aeron-chair-1721998345/', '/goods/5063110'): then it is the listing's number."""
    parts = set(re.split(r"[^0-9a-z]+", urlsplit(url).path.lower()))
    for key in _URL_ID_KEYS:
        value = next((v for k, v in root.items() if _key(k) == key), None)
        if (
            isinstance(value, (str, int))
            and not isinstance(value, bool)
            and len(str(value)) >= 5
            and str(value).isdigit()
            and str(value).lower() in parts
        ):
            return str(value)
    return None


def product_fields(
    found: tuple[tuple[int, ...], dict[str, Any]], *, minor_units: bool, url: str = ""
) -> Partial:
    root = found[1]
    minor_units = minor_units or declares_minor_units(root)
    fields: Partial = {}
    for field, keys in KEYS.items():
        if field == "images":
            fields[field] = _images(_first(root, keys, lambda v: bool(_images(v))))
        elif field == "availability":
            value = _first(root, keys, lambda v: _scalar(v) or isinstance(v, bool))
            fields[field] = (
                ("SoldOut" if value else "InStock")
                if _first(root, ("soldout",), lambda v: isinstance(v, bool)) is value
                and isinstance(value, bool)
                else value
            )
        elif field in ("brand", "category"):
            value = _first(root, keys, lambda v: _scalar(v) or isinstance(v, dict))
            fields[field] = value.get("name") if isinstance(value, dict) else value
            if field == "brand" and fields[field] is None:
                fields[field] = _attribute(root, "brand")
        else:
            fields[field] = _first(root, keys, _scalar)
    if fields["availability"] is None:
        fields["availability"] = _sold_flag(root)
    fields["sku"] = fields["sku"] or _own_code(root) or _url_id(root, url)
    variant = selected_variant(root)
    fields["price"] = (variant is not None and _price(variant, minor_units)) or _price(
        root, minor_units
    )
    fields["seller"] = _seller(root)
    return fields


# 'price_info': {"market_price": 29900, "unit": "fen"}: state naming its amounts' unit as the
# currency's minor one (fen, cents, paise, kopecks, pence, satang).
_UNIT_KEYS = ("unit", "priceunit", "amountunit", "moneyunit")
_MINOR_UNITS = frozenset({"fen", "分", "cent", "cents", "minor", "paise", "paisa", "kopek",
                          "kopeck", "kopecks", "pence", "penny", "satang"})  # fmt: skip


def declares_minor_units(root: dict[str, Any]) -> bool:
    """Whether the product's state says its amounts are in minor units ('unit': 'fen'): 29900
    is then ¥299.00, not ¥29,900."""
    return any(
        key in _UNIT_KEYS and isinstance(value, str) and value.strip().lower() in _MINOR_UNITS
        for _, key, _, value, _ in _walk(root, 4)
    )

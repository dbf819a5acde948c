"""Microdata (itemscope/itemprop) through extruct, converted to JSON-LD shape for one mapping."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from extruct.w3cmicrodata import MicrodataExtractor

from crawler.extraction.jsonld import find_product
from crawler.extraction.schema_org import product_fields

if TYPE_CHECKING:
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

log = logging.getLogger(__name__)
MAX_DEPTH = 12


def to_jsonld(item: object, depth: int = 0) -> object:
    """extruct's {"type": ..., "properties": {...}} items as {"@type": ..., ...} objects."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(item, list):
        return [to_jsonld(v, depth + 1) for v in item]
    if not isinstance(item, dict):
        return item
    if "properties" not in item:
        return item.get("value")
    node: dict[str, Any] = {"@type": item.get("type")}
    if item.get("id"):
        node["@id"] = item["id"]
    for name, value in item["properties"].items():
        node[name] = to_jsonld(value, depth + 1)
    return node


def extract(doc: Document) -> Partial:
    try:
        items = MicrodataExtractor().extract_items(doc.sel.root, doc.base)
    except (ValueError, TypeError, RecursionError) as exc:  # lxml cleaner on pathological trees
        log.info("microdata extraction failed on %s: %s", doc.url, exc)
        return {}
    product = find_product([to_jsonld(item) for item in items])
    return product_fields(product, doc.url) if product else {}

"""JSON-LD: every <script type="application/ld+json"> block, tolerating the usual breakage."""

from __future__ import annotations

import html
import json
import logging
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import jstyleson

from crawler.extraction.schema_org import is_product, product_fields

if TYPE_CHECKING:
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

log = logging.getLogger(__name__)

MAX_BLOCK_CHARS = 2_000_000
MAX_DEPTH = 12
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


def parse_block(text: str) -> Any:
    """One block as JSON; None when it is beyond repair. Numbers stay exact (Decimal)."""
    text = _WRAPPERS.sub("", text[:MAX_BLOCK_CHARS].strip())
    # Sites emit comments, trailing commas, raw newlines in strings, or entity-escaped JSON.
    for candidate in (text, html.unescape(text)):
        try:
            return json.loads(candidate, strict=False, parse_float=Decimal)
        except (ValueError, RecursionError):
            pass
        try:
            return jstyleson.loads(candidate, strict=False, parse_float=Decimal)
        except (ValueError, RecursionError, IndexError):
            pass
    return None


def blocks(doc: Document) -> list[Any]:
    """Every JSON-LD block that parses; a broken one is logged and skipped, never fatal."""
    parsed = []
    for script in doc.sel.xpath("//script[contains(translate(@type,'LDJSON','ldjson'),'ld+json')]"):
        data = parse_block(script.xpath("string()").get() or "")
        if data is None:
            log.info("skipping a JSON-LD block that is not valid JSON on %s", doc.url)
        else:
            parsed.append(data)
    return parsed


def _nodes(value: object, depth: int = 0) -> list[dict[str, Any]]:
    """All objects in document order: blocks, arrays and @graph flattened, nesting followed."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(value, list):
        return [node for item in value for node in _nodes(item, depth + 1)]
    if not isinstance(value, dict):
        return []
    found = [value]
    for child in value.values():
        found.extend(_nodes(child, depth + 1))
    return found


def _resolve(value: Any, index: dict[str, dict[str, Any]], depth: int = 0) -> Any:
    """Replace {"@id": ...} references (Yoast @graph style) by the objects they name."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, list):
        return [_resolve(v, index, depth + 1) for v in value]
    if isinstance(value, dict):
        if set(value) == {"@id"} and value["@id"] in index:
            value = index[value["@id"]]
        return {k: _resolve(v, index, depth + 1) for k, v in value.items()}
    return value


def find_product(data: list[Any]) -> dict[str, Any] | None:
    """The page's product: the first Product-typed object that is not merely an itemOffered."""
    nodes = _nodes(data)
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    products = [n for n in nodes if is_product(n)]
    if not products:
        return None
    variants = {id(v) for p in products for v in _list(p.get("hasVariant"))}
    main = [p for p in products if id(p) not in variants] or products
    best = next((p for p in main if p.get("name") or p.get("offers")), main[0])
    resolved: dict[str, Any] = _resolve(best, index)
    return resolved


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def extract(doc: Document) -> Partial:
    product = find_product(blocks(doc))
    return product_fields(product, doc.url) if product else {}

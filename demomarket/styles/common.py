"""What the shop styles share: URL slugs, paging and the seller of an item."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import urljoin

if TYPE_CHECKING:
    from demomarket.records import Item

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(item: Item) -> str:
    """``novaflex-aero-runner-1001``: the title in ASCII, then the item id (unique)."""
    ascii_title = unicodedata.normalize("NFKD", item.title).encode("ascii", "ignore").decode()
    words = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")[:60].strip("-")
    return f"{words}-{item.id}" if words else f"item-{item.id}"


def item_id_of(slug_text: str) -> str:
    """The item id at the end of a slug (``...-1001`` → ``1001``)."""
    return slug_text.rstrip("/").rsplit("-", 1)[-1]


def page_number(query: dict[str, list[str]], name: str = "page") -> int:
    raw = query.get(name, ["1"])[0]
    return max(1, min(int(raw), 10_000)) if raw.isdigit() and len(raw) < 7 else 1


def page_size(query: dict[str, list[str]], name: str, default: int, most: int) -> int:
    raw = query.get(name, [""])[0]
    return max(1, min(int(raw), most)) if raw.isdigit() and len(raw) < 7 else default


def chunk(items: list[Item], number: int, size: int) -> list[Item]:
    return items[(number - 1) * size : number * size]


def image_urls(item: Item, base_url: str) -> list[str]:
    return [urljoin(base_url, f"/img/{name}") for name in item.images]

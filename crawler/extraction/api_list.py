"""List pages that are JSON: store APIs (Shopify, WooCommerce) and pages holding JSON state.

A profile's ``api`` block names where the records are and how each becomes a listing URL.
The JSON is hostile input: its size is capped, nesting too deep for the parser is refused,
and values of the wrong type are reported (whole page) or skipped (one record), never raised
from deep inside the spider.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from config import limits
from config.json_path import MISSING, fill_template, parse_path, resolve
from crawler.extraction.document import parse_document
from crawler.extraction.embedded_state import states

if TYPE_CHECKING:
    from config.profile import ApiList

MAX_JSON_BYTES = limits.PAGE_MAX_BYTES
MAX_RECORDS = 1000  # records read from one page; a real API page holds at most a few hundred
MAX_DEPTH = 64  # nesting levels; store APIs use fewer than ten


class ApiPageError(ValueError):
    """The page is not the JSON the profile's ``api`` block describes; says what differs."""


@dataclass(frozen=True)
class ApiPage:
    """What one API list page yields: listing URLs, the next page (or None), records skipped."""

    links: tuple[str, ...]
    next_page: str | None
    skipped: int


def _depth(value: Any) -> int:
    """Nesting depth, counted without recursion (a hostile document may nest 100,000 deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest


def _kind(value: Any) -> str:
    return "nothing" if value is MISSING else type(value).__name__


def load_json(body: bytes) -> Any:
    """Parse a JSON body within the size and depth limits, or ApiPageError."""
    if len(body) > MAX_JSON_BYTES:
        raise ApiPageError(
            f"the JSON is {len(body)} bytes, over the {MAX_JSON_BYTES}-byte limit; refused"
        )
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except RecursionError:
        raise ApiPageError(f"the JSON nests deeper than {MAX_DEPTH} levels; refused") from None
    except ValueError as exc:
        raise ApiPageError(f"not JSON ({exc}); is the URL an API endpoint?") from None
    if _depth(data) > MAX_DEPTH:
        raise ApiPageError(f"the JSON nests deeper than {MAX_DEPTH} levels; refused")
    return data


def _document(body: bytes, url: str, api: ApiList, encoding: str | None) -> Any:
    if api.state is None:
        return load_json(body)
    wanted = api.state.removeprefix("window.")
    for state in states(parse_document(body, url, encoding)):
        if state.name.removeprefix("window.") == wanted:
            if _depth(state.data) > MAX_DEPTH:
                raise ApiPageError(f"{api.state} nests deeper than {MAX_DEPTH} levels; refused")
            return state.data
    raise ApiPageError(f"the page holds no {api.state} = {{...}} script; check api.state")


def next_by_param(url: str, param: str) -> str:
    """``url`` with the ``param`` query value plus one (1 when absent)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    current = next((value for key, value in query if key == param), "1")
    number = int(current) + 1 if current.isdigit() and len(current) < 7 else 2
    query = [(key, value) for key, value in query if key != param] + [(param, str(number))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def read_api_page(body: bytes, url: str, api: ApiList, encoding: str | None = None) -> ApiPage:
    """Listing URLs (absolute, in page order, no duplicates) and the next page's URL."""
    data = _document(body, url, api, encoding)
    records = resolve(data, parse_path(api.items))
    if not isinstance(records, list):
        raise ApiPageError(
            f"api.items {api.items!r} holds {_kind(records)}, not a list of records; "
            "check the path against the response"
        )
    links: dict[str, None] = {}
    skipped = 0
    for record in records[:MAX_RECORDS]:
        link = fill_template(api.link, record) if isinstance(record, dict) else None
        if link is None or len(link) > 2048:
            skipped += 1
            continue
        absolute = urljoin(url, link.strip())
        if urlsplit(absolute).scheme not in ("http", "https"):
            skipped += 1
            continue
        links[absolute] = None
    following: str | None = None
    if api.page_param and records:
        following = next_by_param(url, api.page_param)
    elif api.next_page:
        found = resolve(data, parse_path(api.next_page))
        if isinstance(found, str) and found.strip() and len(found) <= 2048:
            following = urljoin(url, found.strip())
    return ApiPage(tuple(links), following, skipped)

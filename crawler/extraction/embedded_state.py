"""Embedded JSON state: __NEXT_DATA__, window.__INITIAL_STATE__ = {...}, window.runParams, ..."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crawler.extraction.js_literal import function_states
from crawler.extraction.state_product import find_product, product_fields

if TYPE_CHECKING:
    from crawler.extraction.document import Document
    from crawler.extraction.model import Partial

MAX_SCRIPT_CHARS = 3_000_000
MAX_STATES = 20
# `window.x = {`, `var x = [`, `self.__x = JSON.parse("...")`: where a state object starts.
_ASSIGNMENT = re.compile(
    r"(?:^|[;\s(,])(?:var|let|const)?\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*=\s*"
    r"(JSON\.parse\(\s*)?(?=[\[{\"'])"
)
# Inside a JS object literal that is not JSON (`{ data: {...}, csrfToken: '...' }`): `data: {`.
_PROPERTY = re.compile(r"[{,]\s*([A-Za-z_$][\w$]*|\"[^\"\n]{1,80}\")\s*:\s*(?=\{)")
_DECODER = json.JSONDecoder(strict=False, parse_float=Decimal)


@dataclass(frozen=True)
class State:
    """One JSON value a page script holds, and the name it was assigned to."""

    name: str
    data: Any

    @property
    def minor_units(self) -> bool:
        """Shopify's analytics `meta` object states prices in cents (1999 = 19.99)."""
        return (
            self.name.rsplit(".", 1)[-1] == "meta"
            and isinstance(self.data, dict)
            and isinstance(self.data.get("product"), dict)
            and "variants" in self.data["product"]
        )


def _properties(script: str, start: int, name: str) -> list[State]:
    """JSON objects held by the properties of a JS object literal that is not JSON itself."""
    found, parsed_to = [], start
    for match in _PROPERTY.finditer(script, start):
        if match.end() < parsed_to:
            continue
        try:
            value, parsed_to = _DECODER.raw_decode(script, match.end())
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict) and value:
            found.append(State(f"{name}.{match.group(1).strip(chr(34))}", value))
        if len(found) >= MAX_STATES:
            break
    return found


def _assigned(script: str) -> list[State]:
    states = []
    for match in _ASSIGNMENT.finditer(script):
        start = match.end()
        try:
            value, _ = _DECODER.raw_decode(script, start)
        except (ValueError, RecursionError):
            if script[start] == "{":
                states.extend(_properties(script, start, match.group(1)))
            continue
        if match.group(2) and isinstance(value, str):  # JSON.parse("...") holds JSON in a string
            try:
                value = _DECODER.decode(value)
            except (ValueError, RecursionError):
                continue
        if isinstance(value, (dict, list)) and value:
            states.append(State(match.group(1), value))
    return states


def states(doc: Document) -> list[State]:
    """Every JSON object a script holds: whole application/json scripts, then assignments."""
    found: list[State] = []
    for script in doc.sel.xpath("//script[not(@src)]"):
        kind = (script.attrib.get("type") or "").lower()
        if "ld+json" in kind:
            continue
        text = (script.xpath("string()").get() or "")[:MAX_SCRIPT_CHARS]
        if "json" in kind:
            try:
                data = _DECODER.decode(text.strip())
            except (ValueError, RecursionError):
                continue
            found.append(State(script.attrib.get("id") or kind, data))
        elif "{" in text:
            found.extend(_assigned(text))
            if "function" in text:  # Nuxt's 'window.__NUXT__=(function(a){return {…}}(…))'
                found.extend(State(name, value) for name, value in function_states(text))
        if len(found) >= MAX_STATES:
            break
    return found[:MAX_STATES]


def extract(doc: Document) -> Partial:
    """Fields of the best-ranked product object across all the page's states."""
    best = None
    for state in states(doc):
        found = find_product(state.data)
        if found is not None and (best is None or found[0] > best[0][0]):
            best = (found, state)
    if best is None:
        return {}
    return product_fields(best[0], minor_units=best[1].minor_units, url=doc.url)

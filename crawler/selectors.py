"""Profile selectors: CSS (with ::text / ::attr()) or ``xpath:`` expressions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsel import Selector, SelectorList
    from scrapy.http import Response


def select(root: Response | Selector, expression: str) -> SelectorList[Selector]:
    if expression.startswith("xpath:"):
        return root.xpath(expression.removeprefix("xpath:"))
    return root.css(expression)


def select_all(root: Response | Selector, expression: str) -> list[str]:
    """Every non-empty value the expression yields, stripped, duplicates removed, order kept."""
    values = (value.strip() for value in select(root, expression).getall())
    return list(dict.fromkeys(value for value in values if value))

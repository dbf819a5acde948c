"""Where a structured single price is only a price range's low end copied: the cheapest
variant's or seller's price, not the one the page shows chosen."""

from __future__ import annotations

from crawler.extraction.model import Partial
from crawler.extraction.normalize import to_price


def copies_range_low(found: Partial, partials: list[tuple[str, Partial]]) -> bool:
    """Whether a single price is a range's low end copied ('og:price:amount' 699 of an
    AggregateOffer 699..899) while another source read a higher price within that range off
    the page: the cheapest variant's, not the one the page shows chosen."""
    price = to_price(found.get("price"))
    if price is None or found.get("price_high") is not None:
        return False
    for _, ranged in partials:
        low, high = to_price(ranged.get("price")), to_price(ranged.get("price_high"))
        if ranged is found or low != price or high is None or high <= low:
            continue
        for _, other in partials:
            shown = to_price(other.get("price")) if other.get("price_high") is None else None
            if shown is not None and low < shown <= high:
                return True
    return False

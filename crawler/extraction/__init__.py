"""Listing extraction: one product page's HTML in, one normalised ExtractedListing out.

Structured data first (JSON-LD, microdata, OpenGraph), then the page's JSON state, then the
marketplace profile's selectors, then visible-page heuristics; see ``combine`` for the order.
"""

from __future__ import annotations

from crawler.extraction.combine import extract_listing
from crawler.extraction.errors import PageLoadError, ProfileSelectorError
from crawler.extraction.model import ExtractedListing, ExtractedSeller
from crawler.extraction.page import MAX_PAGE_BYTES, load_page

__all__ = [
    "MAX_PAGE_BYTES",
    "ExtractedListing",
    "ExtractedSeller",
    "PageLoadError",
    "ProfileSelectorError",
    "extract_listing",
    "load_page",
]

"""Exceptions of the block-page handling."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class BlockedPage(IgnoreRequest):
    """The marketplace answered with a block page; the spider never sees it."""

"""Block and captcha pages: recognised and counted as ``blocked``, never read as listings."""

from __future__ import annotations

from crawler.blocks.classify import BlockClassifier, BlockReason, classify
from crawler.blocks.exceptions import BlockedPage

__all__ = ["BlockClassifier", "BlockReason", "BlockedPage", "classify"]

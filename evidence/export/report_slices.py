"""Cut a tall full-page screenshot into page-sized parts, so a printed report shows it legibly.

A full-page capture of a listing is often 4,000-10,000 px tall. Shrunk onto one A4 page it is a
thumbnail nobody can read; at full width it needs several pages. Chromium will not split one
image across printed pages, so the report does it: consecutive horizontal bands, each about one
page tall at full width, with a small overlap so no line of text is lost in a cut. The sealed
screenshot itself is unchanged (its hash is in the report); these bands are a view of it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from config.limits import IMAGE_MAX_PIXELS

# Printable A4 area at the report's margins is about 180 x 250 mm; leave room for a caption.
PAGE_ASPECT = 1.2  # a band's height / width
FIRST_ASPECT = 0.8  # the first band shares its page with the snapshot's facts table
OVERLAP = 24  # px repeated at the top of each continued band
MAX_PARTS = 12  # a page longer than this many bands is cut off, and the report says so


class ScreenshotUnreadable(ValueError):
    """The screenshot bytes are not an image Pillow can safely decode."""


@dataclass(frozen=True)
class ScreenshotPart:
    data: bytes  # PNG
    index: int  # 1-based
    count: int
    top: int  # px offset of this band in the original
    bottom: int


@dataclass(frozen=True)
class SlicedScreenshot:
    parts: list[ScreenshotPart]
    width: int
    height: int
    truncated: bool  # the page was taller than MAX_PARTS bands


def slice_screenshot(data: bytes) -> SlicedScreenshot:
    """Bands of ``data``, each at most ``PAGE_ASPECT`` times as tall as it is wide."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width <= 0 or height <= 0 or width * height > IMAGE_MAX_PIXELS:
                raise ScreenshotUnreadable(f"screenshot of {width}x{height} px is out of bounds")
            image.load()
            first, band = max(1, int(width * FIRST_ASPECT)), max(1, int(width * PAGE_ASPECT))
            tops = _band_tops(height, first, band)
            truncated = len(tops) > MAX_PARTS
            tops = tops[:MAX_PARTS]
            parts = []
            for number, top in enumerate(tops, start=1):
                bottom = min(height, top + (first if number == 1 else band))
                out = io.BytesIO()
                image.crop((0, top, width, bottom)).save(out, format="PNG", optimize=False)
                parts.append(ScreenshotPart(out.getvalue(), number, len(tops), top, bottom))
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, ScreenshotUnreadable):
            raise
        raise ScreenshotUnreadable(f"screenshot is not a readable image: {exc}") from None
    return SlicedScreenshot(parts, width, height, truncated)


def _band_tops(height: int, first: int, band: int) -> list[int]:
    """Top offsets of bands covering ``height`` px (the first ``first`` px tall, the rest
    ``band``), each overlapping the one before by ``OVERLAP``."""
    tops = [0]
    bottom = first
    while bottom < height and len(tops) <= MAX_PARTS:  # one past MAX_PARTS: truncated
        tops.append(max(tops[-1] + 1, bottom - OVERLAP))
        bottom = tops[-1] + band
    return tops

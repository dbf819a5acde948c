"""Small HTML pieces every part of the evidence report uses: escaping, scores, inline images.

Listing text is hostile: every value passes through ``esc`` (HTML-escaped, quotes included), and
images are inlined only for raster types.
"""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING

from evidence.export.report import INLINE_IMAGE_TYPES

if TYPE_CHECKING:
    from evidence.export.report import ImageFile


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def rounded(score: object) -> str:
    """A score as a reader takes it in: two decimals (the exact value is in the manifest)."""
    try:
        value = float(str(score))
    except ValueError:
        return esc(score)
    if value != value or value in (float("inf"), float("-inf")):
        return esc(score)
    return f"{value:.2f}"


def image(file: ImageFile | None, alt: str) -> str:
    if file is None:
        return f"<p><em>{esc(alt)}: not available</em></p>"
    if file.media_type not in INLINE_IMAGE_TYPES:
        return f"<p><em>{esc(alt)} ({esc(file.media_type)}) is not shown inline</em></p>"
    return png_img(file.data, alt, file.media_type)


def png_img(data: bytes, alt: str, media_type: str = "image/png") -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:{media_type};base64,{encoded}">'


def fingerprint(key_id: str) -> str:
    """The key's SHA-256 fingerprint in groups of four, as people compare them aloud."""
    return " ".join(key_id[i : i + 4] for i in range(0, len(key_id), 4))

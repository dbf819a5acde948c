"""Hostile image files a marketplace can serve: huge, bomb-sized and truncated ones.

Built byte by byte so they stay tiny in memory here while declaring what an attacker would.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from PIL import Image, ImageDraw

HUGE_SIDE = 9000  # 81 Mpx: under Pillow's bomb limit, yet far too big to process naively
BOMB_SIDE = 100_000  # 10 Gpx declared: Pillow refuses it with DecompressionBombError


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _png(width: int, height: int, rows: int, depth: int, colour_type: int, row_bytes: int) -> bytes:
    """A PNG declaring width x height whose IDAT holds ``rows`` blank rows."""
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    packer = zlib.compressobj(9)
    blank = b"\x00" * (row_bytes + 1)  # filter byte + pixels
    idat = b"".join(packer.compress(blank) for _ in range(rows)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def huge_png() -> bytes:
    """A complete, valid 9000 x 9000 1-bit PNG of a few kilobytes."""
    return _png(HUGE_SIDE, HUGE_SIDE, HUGE_SIDE, 1, 0, (HUGE_SIDE + 7) // 8)


def bomb_png() -> bytes:
    """A PNG header declaring 100000 x 100000 RGB pixels (30 GB decoded) with almost no data."""
    return _png(BOMB_SIDE, BOMB_SIDE, 4, 8, 2, BOMB_SIDE * 3)


def corrupt_jpeg() -> bytes:
    """A real JPEG cut short (no end marker) with trailing garbage: opens, then fails to load."""
    image = Image.new("RGB", (320, 240), (90, 60, 40))
    ImageDraw.Draw(image).ellipse([(60, 40), (260, 200)], fill=(200, 180, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    data = out.getvalue()
    return data[: len(data) * 2 // 5] + b"\x00\xde\xad\xbe\xef" * 8


FILES: dict[str, Callable[[], bytes]] = {
    "hostile-huge.png": huge_png,
    "hostile-bomb.png": bomb_png,
    "hostile-corrupt.jpg": corrupt_jpeg,
}

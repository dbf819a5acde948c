"""Decode untrusted image bytes safely: sniff, bound size and pixels, fully load, return RGB."""

from __future__ import annotations

import io
import threading
import warnings

from PIL import Image, ImageOps

from config.limits import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS
from detector.exceptions import UnsafeImageError

SUPPORTED = "JPEG, PNG, GIF, WebP, BMP"
_WARNING_FILTERS = threading.Lock()


def sniff_format(data: bytes) -> str | None:
    """Pillow format name from the magic bytes, or None for anything we do not accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:2] == b"BM":
        return "BMP"
    return None


def decode_image(
    data: bytes, *, max_bytes: int = IMAGE_MAX_BYTES, max_pixels: int = IMAGE_MAX_PIXELS
) -> Image.Image:
    """Return a fully loaded RGB image or raise ``UnsafeImageError`` saying what was wrong.

    The declared width x height is checked before any pixel is decoded, so a small file
    claiming a huge canvas (a decompression bomb) costs nothing. Only the first frame of
    an animation is decoded.
    """
    if len(data) > max_bytes:
        raise UnsafeImageError(
            f"image is {len(data)} bytes, over the {max_bytes}-byte limit; refused unread"
        )
    fmt = sniff_format(data)
    if fmt is None:
        raise UnsafeImageError(
            # Never the bytes themselves: they may be a local file's secrets (`root:x:0`).
            f"not a supported image: its first bytes match none of {SUPPORTED}"
        )
    # The warning filter is process-wide state that catch_warnings saves and restores: two
    # threads decoding at once (a crawl decodes photos on threads) would restore each other's
    # copies. One decode at a time holds it; the pixels are still decoded off the caller's thread.
    with _WARNING_FILTERS, warnings.catch_warnings():
        # Pillow warns (not raises) on moderately large images; treat that as refusal too.
        # Our own max_pixels check (default 40M) runs first and sits below Pillow's warning
        # level (~89M), so the process-wide warning filter matters only for raised limits.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            _check_header(data, fmt, max_pixels)
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                im.load()
                rgb = _to_rgb(_upright(im))
        except UnsafeImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise UnsafeImageError(f"decompression bomb refused by Pillow: {exc}") from exc
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
            # Pillow reports truncated/corrupt data as OSError ("image file is truncated"),
            # SyntaxError (bad chunk/CRC) or ValueError, depending on the plugin.
            raise UnsafeImageError(
                f"corrupt or truncated {fmt} data: {type(exc).__name__}: {exc}"
            ) from exc
    return rgb


def _check_header(data: bytes, fmt: str, max_pixels: int) -> None:
    """Read only the header: refuse empty or oversized canvases, then verify checksums."""
    with Image.open(io.BytesIO(data), formats=[fmt]) as im:
        width, height = im.size
        if width <= 0 or height <= 0:
            raise UnsafeImageError(f"{fmt} declares an empty canvas {width}x{height}")
        if width * height > max_pixels:
            raise UnsafeImageError(
                f"decompression bomb: {fmt} declares {width}x{height} = {width * height} pixels,"
                f" over the {max_pixels}-pixel limit"
            )
        if fmt == "PNG":
            im.verify()  # chunk CRCs: catches tampered/corrupt PNGs before decoding


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation so a rotated phone photo matches its upright original."""
    try:
        return ImageOps.exif_transpose(im) or im
    except (OSError, ValueError, TypeError, KeyError, SyntaxError):
        return im  # unreadable EXIF: keep the pixels as stored rather than refuse the image


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB with transparency flattened onto white (how product photos are shown)."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return im.convert("RGB")

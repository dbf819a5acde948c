"""Safe decoding of hostile image bytes: what is refused, and why, before any pixel is decoded."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import pytest
from PIL import Image

from detector.exceptions import DetectorError, UnsafeImageError
from detector.imagesafe import decode_image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares ``width x height`` followed by a tiny IDAT and IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP", "BMP"])
def test_supported_formats_decode_to_rgb(photo: Callable, encoded: Callable, fmt: str) -> None:
    data = encoded(photo(3, (120, 80)), fmt)
    im = decode_image(data)
    assert (im.mode, im.size) == ("RGB", (120, 80))


def test_transparency_is_flattened_onto_white(encoded: Callable) -> None:
    im = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    assert decode_image(encoded(im, "PNG")).getpixel((5, 5)) == (255, 255, 255)


def test_exif_orientation_is_applied(photo: Callable, encoded: Callable) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    data = encoded(photo(3, (120, 80)), "JPEG", exif=exif.tobytes())
    assert decode_image(data).size == (80, 120)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body>not an image</body></html>", "not a supported image"),
        (b"", "not a supported image"),
        (b"%PDF-1.7\n", "not a supported image"),
        (b"II*\x00" + b"\x00" * 100, "not a supported image"),  # TIFF is not accepted
    ],
)
def test_non_images_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(UnsafeImageError, match=reason):
        decode_image(data)


def test_truncated_jpeg_is_refused(photo: Callable, encoded: Callable) -> None:
    data = encoded(photo(3), "JPEG", quality=90)
    with pytest.raises(UnsafeImageError, match="truncated") as info:
        decode_image(data[: len(data) // 2])
    assert "JPEG" in info.value.reason


def test_corrupt_png_checksum_is_refused(photo: Callable, encoded: Callable) -> None:
    data = bytearray(encoded(photo(3, (64, 64)), "PNG"))
    data[40] ^= 0xFF  # inside the first IDAT: its CRC no longer matches
    with pytest.raises(UnsafeImageError, match="corrupt or truncated PNG"):
        decode_image(bytes(data))


@pytest.mark.parametrize("side", [100_000, 8_000])
def test_decompression_bomb_is_refused_from_its_header(side: int) -> None:
    # 100000^2 trips Pillow's own limit while opening; 8000^2 passes Pillow but not ours.
    bomb = png_header_only(side, side)
    assert len(bomb) < 200
    with pytest.raises(UnsafeImageError, match="decompression bomb"):
        decode_image(bomb)


def test_bomb_reason_names_the_declared_size() -> None:
    with pytest.raises(UnsafeImageError, match="declares 8000x8000 = 64000000 pixels"):
        decode_image(png_header_only(8_000, 8_000))


def test_pixel_limit_is_configurable(photo: Callable, encoded: Callable) -> None:
    data = encoded(photo(3, (100, 100)), "PNG")
    with pytest.raises(UnsafeImageError, match="over the 5000-pixel limit"):
        decode_image(data, max_pixels=5000)


def test_oversized_bytes_are_refused_unread() -> None:
    with pytest.raises(UnsafeImageError, match="over the 1000-byte limit"):
        decode_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, max_bytes=1000)


def test_unsafe_image_error_is_a_detector_error() -> None:
    assert issubclass(UnsafeImageError, DetectorError)


def test_pillow_bomb_warning_is_an_error_even_with_a_high_limit() -> None:
    with pytest.raises(UnsafeImageError, match="decompression bomb refused by Pillow"):
        decode_image(png_header_only(10_000, 10_000), max_pixels=10**9)

"""Reference images: checked before import (real, bounded), decoded safely for the detector."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from config.limits import IMAGE_MAX_PIXELS, REFERENCE_IMAGE_MAX_BYTES

MAX_IMAGE_BYTES = REFERENCE_IMAGE_MAX_BYTES  # larger than a listing image: see config/limits.py
MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
# Formats Pillow decodes itself; EPS and friends would shell out to external programs.
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")


class ImageRejected(ValueError):
    """An image file cannot be registered; the message says why and what to do."""


class ImageMissing(ImageRejected):
    """The image path does not exist (the importer adds where relative paths resolve)."""


@dataclass(frozen=True)
class CheckedImage:
    """An image file that decoded fine, with what the registry stores about it."""

    label: str
    data: bytes
    sha256: str
    media_type: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    """Open and fully decode ``data``, refusing oversized or unsupported images."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageRejected(
                    f"is {width}x{height} = {width * height / 1e6:.1f} Mpx, over the "
                    f"{MAX_IMAGE_PIXELS / 1e6:.0f} Mpx limit; scale it down"
                )
            image.load()
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(f"is too large to decode safely ({exc}); scale it down") from None
        except UnidentifiedImageError:
            raise ImageRejected(
                f"is not an image Pillow can read (supported: {', '.join(FORMATS)}); "
                "export it as PNG or JPEG"
            ) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected(f"is damaged or truncated ({exc}); export it again") from None
    return image


def check_image_file(path: Path) -> CheckedImage:
    """Read ``path`` and prove it is a real, bounded image before anything is written."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImageMissing("not found") from None
    except OSError as exc:
        raise ImageRejected(f"cannot be read ({exc.strerror})") from None
    if not path.is_file():
        raise ImageRejected("is not a regular file")
    if size > MAX_IMAGE_BYTES:
        raise ImageRejected(
            f"is {size / 2**20:.1f} MB, over the {MAX_IMAGE_BYTES // 2**20} MB limit; compress it"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageRejected(f"cannot be read ({exc.strerror})") from None
    image = _open(data)
    return CheckedImage(
        label=path.name,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=Image.MIME.get(image.format or "", "application/octet-stream"),
        width=image.width,
        height=image.height,
    )


def decode_rgb(data: bytes) -> Image.Image:
    """Stored bytes to an upright RGB image; transparency becomes white, as logos are shown."""
    image = ImageOps.exif_transpose(_open(data))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")

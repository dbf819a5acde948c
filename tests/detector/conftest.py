"""Shared fixtures for detector tests: registered assets and generated test photos."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from model import Asset, AssetKind, Listing, Seller


def make_photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A deterministic 'product photo': gradient background, coloured shapes, slight blur."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    channels = [(x / w * 255 * rng.random() + y / h * 255 * rng.random()) % 256 for _ in range(3)]
    im = Image.fromarray(np.stack(channels, -1).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(20, 120))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        else:
            draw.rectangle([cx - r, cy - r // 2, cx + r, cy + r // 2], fill=colour)
    return im.filter(ImageFilter.GaussianBlur(2))


def recompress(im: Image.Image, quality: int) -> Image.Image:
    """Round-trip through JPEG at ``quality``, as a marketplace upload would."""
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def encode(im: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


@pytest.fixture(scope="session")
def photo() -> Callable[..., Image.Image]:
    """Factory: ``photo(seed, size=(640, 480))`` -> a generated RGB photo."""
    return make_photo


@pytest.fixture(scope="session")
def jpeg() -> Callable[[Image.Image, int], Image.Image]:
    """Factory: ``jpeg(image, quality)`` -> the image after a JPEG round trip."""
    return recompress


@pytest.fixture(scope="session")
def encoded() -> Callable[..., bytes]:
    """Factory: ``encoded(image, "PNG")`` -> file bytes."""
    return encode


@pytest.fixture(scope="session")
def make_listing() -> Callable[..., Listing]:
    """Factory: ``make_listing(title, **fields)`` -> a Listing by an authorized seller at 99 EUR."""
    return listing


@pytest.fixture
def novaflex() -> Asset:
    return Asset(
        id="A-NOVAFLEX",
        owner="Novaflex GmbH",
        kind=AssetKind.WORD_MARK,
        name="NOVAFLEX",
        registration_number="EU018000001",
        jurisdiction="EU",
        keywords=("诺瓦弗莱",),
        authorized_sellers=("Novaflex Official", "nf-store-01"),
        price_floor=Decimal("80.00"),
        currency="EUR",
    )


@pytest.fixture
def lumora() -> Asset:
    return Asset(id="A-LUMORA", owner="Lumora SA", kind=AssetKind.WORD_MARK, name="LUMORA")


@pytest.fixture
def nova() -> Asset:
    return Asset(
        id="A-NOVA",
        owner="Nova Ltd",
        kind=AssetKind.WORD_MARK,
        name="NOVA",
        negative_keywords=("bossa nova", "nova scotia"),
    )


def listing(title: str, **kwargs: object) -> Listing:
    """A listing with sensible defaults for the fields a test does not care about."""
    defaults: dict[str, object] = {
        "id": "L-1",
        "marketplace": "demo",
        "url": "https://market.example/item/1",
        "seller": Seller(id="nf-store-01", name="Novaflex Official"),
        "price": Decimal("99.00"),
        "currency": "EUR",
    }
    defaults.update(kwargs)
    return Listing(title=title, **defaults)  # type: ignore[arg-type]

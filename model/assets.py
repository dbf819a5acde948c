"""Registered rights as the detector sees them (built from the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image


class AssetKind(StrEnum):
    """The kinds of registered rights a rights holder can ask us to watch."""

    WORD_MARK = "word_mark"
    FIGURATIVE_MARK = "figurative_mark"
    DESIGN_PATENT = "design_patent"
    UTILITY_PATENT = "utility_patent"
    PRODUCT_IMAGE = "product_image"


@dataclass(frozen=True)
class ReferenceImage:
    """A registered image (logo, patent drawing, official photo), decoded once."""

    sha256: str
    image: Image | None = None
    label: str = ""


@dataclass(frozen=True)
class Asset:
    """A registered asset as the detector sees it (built from the registry)."""

    id: str
    owner: str
    kind: AssetKind
    name: str
    registration_number: str | None = None
    jurisdiction: str | None = None
    classes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    negative_keywords: tuple[str, ...] = ()
    authorized_sellers: tuple[str, ...] = ()
    price_floor: Decimal | None = None
    currency: str | None = None
    claims: tuple[str, ...] = ()
    images: tuple[ReferenceImage, ...] = ()
    # True when ``authorized_sellers`` came from the owner's other assets (detector rule).
    sellers_from_owner: bool = False

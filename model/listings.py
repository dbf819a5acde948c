"""Data that flows into and out of the detector; plain dataclasses every package can share."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class Seller:
    id: str | None = None
    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ListingImage:
    """One image of a listing: where it came from, its digest, and the safely decoded pixels."""

    url: str
    sha256: str | None = None
    image: Image | None = None


@dataclass(frozen=True)
class Listing:
    """A marketplace listing, normalised. Its text is attacker-controlled: never trust it."""

    id: str
    marketplace: str
    url: str
    title: str
    description: str = ""
    brand: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    seller: Seller | None = None
    images: tuple[ListingImage, ...] = ()
    category: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Signal:
    """One reason a listing looks infringing; ``detail`` is a plain sentence for reviewers."""

    kind: str
    score: float
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A listing x asset pair with risk > 0 and the signals that produced it."""

    listing_id: str
    asset_id: str
    risk: float
    flagged: bool
    signals: tuple[Signal, ...]

    @property
    def id(self) -> str:
        """Deterministic, so a re-crawl updates the same finding instead of adding one."""
        return finding_id(self.listing_id, self.asset_id)


def finding_id(listing_id: str, asset_id: str) -> str:
    digest = hashlib.sha256(f"{listing_id}\x00{asset_id}".encode()).hexdigest()
    return f"F-{digest[:16]}"

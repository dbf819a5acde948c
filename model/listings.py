"""A marketplace listing: as the detector reads it (``Listing``) and as the store keeps it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from model.sellers import Seller

if TYPE_CHECKING:
    from datetime import datetime

    from PIL.Image import Image

MAX_TITLE = 1_000
MAX_DESCRIPTION = 50_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None, limit: int) -> str:
    """Listing text is hostile: drop control characters, normalise, cap the length."""
    if not value:
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value))
    return " ".join(text.split())[:limit]


def parse_price(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        price = Decimal(value)
    except InvalidOperation:
        return None
    return price if price.is_finite() and price >= 0 else None


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


class ListingChange(StrEnum):
    """What an upsert did, so the pipeline knows whether fresh evidence is needed."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    # Accepted into the local spool while the cluster was away; the change is not known yet.
    SPOOLED = "spooled"


class SellerRef:
    """Read-only seller fields of a stored record; the seller itself is stored once, by key."""

    marketplace: str
    seller_key: str | None
    seller: Seller | None

    def _seller_ref(self) -> None:
        """A seller given without its marketplace belongs to the record's; key it from that."""
        if self.seller is not None and not self.seller.marketplace:
            self.seller = replace(self.seller, marketplace=self.marketplace)
        if self.seller is not None and self.seller_key is None:
            self.seller_key = self.seller.key

    @property
    def seller_id(self) -> str | None:
        return self.seller.id if self.seller is not None else None

    @property
    def seller_name(self) -> str | None:
        return self.seller.name if self.seller is not None else None

    @property
    def seller_url(self) -> str | None:
        return self.seller.url if self.seller is not None else None


@dataclass
class ListingRecord(SellerRef):
    """A listing as the store keeps it; ``seller`` is hydrated from the sellers on read."""

    id: str
    marketplace: str
    url: str
    title: str
    content_hash: str
    first_seen: datetime
    last_seen: datetime
    description: str = ""
    price: str | None = None  # decimal string, never a float
    currency: str | None = None
    seller_key: str | None = None
    seller: Seller | None = None
    item_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the full extracted listing

    def __post_init__(self) -> None:
        self._seller_ref()

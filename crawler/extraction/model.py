"""The normalised record one listing page yields, and the partial records extractors return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Every extractor returns a Partial: raw candidate values keyed by these names (seller is a dict
# with name/id/url). The combiner normalises and checks them; extractors never have to.
FIELDS = (
    "title",
    "description",
    "brand",
    "price",
    "currency",
    "availability",
    "sku",
    "gtin",
    "mpn",
    "images",
    "seller",
    "category",
)
Partial = dict[str, Any]
# Sources whose text comes from JSON, where HTML entities are often left encoded ("&amp;").
JSON_SOURCES = frozenset({"jsonld", "embedded_state"})
STRUCTURED = frozenset({"jsonld", "microdata", "opengraph", "embedded_state"})


@dataclass(frozen=True)
class ExtractedSeller:
    """Who sells the listing, as the page states it."""

    name: str | None = None
    id: str | None = None
    url: str | None = None
    # Contact details the page shows for the seller, raw: {"email": ..., "phone": ...}.
    contacts: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "id": self.id, "url": self.url}
        if self.contacts:
            out["contacts"] = dict(self.contacts)
        return out


@dataclass(frozen=True)
class ExtractedListing:
    """One listing page, normalised; a field the page does not state is None (images: empty)."""

    url: str
    title: str | None = None
    description: str | None = None
    brand: str | None = None
    price: str | None = None
    currency: str | None = None
    availability: str | None = None
    sku: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    images: tuple[str, ...] = ()
    seller: ExtractedSeller | None = None
    category: str | None = None
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape: exactly these keys, price as a decimal string."""
        return {
            "url": self.url,
            "title": self.title,
            "description": self.description,
            "brand": self.brand,
            "price": self.price,
            "currency": self.currency,
            "availability": self.availability,
            "sku": self.sku,
            "gtin": self.gtin,
            "mpn": self.mpn,
            "images": list(self.images),
            "seller": self.seller.to_dict() if self.seller is not None else None,
        }

"""Plain records for the demo shop: sellers, rights holders, listings and their ground truth."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Style = Literal["jsonld", "microdata", "plain"]
STYLES: tuple[Style, ...] = ("jsonld", "microdata", "plain")

# What a listing is, so tests can pick cases; the detector never sees this.
Kind = Literal[
    "genuine",  # the authorized seller, normal price
    "disguised",  # brand written with homoglyphs, spacing, punctuation or typos
    "exact_unauthorized",  # the exact mark, an unauthorized seller, a price below the floor
    "copied_photo",  # an official product photo (resized, cropped, recompressed) on a no-name title
    "copied_logo",  # the registered logo reproduced on a product
    "unrelated",
    "hard_negative",  # shares a word with a mark but infringes nothing
    "hostile",  # attacker-style content that must not break the pipeline
]


@dataclass(frozen=True)
class Seller:
    """A shop account; ``url`` is relative to the server's base URL."""

    id: str
    name: str
    rating: float
    contact: str = ""  # a line the listing pages print under the seller ("WeChat: ...")

    @property
    def url(self) -> str:
        return f"/seller/{self.id}"


@dataclass(frozen=True)
class AssetSpec:
    """One registered asset of a rights holder, as written to the registry import file."""

    id: str
    kind: str
    name: str
    registration_number: str | None = None
    jurisdiction: str | None = None
    classes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    negative_keywords: tuple[str, ...] = ()
    price_floor: tuple[str, str] | None = None  # (amount, currency)
    image: str | None = None  # image name served under /img/ and written by the brand kit


@dataclass(frozen=True)
class Owner:
    """A rights holder with its authorized sellers (ids and display names) and assets."""

    name: str
    contact: str
    authorized_sellers: tuple[str, ...]
    assets: tuple[AssetSpec, ...]


@dataclass(frozen=True)
class Item:
    """One listing plus its ground truth (``expected_asset_ids``)."""

    id: str
    kind: Kind
    title: str
    seller_id: str
    price: Decimal
    currency: str
    images: tuple[str, ...]
    description: str
    category: str
    keywords: tuple[str, ...] = ()
    brand: str | None = None
    expected_asset_ids: tuple[str, ...] = ()
    searchable: bool = True  # False: reachable only through the JavaScript /deals section
    deal: bool = False
    sponsored: bool = False  # shown in every search, as marketplaces pad results with ads
    availability: str = "InStock"
    style: Style = "plain"
    opengraph: bool = False

    @property
    def expected_flag(self) -> bool:
        return bool(self.expected_asset_ids)

    @property
    def url(self) -> str:
        return f"/item/{self.id}"


@dataclass(frozen=True)
class Expectation:
    """What a correct detector concludes about one listing."""

    item_id: str
    path: str
    kind: Kind
    expected_flag: bool
    expected_asset_ids: frozenset[str]


def normalise(text: str) -> str:
    """Fold case, width and invisible characters, as marketplace search does."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())

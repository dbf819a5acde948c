"""Rules that adjust the risk of a brand-linked listing: seller allowlist, price floor, class."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from detector.categories import MAX_CATEGORY_CHARS, nice_class
from detector.model import Signal

if TYPE_CHECKING:
    from detector.categories import CategoryMap
    from detector.model import Asset, Listing, Seller
    from detector.settings import DetectionSettings

MAX_SHOWN_CATEGORY = 80


class SellerStatus(StrEnum):
    """Whether a listing's seller is on an asset's authorized list, or we cannot tell."""

    AUTHORIZED = "authorized"
    UNAUTHORIZED = "unauthorized"
    UNKNOWN = "unknown"


def seller_key(value: str) -> str:
    """Compare seller ids/names by width, case and spacing only.

    Lookalike letters and accents are NOT folded here: "N0vaflex Store" posing as the
    authorized "Novaflex Store" must stay a different seller.
    """
    text = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(text.split()).strip(" .,;:-_")


def seller_status(asset: Asset, seller: Seller | None) -> SellerStatus:
    """UNKNOWN when the asset has no allowlist or the listing names no seller."""
    if not asset.authorized_sellers or seller is None:
        return SellerStatus.UNKNOWN
    names = {seller_key(v) for v in (seller.id, seller.name) if v and seller_key(v)}
    if not names:
        return SellerStatus.UNKNOWN
    allowed = {seller_key(v) for v in asset.authorized_sellers}
    return SellerStatus.AUTHORIZED if names & allowed else SellerStatus.UNAUTHORIZED


def unauthorized_seller_signal(asset: Asset, seller: Seller | None) -> Signal | None:
    """A signal when the seller is not on the asset's non-empty authorized list."""
    if seller is None or seller_status(asset, seller) is not SellerStatus.UNAUTHORIZED:
        return None
    shown = seller.name or seller.id
    ident = f" (id {seller.id})" if seller.id and seller.name else ""
    n = len(asset.authorized_sellers)
    return Signal(
        kind="unauthorized_seller",
        score=1.0,
        detail=(
            f"Seller '{shown}'{ident} is not one of the {n} authorized seller"
            f"{'s' if n != 1 else ''} of {asset.name}."
        ),
        evidence={
            "seller_id": seller.id,
            "seller_name": seller.name,
            "seller_url": seller.url,
            "authorized_sellers": list(asset.authorized_sellers),
        },
    )


def below_price_floor_signal(
    asset: Asset, listing: Listing, settings: DetectionSettings
) -> Signal | None:
    """A signal when the price is under floor x ratio in the same currency.

    Different currencies give no signal: we hold no exchange rates, and a guessed rate
    would put a wrong number into evidence.
    """
    if asset.price_floor is None or listing.price is None:
        return None
    if not asset.currency or not listing.currency:
        return None
    if asset.currency.strip().upper() != listing.currency.strip().upper():
        return None
    ratio = Decimal(str(settings.price_floor_ratio))
    limit = asset.price_floor * ratio
    if limit <= 0 or listing.price >= limit:
        return None
    shortfall = float(max(Decimal(0), min(Decimal(1), 1 - listing.price / limit)))
    cur = listing.currency.strip().upper()
    return Signal(
        kind="below_price_floor",
        score=round(0.5 + 0.5 * shortfall, 4),
        detail=(
            f"Price {listing.price} {cur} is {shortfall:.0%} below the floor of {limit} {cur}"
            f" set for {asset.name} (floor {asset.price_floor} x ratio {ratio})."
        ),
        evidence={
            "price": str(listing.price),
            "currency": cur,
            "floor": str(asset.price_floor),
            "ratio": str(ratio),
            "limit": str(limit),
            "shortfall": round(shortfall, 4),
        },
    )


def class_mismatch_signal(
    asset: Asset, listing: Listing, categories: CategoryMap, settings: DetectionSettings
) -> Signal | None:
    """A score-0 signal when the listing's category lies outside every class of the mark.

    Nothing when the asset lists no Nice class or the category maps to no known class: an
    unknown category says nothing about the goods, and v1 never guesses them from the title.
    """
    registered = sorted({c for c in map(nice_class, asset.classes) if c}, key=int)
    found = categories.classes_for(listing.category)
    if not registered or not found.classes or found.classes & set(registered):
        return None
    listed = sorted(found.classes, key=int)
    category = " ".join((listing.category or "").split())
    if len(category) > MAX_SHOWN_CATEGORY:
        category = category[: MAX_SHOWN_CATEGORY - 1] + "…"
    mark = asset.name.upper() if asset.name.isascii() else asset.name
    plural = "es" if len(listed) > 1 else ""
    return Signal(
        kind="class_mismatch",
        score=0.0,
        detail=(
            f"Listing category '{category}' (Nice class{plural} {', '.join(listed)}) is outside"
            f" the classes {', '.join(registered)} the mark {mark} is registered for;"
            " likely an unrelated use of the word."
        ),
        evidence={
            "category": (listing.category or "")[:MAX_CATEGORY_CHARS],
            "category_words": list(found.words),
            "listing_classes": listed,
            "asset_classes": registered,
            "factor": settings.class_mismatch_factor,
        },
    )

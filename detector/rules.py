"""Rules that raise the risk of a brand-linked listing: seller allowlist and price floor."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from detector.model import Signal

if TYPE_CHECKING:
    from detector.model import Asset, Listing, Seller
    from detector.settings import DetectionSettings


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

"""Rules that adjust the risk of a brand-linked listing: seller allowlist, price floor, class."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from detector.categories import MAX_CATEGORY_CHARS, MAX_TITLE_CHARS, nice_class
from detector.generic_words import is_word_mark_a_word
from model import Signal

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from detector.categories import CategoryMap
    from detector.settings import DetectionSettings
    from model import Asset, Listing, Seller

MAX_SHOWN_CATEGORY = 80
MAX_SHOWN_WORDS = 5


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


def owner_wide_sellers(assets: Mapping[str, Asset]) -> dict[str, Asset]:
    """Each asset with the sellers its owner authorized, unless it names its own.

    The owner's sellers are every seller named on any of its assets: rights holders list
    them once, usually on the word mark, and the same shops sell the goods that carry the
    logo and the official photos. An asset whose own list is non-empty says otherwise and
    keeps it.
    """
    by_owner: dict[str, dict[str, str]] = {}
    for asset in assets.values():
        known = by_owner.setdefault(asset.owner, {})
        for name in asset.authorized_sellers:
            known.setdefault(seller_key(name), name)
    return {
        asset_id: asset
        if asset.authorized_sellers or not by_owner[asset.owner]
        else replace(
            asset,
            authorized_sellers=tuple(by_owner[asset.owner].values()),
            sellers_from_owner=True,
        )
        for asset_id, asset in assets.items()
    }


def authorized_seller_signal(asset: Asset, seller: Seller | None) -> Signal | None:
    """Say so when the seller is authorized: a reviewer must see why the risk is low.

    Score 0: it links nothing and adds nothing; scoring reads the seller's status itself.
    """
    if seller is None or seller_status(asset, seller) is not SellerStatus.AUTHORIZED:
        return None
    shown = seller.name or seller.id
    where = (
        f"one of the sellers {asset.owner} authorized"
        if asset.sellers_from_owner
        else f"on the authorized list of {asset.name}"
    )
    return Signal(
        kind="authorized_seller",
        score=0.0,
        detail=(
            f"Seller '{shown}' is {where}: official photos, logos and the mark are expected on"
            " its listings."
        ),
        evidence={
            "seller_id": seller.id,
            "seller_name": seller.name,
            "owner": asset.owner,
            "owner_wide": asset.sellers_from_owner,
        },
    )


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
            f"{'s' if n != 1 else ''} of {asset.owner if asset.sellers_from_owner else asset.name}."
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
    asset: Asset,
    listing: Listing,
    categories: CategoryMap,
    settings: DetectionSettings,
    *,
    mark_spans: Iterable[tuple[int, int]] = (),
) -> Signal | None:
    """A score-0 signal when the listing's goods lie outside every class of the mark.

    The goods come from the listing's category when it maps to known classes, otherwise from
    the goods words of its title, read without the mark itself (``mark_spans``: its
    (start, end) offsets in the title; every plain occurrence of the asset's name is skipped
    too) and without what an accessory fits ("case for X phone" names a case). Nothing when
    the asset lists no Nice class, neither source names known goods, or the mark is a coined
    name rather than a word ("Lumora" on a book is still the brand; "Saffron" on rice is the
    spice). Scoring applies it to plain matches only: a disguised word is never everyday use.
    """
    registered = sorted({c for c in map(nice_class, asset.classes) if c}, key=int)
    if not registered or not is_word_mark_a_word(asset.name):
        return None  # a coined mark means the brand on any goods: nothing to weaken
    source = "category"
    found = categories.classes_for(listing.category)
    if not found.classes:
        source = "title"
        found = categories.classes_for_title(
            listing.title, exclude=mark_spans, ignore=(asset.name,)
        )
    if not found.classes or found.classes & set(registered):
        return None
    listed = sorted(found.classes, key=int)
    mark = asset.name.upper() if asset.name.isascii() else asset.name
    classes = f"(Nice class{'es' if len(listed) > 1 else ''} {', '.join(listed)})"
    tail = (
        f"the classes {', '.join(registered)} the mark {mark} is registered for; likely an"
        " unrelated use of the word (weakens a plain match only)."
    )
    evidence: dict[str, object] = {"source": source}
    if source == "category":
        detail = f"Listing category '{_shown(listing.category or '')}' {classes} is outside {tail}"
        evidence["category"] = (listing.category or "")[:MAX_CATEGORY_CHARS]
        evidence["category_words"] = list(found.words)
    else:
        words = ", ".join(f"'{w}'" for w in found.words[:MAX_SHOWN_WORDS])
        more = " and more" if len(found.words) > MAX_SHOWN_WORDS else ""
        detail = (
            f"Listing has no known category; its title names the goods {words}{more} {classes},"
            f" outside {tail}"
        )
        evidence["title"] = listing.title[:MAX_TITLE_CHARS]
        evidence["title_words"] = list(found.words)
    evidence |= {
        "listing_classes": listed,
        "asset_classes": registered,
        "factor": settings.class_mismatch_factor,
    }
    return Signal(kind="class_mismatch", score=0.0, detail=detail, evidence=evidence)


def _shown(text: str) -> str:
    """Whitespace collapsed and cut for a one-line explanation."""
    text = " ".join(text.split())
    if len(text) > MAX_SHOWN_CATEGORY:
        text = text[: MAX_SHOWN_CATEGORY - 1] + "…"
    return text

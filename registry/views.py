"""Read-only snapshots of registry rows, safe to hand out after the session is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from model import AssetKind
from registry import models


@dataclass(frozen=True)
class ImageView:
    """Metadata of a stored reference image (the bytes stay in the database)."""

    position: int
    label: str
    sha256: str
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class AssetView:
    """An asset with its owner's name, as the CLI and the review app list it."""

    id: str
    owner: str
    kind: AssetKind
    name: str
    registration_number: str | None
    jurisdiction: str | None
    classes: tuple[str, ...]
    keywords: tuple[str, ...]
    negative_keywords: tuple[str, ...]
    authorized_sellers: tuple[str, ...]
    price_floor_amount: Decimal | None
    price_floor_currency: str | None
    claims: tuple[str, ...]
    valid_from: date | None
    valid_until: date | None
    created: datetime
    images: tuple[ImageView, ...]

    def is_valid_on(self, day: date) -> bool:
        """True when the right is in force on ``day`` (open-ended dates count as in force)."""
        starts_ok = self.valid_from is None or self.valid_from <= day
        return starts_ok and (self.valid_until is None or day <= self.valid_until)


def asset_view(row: models.Asset) -> AssetView:
    return AssetView(
        id=row.id,
        owner=row.owner.name,
        kind=AssetKind(row.kind),
        name=row.name,
        registration_number=row.registration_number,
        jurisdiction=row.jurisdiction,
        classes=tuple(row.classes or ()),
        keywords=tuple(row.keywords or ()),
        negative_keywords=tuple(row.negative_keywords or ()),
        authorized_sellers=tuple(row.authorized_sellers or ()),
        price_floor_amount=row.price_floor_amount,
        price_floor_currency=row.price_floor_currency,
        claims=tuple(row.claims or ()),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        created=row.created,
        images=tuple(
            ImageView(
                position=image.position,
                label=image.label,
                sha256=image.sha256,
                media_type=image.media_type,
                width=image.width,
                height=image.height,
            )
            for image in row.images
        ),
    )

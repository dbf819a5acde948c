"""Build the detector's Asset dataclasses from registry rows, decoding each stored image once."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from model import Asset, AssetKind, ReferenceImage
from registry import models
from registry.exceptions import RegistryError
from registry.images import ImageRejected, decode_rgb

if TYPE_CHECKING:
    from PIL.Image import Image


def _check_digest(row: models.AssetImage) -> None:
    """Every row is checked, even when the same digest was already decoded from another row."""
    if hashlib.sha256(row.data).hexdigest() != row.sha256:
        raise RegistryError(
            f"asset {row.asset_id!r} image {row.position} ({row.label}) no longer matches its "
            "sha256: the database was altered; re-import the asset"
        )


def _decode(row: models.AssetImage) -> Image:
    try:
        return decode_rgb(row.data)
    except ImageRejected as exc:
        raise RegistryError(
            f"asset {row.asset_id!r} image {row.position} ({row.label}) {exc}; re-import the asset"
        ) from None


def to_detector_assets(rows: list[models.Asset]) -> list[Asset]:
    """Rows (with owner and images loaded) to detector assets sharing decoded pixels by digest."""
    decoded: dict[str, Image] = {}
    assets = []
    for row in rows:
        references = []
        for image in row.images:
            _check_digest(image)
            if image.sha256 not in decoded:
                decoded[image.sha256] = _decode(image)
            references.append(ReferenceImage(image.sha256, decoded[image.sha256], image.label))
        assets.append(
            Asset(
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
                price_floor=row.price_floor_amount,
                currency=row.price_floor_currency,
                claims=tuple(row.claims or ()),
                images=tuple(references),
            )
        )
    return assets

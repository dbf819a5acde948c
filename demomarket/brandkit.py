"""Write the demo rights holders' registry import file and official images to a folder.

``ipwatch assets import <dir>/registry.yaml`` then registers exactly the assets whose ids the
catalog's ground truth expects.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from demomarket import images
from demomarket.catalog import CATALOG, Catalog

if TYPE_CHECKING:
    from demomarket.records import AssetSpec, Owner

IMAGE_DIR = "images"


def _asset(asset: AssetSpec, owner: Owner) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": asset.id, "kind": asset.kind, "name": asset.name}
    if asset.registration_number:
        entry["registration_number"] = asset.registration_number
    if asset.jurisdiction:
        entry["jurisdiction"] = asset.jurisdiction
    if asset.classes:
        entry["classes"] = list(asset.classes)
    if asset.keywords:
        entry["keywords"] = list(asset.keywords)
    if asset.negative_keywords:
        entry["negative_keywords"] = list(asset.negative_keywords)
    entry["authorized_sellers"] = list(owner.authorized_sellers)
    if asset.price_floor:
        amount, currency = asset.price_floor
        entry["price_floor"] = {"amount": amount, "currency": currency}
    if asset.image:
        entry["images"] = [f"{IMAGE_DIR}/{asset.image}"]
    if asset.kind in ("word_mark", "figurative_mark"):
        entry["valid_from"] = date(2020, 1, 1)
        entry["valid_until"] = date(2030, 12, 31)
    return entry


def registry_document(catalog: Catalog = CATALOG) -> dict[str, Any]:
    """The registry import document (agreed YAML/JSON contract) for the catalog's owners."""
    return {
        "owners": [
            {
                "name": owner.name,
                "contact": owner.contact,
                "assets": [_asset(asset, owner) for asset in owner.assets],
            }
            for owner in catalog.owners
        ]
    }


def write_brand_kit(directory: str | Path, catalog: Catalog = CATALOG) -> Path:
    """Write ``registry.yaml`` and ``images/*.png`` into ``directory``; returns the YAML path."""
    root = Path(directory)
    (root / IMAGE_DIR).mkdir(parents=True, exist_ok=True)
    for owner in catalog.owners:
        for asset in owner.assets:
            if asset.image:
                data, _media = images.cached(asset.image)
                (root / IMAGE_DIR / asset.image).write_bytes(data)
    path = root / "registry.yaml"
    text = yaml.safe_dump(registry_document(catalog), allow_unicode=True, sort_keys=False)
    path.write_text(
        "# Demo rights holders for the DemoMarket shop; import with:\n"
        "#   ipwatch assets import registry.yaml\n" + text,
        encoding="utf-8",
    )
    return path

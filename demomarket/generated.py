"""A demo shop of any size, for throughput benchmarks: N listings, one photo each, a few copies.

Every listing has its own unrelated still-life photo (``gen-bulk-<n>.jpg``) except one in
``1 / share`` (0.5 % by default), which is one of the demo shop's infringing listings under a
new id with its first photo; all are on the "new arrivals" pages, so one section crawl reaches
them. The rights holders and sellers are the demo shop's, so its brand kit is the registry.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from demomarket.catalog import CATALOG, Catalog
from demomarket.records import Item

GOODS = ("desk organiser", "water bottle", "phone stand", "yoga mat", "travel mug", "umbrella")


def generated_catalog(listings: int, infringing_share: float = 0.005) -> Catalog:
    """``listings`` items with ids 200000 and up; ``ValueError`` for a size under 1."""
    if listings < 1 or not 0.0 <= infringing_share <= 1.0:
        raise ValueError(
            f"listings must be >= 1 and infringing_share in [0, 1], got {listings} and"
            f" {infringing_share}"
        )
    copies = [item for item in CATALOG.items if item.expected_flag and item.searchable]
    every = round(1 / infringing_share) if infringing_share > 0 else 0
    items = []
    for n in range(listings):
        item_id = str(200_000 + n)
        if every and n % every == every // 2:
            source = copies[(n // every) % len(copies)]
            items.append(
                dataclasses.replace(
                    source, id=item_id, images=source.images[:1], deal=False, sponsored=False
                )
            )
            continue
        goods = GOODS[n % len(GOODS)]
        items.append(
            Item(
                id=item_id,
                kind="unrelated",
                title=f"Plain {goods} no. {n}",
                seller_id="bargainhub",
                price=Decimal("19.00") + n % 50,
                currency="USD",
                images=(f"gen-bulk-{n}.jpg",),
                description=f"A sturdy {goods} for every day. Ships in two days.",
                category="home",
                keywords=(goods,),
            )
        )
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), tuple(items))

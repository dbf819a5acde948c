"""The demo shop grown to thousands of listings, for distributed and load tests.

Filler listings copy the catalog's plain, unflagged listings (ground truth: nothing to flag)
under new ids and numbered titles; the original listings, flagged ones included, stay.
"""

from __future__ import annotations

from dataclasses import replace

from demomarket.catalog import CATALOG, Catalog


def grown(total: int, base: Catalog = CATALOG) -> Catalog:
    """``base`` plus filler up to ``total`` listings (``base`` itself when already that big)."""
    templates = [
        item
        for item in base.items
        if not item.expected_flag and item.searchable and not item.sponsored and not item.deal
    ]
    if not templates:
        raise ValueError("demo catalog: no plain unflagged listing to copy as filler")
    filler = tuple(
        replace(
            templates[n % len(templates)],
            id=f"filler-{n:05d}",
            title=f"{templates[n % len(templates)].title} no. {n}",
        )
        for n in range(max(0, total - len(base.items)))
    )
    return Catalog(base.owners, tuple(base.sellers.values()), base.items + filler)

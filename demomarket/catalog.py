"""The demo shop's catalog: queries over listings, sellers and owners, and the ground truth."""

from __future__ import annotations

from dataclasses import replace

from demomarket.inventory import ITEMS, OWNERS, SELLERS
from demomarket.records import (
    STYLES,
    AssetSpec,
    Expectation,
    Item,
    Owner,
    Seller,
    normalise,
)


class Catalog:
    """Read-only queries over the shop's data; pages and tests both go through it."""

    def __init__(
        self, owners: tuple[Owner, ...], sellers: tuple[Seller, ...], items: tuple[Item, ...]
    ) -> None:
        self.owners = owners
        self.sellers = {seller.id: seller for seller in sellers}
        self.items = tuple(
            replace(item, style=STYLES[index % 3], opengraph=index % 2 == 0)
            for index, item in enumerate(items)
        )
        self._by_id = {item.id: item for item in self.items}
        self._check()

    def _check(self) -> None:
        asset_ids = {asset.id for owner in self.owners for asset in owner.assets}
        if len(self._by_id) != len(self.items):
            raise ValueError("demo catalog: duplicate item ids")
        for item in self.items:
            if item.seller_id not in self.sellers:
                raise ValueError(f"demo catalog: item {item.id} has unknown seller")
            unknown = set(item.expected_asset_ids) - asset_ids
            if unknown:
                raise ValueError(f"demo catalog: item {item.id} expects unknown assets {unknown}")

    def item(self, item_id: str) -> Item | None:
        return self._by_id.get(item_id)

    def seller(self, seller_id: str) -> Seller | None:
        return self.sellers.get(seller_id)

    def seller_items(self, seller_id: str) -> list[Item]:
        """Listings shown on a seller page (deal-only listings stay hidden there)."""
        return [i for i in self.items if i.seller_id == seller_id and i.searchable]

    def search(self, query: str) -> list[Item]:
        """Loose substring search over title and keywords, sponsored listings first."""
        needle = normalise(query)
        matched = [
            item
            for item in self.items
            if item.searchable
            and (
                needle in normalise(item.title)
                or any(needle in normalise(word) for word in item.keywords)
            )
        ]
        sponsored = [item for item in self.items if item.sponsored and item not in matched]
        return sponsored + matched

    def newest(self) -> list[Item]:
        """Every listing search can find, newest (highest id) first: the "new arrivals" page."""
        return sorted((i for i in self.items if i.searchable), key=lambda i: i.id, reverse=True)

    def deals(self) -> list[Item]:
        return [item for item in self.items if item.deal]

    def asset(self, asset_id: str) -> AssetSpec | None:
        return next((a for o in self.owners for a in o.assets if a.id == asset_id), None)

    def expectations(self) -> dict[str, Expectation]:
        """Ground truth for every listing, keyed by item id."""
        return {
            item.id: Expectation(
                item_id=item.id,
                path=item.url,
                kind=item.kind,
                expected_flag=item.expected_flag,
                expected_asset_ids=frozenset(item.expected_asset_ids),
            )
            for item in self.items
        }

    def image_names(self) -> set[str]:
        names = {name for item in self.items for name in item.images}
        names.update(a.image for o in self.owners for a in o.assets if a.image)
        return names


CATALOG = Catalog(OWNERS, SELLERS, ITEMS)

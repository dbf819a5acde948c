"""Turn an extracted page into the detector's Listing; drop pages that are not listings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.listing_id import listing_id
from model import Listing, ListingImage, Seller
from model.listings import MAX_DESCRIPTION, MAX_TITLE, clean_text, parse_price
from model.sellers import normalise_contacts

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.items import ListingItem


class NormalizePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: ListingItem) -> ListingItem:
        extracted = item.extracted
        title = clean_text(extracted.title, MAX_TITLE)
        if not title:
            self.crawler.stats.inc_value("ipwatch/errors")
            self.crawler.stats.inc_value("ipwatch/errors/no_title")
            raise DropItem(f"no listing title found on {item.capture.final_url}")
        seller = extracted.seller
        item.listing = Listing(
            id=listing_id(item.marketplace, item.item_id, extracted.url or item.capture.final_url),
            marketplace=item.marketplace,
            url=extracted.url or item.capture.final_url,
            title=title,
            description=clean_text(extracted.description, MAX_DESCRIPTION),
            brand=clean_text(extracted.brand, MAX_TITLE) or None,
            price=parse_price(extracted.price),
            currency=extracted.currency,
            seller=Seller(
                id=seller.id,
                name=clean_text(seller.name, MAX_TITLE) or None,
                url=seller.url,
                marketplace=item.marketplace,
                contacts=normalise_contacts({"store_url": seller.url, **seller.contacts}),
            )
            if seller is not None
            else None,
            images=tuple(ListingImage(url=url) for url in extracted.images),
            category=clean_text(getattr(extracted, "category", None), MAX_TITLE) or None,
        )
        self.crawler.stats.inc_value("ipwatch/listings")
        return item

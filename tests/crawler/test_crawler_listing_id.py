from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from crawler.extraction import ExtractedListing
from crawler.extraction.model import ExtractedSeller
from crawler.items import FetchedImage, ListingItem
from crawler.listing_id import content_hash, listing_id
from evidence.seal.snapshot import Capture


def item(host: str = "shop.example", price: str = "19.99", digest: str = "ab" * 32) -> ListingItem:
    extracted = ExtractedListing(
        url=f"https://{host}/item/7?utm=x",
        title="Trail shoe",
        price=price,
        currency="EUR",
        images=(f"https://{host}/img/7.jpg",),
        seller=ExtractedSeller(name="Shop", id="s1", url=f"https://{host}/seller/s1"),
    )
    capture = Capture(
        requested_url=extracted.url,
        final_url=extracted.url,
        status=200,
        request_headers=[],
        response_headers=[],
        body=b"",
        captured_at=datetime(2026, 1, 1, tzinfo=UTC),
        user_agent="ua",
        server_ip=None,
    )
    fetched = [FetchedImage(url=extracted.images[0], sha256=digest)]
    return ListingItem("shop", "R-1", "7", extracted, capture, images=fetched)


def test_listing_ids_prefer_the_item_id() -> None:
    assert listing_id("shop", "7", "https://shop.example/item/7") == "shop:7"
    by_url = listing_id("shop", None, "https://shop.example/item/7?b=2&a=1")
    assert by_url == listing_id("shop", None, "https://shop.example/item/7?a=1&b=2")
    assert by_url.startswith("shop:url-")


def test_content_hash_ignores_hosts_but_not_content() -> None:
    base = content_hash(item())
    assert content_hash(item(host="cdn.shop.example")) == base
    assert content_hash(item(price="9.99")) != base
    assert content_hash(item(digest="cd" * 32)) != base
    renamed = item()
    renamed.extracted = dataclasses.replace(renamed.extracted, title="Trail shoe 2")
    assert content_hash(renamed) != base


def test_unfetched_images_count_by_path_not_host() -> None:
    def broken(host: str, path: str = "/img/7.jpg") -> ListingItem:
        listing = item(host=host)
        listing.images = [FetchedImage(url=f"https://{host}{path}", error="HTTP 500")]
        return listing

    assert content_hash(broken("a.example")) == content_hash(broken("b.example"))
    assert content_hash(broken("a.example")) != content_hash(broken("a.example", "/img/8.jpg"))

"""Conditional requests for photos: a re-crawl asks with each photo's validators; a 304 that
repeats them reuses the stored SHA-256, new bytes (a new ETag) are fetched and hashed, and a
304 that carries no validators is never trusted."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from demomarket import DemoMarket
from demomarket.faults import Fault, FaultPlan
from demomarket.images import cached, encode, still_life
from store import open_store
from tests.crawler.crawl_support import crawl

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

PHOTO = "gen-mug.jpg"  # the one photo of listing 1031, found by the crawl's keyword
PHOTO_PATH = f"/img/{PHOTO}"


def photo_sha256(home: Path, item: str = "1031") -> str | None:
    """The SHA-256 the index holds for the listing's photo."""
    index = open_store(f"sqlite:///{home / 'index.db'}")
    try:
        for listing in index.iter_listings("demo"):
            if listing.url.endswith(f"/item/{item}"):
                fetched = listing.data["images_fetched"]
                assert len(fetched) == 1, fetched
                sha256: str | None = fetched[0]["sha256"]
                return sha256
    finally:
        index.close()
    raise AssertionError(f"listing {item} not indexed")


def test_photo_answered_304_is_not_downloaded_again_and_keeps_its_sha256(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with DemoMarket() as market:
        crawl(home, market)
        first = market.requests_to(PHOTO_PATH)
        market.reset()
        _, run = crawl(home, market)
        again = market.requests_to(PHOTO_PATH)
    assert [r.status for r in first] == [200]
    assert "If-None-Match" not in first[0].headers
    # one conditional GET, answered 304: the bytes did not cross the wire again
    assert [r.status for r in again] == [304]
    assert again[0].headers["If-None-Match"].startswith('"')
    assert photo_sha256(home) == hashlib.sha256(cached(PHOTO)[0]).hexdigest()
    assert run.counters["images_not_modified"] == 3  # the three listings' photos
    assert run.counters["images"] == 3 and run.counters["image_errors"] == 0
    assert run.counters["detect_skipped"] == 3  # unchanged: not scored, pixels never decoded


def test_photo_with_new_bytes_and_etag_is_fetched_and_hashed_again(tmp_path: Path) -> None:
    home = tmp_path / "home"
    new_bytes = encode(still_life("gen-other-mug"), "JPEG")
    with DemoMarket() as market:
        crawl(home, market)
        before = photo_sha256(home)
        market.replace_image(PHOTO, new_bytes)
        market.reset()
        _, run = crawl(home, market)
        again = market.requests_to(PHOTO_PATH)
    assert "If-None-Match" in again[0].headers  # asked conditionally with the old ETag ...
    assert [r.status for r in again] == [200]  # ... which no longer matches
    after = photo_sha256(home)
    assert after == hashlib.sha256(new_bytes).hexdigest() != before
    assert run.counters["images_not_modified"] == 2  # the other two listings' photos
    assert run.counters["listings_changed"] == 1  # a new photo is a changed listing, re-scored


def test_lying_304_without_validators_cache_poisoning_is_not_trusted(tmp_path: Path) -> None:
    """Cache poisoning: the shop swaps the photo's bytes and answers the conditional GET with
    a bare 304 (no ETag, no Last-Modified), hoping the crawler keeps vouching for the old
    photo. A 304 that does not repeat the validator asked with proves nothing: the photo is
    fetched again in full and the listing carries the new bytes' digest."""
    home = tmp_path / "home"
    new_bytes = encode(still_life("gen-other-mug"), "JPEG")
    with DemoMarket() as market:
        crawl(home, market)
        before = photo_sha256(home)
        market.replace_image(PHOTO, new_bytes)
        market.faults = FaultPlan({PHOTO_PATH: Fault("304", times=1)})
        market.reset()
        _, run = crawl(home, market)
        again = market.requests_to(PHOTO_PATH)
    assert [r.status for r in again] == [304, 200]
    assert "If-None-Match" in again[0].headers and "If-None-Match" not in again[1].headers
    assert photo_sha256(home) == hashlib.sha256(new_bytes).hexdigest() != before
    assert run.counters["images_304_untrusted"] == 1
    assert run.counters["images_not_modified"] == 2


def test_unsolicited_304_to_a_first_fetch_is_an_error_not_a_photo(tmp_path: Path) -> None:
    """A 304 to a request that asked with no validators names nothing we hold."""
    home = tmp_path / "home"
    with DemoMarket(faults=FaultPlan({PHOTO_PATH: Fault("304")})) as market:
        _, run = crawl(home, market)
        asked = market.requests_to(PHOTO_PATH)
    assert [r.status for r in asked] == [304]
    assert photo_sha256(home) is None
    assert run.counters["images_304_untrusted"] == 1
    assert run.counters["image_errors"] == 1

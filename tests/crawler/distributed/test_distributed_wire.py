"""The detection queue's JSON: listings survive the round trip unchanged, hostile text included,
and anything that is not a listing of this format is refused with the field named."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PIL import Image

from crawler.distributed.wire import MAX_ENTRY_BYTES, listing_from_json, listing_to_json
from model import Listing, ListingImage, Seller

HOSTILE = (
    "<script>alert(1)</script>\u202egnp.exe\u0000\x1b[31m \ud800 lone surrogate, "
    '"quotes" \\ back\\slash, 雷霆 ＮＯＶＡＦＬＥＸ NОVAFLЕX zero\u200bwidth 🎧 '
    "{{7*7}} ${jndi:ldap://x} \r\n\t line breaks"
)
SHA = "ab" * 32


def hostile_listing() -> Listing:
    return Listing(
        id="demo:1039",
        marketplace="demo",
        url="http://127.0.0.1/item/1039?q=<x>&y=\"'",
        title=HOSTILE,
        description=HOSTILE * 50,
        brand="NOVA\u200bFLEX",
        price=Decimal("19.990"),
        currency="EUR",
        seller=Seller(
            id="s-1",
            name=HOSTILE,
            url="javascript:alert(1)",
            marketplace="demo",
            contacts={"wechat": "wxid_abc123", "email": HOSTILE},
            first_seen=datetime(2026, 12, 6, 3, 37, 44, tzinfo=UTC),
        ),
        images=(ListingImage(url="/img/a.jpg", sha256=SHA), ListingImage(url=HOSTILE)),
        category=HOSTILE,
        attributes={HOSTILE: HOSTILE, "size": "EU 42"},
    )


def test_hostile_listing_text_survives_the_round_trip_unchanged() -> None:
    listing = hostile_listing()
    text = listing_to_json(listing)
    assert text.isascii()  # lone surrogates and control characters are escaped, not mangled
    back = listing_from_json(text)
    assert back == listing
    assert back.title == HOSTILE and back.price == Decimal("19.990")
    assert back.seller is not None and back.seller.first_seen == listing.seller.first_seen  # type: ignore[union-attr]


def test_images_travel_by_digest_and_are_decoded_by_the_reader() -> None:
    pixels = Image.new("RGB", (4, 4))
    listing = Listing(
        id="d:1",
        marketplace="d",
        url="/i",
        title="t",
        images=(ListingImage(url="/a.png", sha256=SHA, image=pixels),),
    )
    text = listing_to_json(listing)
    assert "pixels" not in text and len(text) < 500
    asked: list[str] = []

    def load(sha256: str) -> Image.Image:
        asked.append(sha256)
        return pixels

    back = listing_from_json(text, load)
    assert asked == [SHA]
    assert back.images[0].image is pixels
    assert listing_from_json(text).images[0].image is None  # no loader: scored without pixels


def good() -> dict[str, object]:
    data: dict[str, object] = json.loads(listing_to_json(hostile_listing()))
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": 2}, "format"),
        ({"title": 5}, "title"),
        ({"price": "1e"}, "price"),
        ({"price": "-Infinity"}, "price"),
        ({"images": "x"}, "images"),
        ({"images": [{"url": "/a", "sha256": "../../etc/passwd"}]}, "sha256"),
        ({"attributes": {"a": 1}}, "attributes"),
        ({"seller": {"marketplace": "d", "contacts": {}, "first_seen": "yesterday"}}, "first_seen"),
        ({"seller": ["not", "an", "object"]}, "seller"),
    ],
)
def test_entries_that_are_not_listings_are_refused_naming_the_field(
    change: dict[str, object], message: str
) -> None:
    data = good() | change
    with pytest.raises(ValueError, match=message):
        listing_from_json(json.dumps(data))


def test_oversized_and_non_json_entries_are_refused() -> None:
    with pytest.raises(ValueError, match="over"):
        listing_from_json(b"x" * (MAX_ENTRY_BYTES + 1))
    with pytest.raises(ValueError):
        listing_from_json(b"\x80\x04\x95pickle")
    with pytest.raises(ValueError, match="format"):
        listing_from_json("[1, 2]")

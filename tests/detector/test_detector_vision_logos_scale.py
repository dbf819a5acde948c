"""Logos with more registered marks than the matcher verifies in full: the shortlist by votes
still finds the printed one, the best-matching of two similar marks wins, and a photo with no
logo matches none of them."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
import simple_icons_pack
from PIL import Image

from detector.vision.logo_match import LogoParams
from detector.vision.logos import LogoMatcher
from model import AssetKind, ReferenceImage
from tests.detector.test_detector_vision_logos import (
    listing_image,
    logo_asset,
    photo,
    print_logo,
)

SLUGS = (
    "adidas", "apple", "audi", "bmw", "burgerking", "cocacola", "dior", "ferrari", "fila",
    "ford", "huawei", "ikea", "jordan", "kfc", "lamborghini", "mcdonalds", "newbalance", "nike",
    "playstation", "porsche", "puma", "reebok", "samsung", "shell", "sony", "thenorthface",
    "toyota", "underarmour", "volkswagen", "xiaomi", "android", "amazon", "github", "google",
    "netflix", "spotify", "twitter", "youtube", "intel", "nvidia",
)  # fmt: skip


@pytest.fixture(scope="module")
def crowded() -> LogoMatcher:
    slugs = [s for s in SLUGS if simple_icons_pack.get_icon(s) is not None]
    assert len(slugs) > LogoParams().shortlist + 8  # more logos than are verified in full
    # The feature stage only: the shortlist is its part (the flat stage takes a black
    # one-colour silhouette for any dark patch of about its shape, shortlist or not).
    return LogoMatcher([logo_asset("starbucks"), *(logo_asset(s) for s in slugs)], flat=False)


def test_a_printed_logo_is_found_among_many_registered_ones(crowded: LogoMatcher) -> None:
    image, truth = print_logo(photo("coffee"), "starbucks", 0.3, rotate=10.0, seed=2)
    found = crowded.match([listing_image(image)])
    assert set(found) == {"A-starbucks"}
    x0, y0, x1, y1 = found["A-starbucks"][0].bbox
    assert x0 < (truth[0] + truth[2]) / 2 < x1
    assert y0 < (truth[1] + truth[3]) / 2 < y1


@pytest.mark.parametrize("name", ["chelsea", "rocket", "astronaut"])
def test_a_photo_without_a_logo_matches_none_of_many(crowded: LogoMatcher, name: str) -> None:
    assert crowded.match([listing_image(Image.fromarray(photo(name)), name)]) == {}


def test_the_closest_of_two_similar_marks_wins() -> None:
    full = logo_asset("starbucks")
    reference = full.images[0].image
    assert reference is not None
    cut = reference.copy()  # another firm's look-alike: the same mark with its right third gone
    cut.paste((0, 0, 0, 0), (reference.width * 2 // 3, 0, reference.width, reference.height))
    digest = hashlib.sha256(cut.tobytes()).hexdigest()
    look_alike = dataclasses.replace(
        full,
        id="A-look-alike",
        owner="other",
        images=(ReferenceImage(sha256=digest, image=cut, label="look-alike"),),
    )
    matcher = LogoMatcher([look_alike, full], flat=False)
    image, _ = print_logo(photo("coffee"), "starbucks", 0.35, seed=3)
    assert set(matcher.match([listing_image(image)])) == {"A-starbucks"}


def test_unused_kinds_do_not_enter_the_vote_index() -> None:
    other = dataclasses.replace(logo_asset("nike"), id="A-photo", kind=AssetKind.PRODUCT_IMAGE)
    matcher = LogoMatcher([other, logo_asset("starbucks")])
    assert [r.asset_id for r in matcher._references] == ["A-starbucks"]
    assert len(matcher._votes) == 1

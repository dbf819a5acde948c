"""One text, one finding: a logo's word element is reported on the owner's word mark."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detector.engine import Detector
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage, Seller

STRANGER = Seller(id="s-42", name="Best Deals Outlet")


@pytest.fixture
def quillon_word() -> Asset:
    return Asset(
        id="A-QUILLON",
        owner="Quillon Audio AB",
        kind=AssetKind.WORD_MARK,
        name="QUILLON",
        registration_number="EU019555001",
        classes=("9",),
    )


@pytest.fixture
def quillon_logo(photo: Callable) -> Asset:
    return Asset(
        id="A-QUILLON-LOGO",
        owner="Quillon Audio AB",
        kind=AssetKind.FIGURATIVE_MARK,
        name="Quillon wave logo",
        registration_number="EU019555002",
        classes=("9",),
        keywords=("quillon", "qwave"),  # word elements printed in the logo
        images=(ReferenceImage(sha256="5a" * 32, image=photo(31)),),
    )


def test_brand_named_in_title_gives_one_finding_that_names_the_logo_too(
    quillon_word: Asset, quillon_logo: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("Quillon wireless earbuds, bass boost", seller=STRANGER)
    findings = Detector([quillon_word, quillon_logo]).detect(listing)
    assert [f.asset_id for f in findings] == ["A-QUILLON"]
    mark = findings[0].signals[0]
    assert mark.kind == "word_mark"
    assert "registered word mark QUILLON (EU019555001)" in mark.detail
    assert "word element of the owner's registered logo “Quillon wave logo” (EU019555002)" in (
        mark.detail
    )
    assert mark.evidence["logo_word_element_of"] == [
        {
            "asset_id": "A-QUILLON-LOGO",
            "name": "Quillon wave logo",
            "registration_number": "EU019555002",
        }
    ]
    assert mark.detail.count("'Quillon'") == 1


def test_logo_pictured_keeps_its_own_finding_without_repeating_the_text(
    quillon_word: Asset,
    quillon_logo: Asset,
    make_listing: Callable[..., Listing],
    photo: Callable,
) -> None:
    listing = make_listing(
        "Quillon earbuds",
        seller=STRANGER,
        images=(ListingImage(url="https://img.example/1.jpg", image=photo(31)),),
    )
    found = {f.asset_id: f for f in Detector([quillon_word, quillon_logo]).detect(listing)}
    assert set(found) == {"A-QUILLON", "A-QUILLON-LOGO"}
    logo_kinds = [s.kind for s in found["A-QUILLON-LOGO"].signals]
    assert "image_copy" in logo_kinds
    assert "word_mark" not in logo_kinds
    assert "mark_context" not in logo_kinds and "class_mismatch" not in logo_kinds


def test_word_element_only_the_logo_carries_stays_on_the_logo_named_as_a_logo(
    quillon_word: Asset, quillon_logo: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("QWAVE earbuds with charging case", seller=STRANGER)
    findings = Detector([quillon_word, quillon_logo]).detect(listing)
    assert [f.asset_id for f in findings] == ["A-QUILLON-LOGO"]
    detail = findings[0].signals[0].detail
    assert "QWAVE, the word element of the registered logo “Quillon wave logo” (EU019555002)" in (
        detail
    )
    assert "QUILLON WAVE LOGO" not in detail  # a logo's description is not its text


def test_another_owners_logo_with_the_same_word_is_not_folded(
    quillon_word: Asset, quillon_logo: Asset, make_listing: Callable[..., Listing]
) -> None:
    rival_logo = Asset(
        id="A-RIVAL-LOGO",
        owner="Quillon Cutlery SpA",
        kind=AssetKind.FIGURATIVE_MARK,
        name="Quillon crossed knives",
        keywords=("quillon",),
    )
    listing = make_listing("Quillon earbuds", seller=STRANGER)
    found = {f.asset_id for f in Detector([quillon_word, rival_logo]).detect(listing)}
    assert found == {"A-QUILLON", "A-RIVAL-LOGO"}

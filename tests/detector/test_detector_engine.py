"""End to end: a Listing in, Findings out, with the flagging rules reviewers rely on."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from detector.categories import load_category_map
from detector.engine import Detector
from detector.exceptions import DetectorError
from detector.settings import DetectionSettings
from model import Asset, AssetKind, Listing, ListingImage, ReferenceImage, Seller

THIEF = Seller(id="s-999", name="Cheap Shoes 4U")


@pytest.fixture
def photo_asset(photo: Callable) -> Asset:
    ref = ReferenceImage(sha256="ab" * 32, image=photo(1), label="official front view")
    return Asset(
        id="A-PHOTO",
        owner="Novaflex GmbH",
        kind=AssetKind.PRODUCT_IMAGE,
        name="Novaflex Runner photo",
        images=(ref,),
        authorized_sellers=("Novaflex Official",),
    )


@pytest.fixture
def detector(novaflex: Asset, lumora: Asset, nova: Asset, photo_asset: Asset) -> Detector:
    return Detector([novaflex, lumora, nova, photo_asset])


def by_asset(findings: list) -> dict:
    return {f.asset_id: f for f in findings}


def test_genuine_listing_is_not_flagged(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    findings = detector.detect(make_listing("NOVAFLEX trail shoe, genuine"))
    assert len(findings) == 1
    f = findings[0]
    assert (f.asset_id, f.flagged) == ("A-NOVAFLEX", False)
    assert 0 < f.risk < 0.6
    assert [s.kind for s in f.signals] == ["word_mark", "authorized_seller"]


def test_genuine_listing_with_official_photo_is_not_flagged(
    detector: Detector, make_listing: Callable[..., Listing], photo: Callable
) -> None:
    listing = make_listing("NOVAFLEX runner", images=(ListingImage(url="u", image=photo(1)),))
    assert not any(f.flagged for f in detector.detect(listing))


def test_unrelated_listing_has_no_findings(
    detector: Detector, make_listing: Callable[..., Listing], photo: Callable
) -> None:
    listing = make_listing(
        "Breathable running shoes, novel lacing",
        description="Lumière edition. Flexible sole.",
        images=(ListingImage(url="u", image=photo(5)),),
        seller=THIEF,
        price=Decimal("5"),
    )
    assert detector.detect(listing) == []


def test_disguised_mark_flags_even_from_an_authorized_seller(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    f = by_asset(detector.detect(make_listing("N0vafIex running shoes")))["A-NOVAFLEX"]
    assert f.flagged
    assert f.signals[0].evidence["disguised"] is True


def test_exact_mark_by_unauthorized_seller_at_low_price_flags(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("Novaflex runner", seller=THIEF, price=Decimal("25.00"))
    f = by_asset(detector.detect(listing))["A-NOVAFLEX"]
    assert f.flagged
    assert [s.kind for s in f.signals] == ["word_mark", "unauthorized_seller", "below_price_floor"]
    assert f.risk > by_asset(detector.detect(make_listing("Novaflex runner")))["A-NOVAFLEX"].risk


def test_copied_photo_by_unauthorized_seller_flags(
    detector: Detector, make_listing: Callable[..., Listing], photo: Callable, jpeg: Callable
) -> None:
    copy = jpeg(photo(1).resize((400, 300)), 50)
    listing = make_listing(
        "Running shoe", seller=THIEF, images=(ListingImage(url="https://m/1.jpg", image=copy),)
    )
    findings = detector.detect(listing)
    assert [f.asset_id for f in findings] == ["A-PHOTO"]
    assert findings[0].flagged
    assert [s.kind for s in findings[0].signals] == ["image_copy", "unauthorized_seller"]


def test_seller_and_price_never_create_a_finding_alone(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    assert detector.detect(make_listing("Shoes", seller=THIEF, price=Decimal("1"))) == []


def test_findings_sorted_by_risk(detector: Detector, make_listing: Callable[..., Listing]) -> None:
    findings = detector.detect(make_listing("NOVA lamp with L U M O R A shade"))
    assert [f.asset_id for f in findings] == ["A-LUMORA", "A-NOVA"]
    assert findings[0].risk > findings[1].risk


def test_detect_is_deterministic(detector: Detector, make_listing: Callable[..., Listing]) -> None:
    listing = make_listing("Nova-Flex and NOVA and Lumora", seller=THIEF, price=Decimal("3"))
    assert detector.detect(listing) == detector.detect(listing)
    assert detector.detect(listing)[0].id == detector.detect(listing)[0].id


def test_threshold_from_settings(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    strict = Detector([novaflex], DetectionSettings(threshold=0.3))
    assert strict.detect(make_listing("Novaflex"))[0].flagged


def test_duplicate_asset_ids_are_refused(novaflex: Asset) -> None:
    with pytest.raises(DetectorError, match="registered twice"):
        Detector([novaflex, dataclasses.replace(novaflex, name="OTHER")])


def test_figurative_mark_matches_word_element_and_image(
    photo: Callable, make_listing: Callable[..., Listing]
) -> None:
    logo = Asset(
        id="A-LOGO",
        owner="o",
        kind=AssetKind.FIGURATIVE_MARK,
        name="Lumora",
        keywords=("Lumora",),  # the logo's word element
        images=(ReferenceImage(sha256="cd" * 32, image=photo(11)),),
    )
    listing = make_listing("Lumora lamp", images=(ListingImage(url="u", image=photo(11)),))
    f = Detector([logo]).detect(listing)[0]
    assert [s.kind for s in f.signals] == ["word_mark", "image_copy"]
    assert "LUMORA, the word element of the registered logo “Lumora”" in f.signals[0].detail
    assert "registered logo" in f.signals[1].detail


@pytest.fixture
def leiting(photo: Callable) -> Asset:
    """A Chinese word mark registered for electronics only, with its official photo."""
    return Asset(
        id="A-LEITING",
        owner="Leiting Tech",
        kind=AssetKind.WORD_MARK,
        name="雷霆",
        classes=("9",),
        authorized_sellers=("Leiting Official",),
        price_floor=Decimal("100"),
        currency="EUR",
        images=(ReferenceImage(sha256="ef" * 32, image=photo(21)),),
    )


NOVEL = "《雷霆之夜》长篇小说"


def test_mark_in_an_unrelated_category_is_not_flagged(
    leiting: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing(NOVEL, category="books", seller=THIEF, price=Decimal("1"))
    [f] = Detector([leiting]).detect(listing)
    assert not f.flagged
    assert 0 < f.risk < 0.6
    assert [s.kind for s in f.signals] == [
        "word_mark",
        "class_mismatch",
        "unauthorized_seller",
        "below_price_floor",
    ]
    assert f.signals[1].score == 0.0
    assert f.signals[1].detail == (
        "Listing category 'books' (Nice class 16) is outside the classes 9 the mark 雷霆 is"
        " registered for; likely an unrelated use of the word (weakens a plain match only)."
    )


@pytest.mark.parametrize("category", ["electronics", "Electronics > Books"])
def test_related_category_scores_as_before(
    leiting: Asset, make_listing: Callable[..., Listing], category: str
) -> None:
    """A category that maps to the mark's class wins over the novel the title names."""
    listing = make_listing(NOVEL, category=category, seller=THIEF, price=Decimal("1"))
    [f] = Detector([leiting]).detect(listing)
    assert f.flagged
    assert "class_mismatch" not in [s.kind for s in f.signals]


@pytest.mark.parametrize("category", [None, "Misc"])
def test_missing_or_unknown_category_reads_the_goods_in_the_title(
    leiting: Asset, make_listing: Callable[..., Listing], category: str | None
) -> None:
    listing = make_listing(NOVEL, category=category, seller=THIEF, price=Decimal("1"))
    [f] = Detector([leiting]).detect(listing)
    assert not f.flagged
    [mismatch] = [s for s in f.signals if s.kind == "class_mismatch"]
    assert mismatch.evidence["source"] == "title"
    assert mismatch.evidence["title_words"] == ["小说"]


@pytest.mark.parametrize("title", ["《雷霆》X100 Pro", "雷霆蓝牙耳机 X100"])
def test_title_without_unrelated_goods_scores_as_before(
    leiting: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    [f] = Detector([leiting]).detect(make_listing(title, seller=THIEF, price=Decimal("1")))
    assert f.flagged
    assert "class_mismatch" not in [s.kind for s in f.signals]


def test_the_matched_mark_is_not_read_as_goods(make_listing: Callable[..., Listing]) -> None:
    """'HONEY BAER' matches HONEYBEAR: its 'honey' is the mark, not goods of class 30."""
    honey = Asset(id="H", owner="o", kind=AssetKind.WORD_MARK, name="HONEYBEAR", classes=("9",))
    [f] = Detector([honey]).detect(make_listing("HONEY BAER X100 Pro", seller=THIEF))
    assert f.flagged
    assert "class_mismatch" not in [s.kind for s in f.signals]


def test_class_mismatch_factor_from_settings(
    leiting: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing(NOVEL, category="图书", seller=THIEF, price=Decimal("1"))
    ignored = Detector([leiting], DetectionSettings(class_mismatch_factor=1.0)).detect(listing)
    assert ignored[0].flagged
    assert Detector([leiting]).detect(listing)[0].risk < ignored[0].risk


def test_copied_photo_is_not_reduced_by_the_category(
    leiting: Asset, make_listing: Callable[..., Listing], photo: Callable
) -> None:
    listing = make_listing(
        NOVEL, category="books", seller=THIEF, images=(ListingImage(url="u", image=photo(21)),)
    )
    [f] = Detector([leiting]).detect(listing)
    assert f.flagged
    assert {"class_mismatch", "image_copy"} <= {s.kind for s in f.signals}


def test_assets_without_classes_ignore_the_category(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("Novaflex runner", category="books", seller=THIEF)
    [f] = Detector([novaflex]).detect(listing)
    assert f.flagged
    assert "class_mismatch" not in [s.kind for s in f.signals]


def test_category_map_can_be_passed_in(
    leiting: Asset, make_listing: Callable[..., Listing], tmp_path: Path
) -> None:
    path = tmp_path / "cats.yaml"
    path.write_text("categories: [{classes: [41], words: [podcasts]}]\n", "utf-8")
    detector = Detector([leiting], categories=load_category_map(path))
    listing = make_listing(NOVEL, category="Podcasts", seller=THIEF, price=Decimal("1"))
    assert not detector.detect(listing)[0].flagged
    assert detector.detect(make_listing(NOVEL, category="books", seller=THIEF))[0].flagged


def test_counterfeit_wording_flags_an_exact_mark(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    f = by_asset(detector.detect(make_listing("NOVAFLEX runner 1:1 高仿", seller=THIEF)))[
        "A-NOVAFLEX"
    ]
    assert f.flagged
    kinds = [s.kind for s in f.signals]
    assert "counterfeit_wording" in kinds and "mark_context" not in kinds


def test_counterfeit_wording_alone_makes_no_finding(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    assert detector.detect(make_listing("replica 1:1 AAA+ sneakers", seller=THIEF)) == []


def test_compatible_accessory_is_not_flagged(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing(
        "Silicone case for Novaflex X2", seller=THIEF, price=Decimal("5.00"), currency="EUR"
    )
    f = by_asset(detector.detect(listing))["A-NOVAFLEX"]
    assert not f.flagged
    assert [s.kind for s in f.signals] == [
        "word_mark",
        "mark_context",
        "unauthorized_seller",
        "below_price_floor",
    ]


def test_inspired_by_is_no_compatibility(
    detector: Detector, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("Case inspired by Novaflex", seller=THIEF)
    f = by_asset(detector.detect(listing))["A-NOVAFLEX"]
    assert f.flagged and "mark_context" not in [s.kind for s in f.signals]


def test_a_listing_that_practises_a_utility_patent_claim_is_flagged(make_listing) -> None:
    from dataclasses import replace

    from tests.detector.test_detector_semantic_patents import BRUSH

    detector = Detector([replace(BRUSH, authorized_sellers=("Brightsmile Official",))])
    practising = replace(
        make_listing(
            "Rotating Power Toothbrush - Visible Over-Pressure Alert",
            description=(
                "A built-in force sensor notices when you press too hard and lights an LED ring"
                " on the grip. Replaceable round heads oscillate, lithium battery lasts 3 weeks."
            ),
        ),
        seller=Seller(id="s-1", name="Gadget Outlet"),
    )
    [finding] = detector.detect(practising)
    assert finding.asset_id == "P-BRUSH" and finding.flagged
    assert [s.kind for s in finding.signals] == ["patent_claim", "unauthorized_seller"]
    timer_only = replace(
        make_listing("Battery Powered Kids Toothbrush", description="AA battery, music timer."),
        seller=Seller(id="s-1", name="Gadget Outlet"),
    )
    assert detector.detect(timer_only) == []


def test_a_logo_printed_in_the_sellers_own_photo_links_the_listing(
    make_listing: Callable[..., Listing],
) -> None:
    """A registered logo found inside another photo (not a copy of it) is a ``logo`` signal."""
    from tests.detector.test_detector_vision_logos import logo_asset, photo, print_logo

    logo = dataclasses.replace(logo_asset("starbucks"), authorized_sellers=("Star Official",))
    image, _ = print_logo(photo("coffee"), "starbucks", 0.25, seed=7)
    listing = dataclasses.replace(
        make_listing("Ceramic mug", images=(ListingImage(url="u", image=image),)), seller=THIEF
    )
    [f] = Detector([logo]).detect(listing)
    assert [s.kind for s in f.signals] == ["logo", "unauthorized_seller"]
    assert f.flagged
    assert len(f.signals[0].evidence["bbox"]) == 4

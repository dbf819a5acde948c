"""Scoring properties: bounded, monotonic, order-free; only brand links create risk."""

from __future__ import annotations

import itertools

import pytest

from detector.scoring import risk
from detector.settings import DetectionSettings
from model import Signal

SETTINGS = DetectionSettings()


def mark(score: float = 1.0, disguised: bool = False) -> Signal:
    return Signal("word_mark", score, "d", {"disguised": disguised})


def image(score: float = 1.0) -> Signal:
    return Signal("image_copy", score, "d")


SELLER = Signal("unauthorized_seller", 1.0, "d")
PRICE = Signal("below_price_floor", 0.75, "d")


def test_rules_alone_create_no_risk() -> None:
    assert risk([SELLER, PRICE], SETTINGS) == 0.0
    assert risk([], SETTINGS) == 0.0
    assert risk([mark(0.0)], SETTINGS) == 0.0


def test_exact_mark_alone_is_not_flagged() -> None:
    assert 0 < risk([mark()], SETTINGS) < SETTINGS.threshold


@pytest.mark.parametrize(
    "signals",
    [
        [mark(1.0, disguised=True)],
        [mark(0.75, disguised=True)],  # the weakest fuzzy match allowed by default
        [mark(), SELLER],
        [mark(), Signal("below_price_floor", 0.5, "d")],
        [image(), SELLER],
        [image(0.5), SELLER],  # a copy at the distance cut-off
    ],
)
def test_flagged_combinations(signals: list[Signal]) -> None:
    assert risk(signals, SETTINGS) >= SETTINGS.threshold


def test_authorized_seller_with_official_photo_is_not_flagged() -> None:
    assert risk([mark(), image()], SETTINGS, seller_authorized=True) < SETTINGS.threshold
    assert risk([mark(), image()], SETTINGS) >= SETTINGS.threshold


def test_bounded_and_monotonic_over_a_grid() -> None:
    grid = [0.0, 0.25, 0.5, 0.75, 1.0]
    for m, i, p in itertools.product(grid, grid, grid):
        base = [mark(m, disguised=True), image(i), Signal("below_price_floor", p, "d")]
        r = risk(base, SETTINGS)
        assert 0.0 <= r <= 1.0
        assert risk([*base, SELLER], SETTINGS) >= r  # adding a signal never lowers risk
        if m < 1.0:
            higher = [mark(m + 0.25, disguised=True), *base[1:]]
            assert risk(higher, SETTINGS) >= r  # a higher score never lowers risk


def test_order_does_not_matter() -> None:
    signals = [mark(0.8, disguised=True), image(0.6), SELLER, PRICE]
    values = {risk(list(p), SETTINGS) for p in itertools.permutations(signals)}
    assert len(values) == 1


def test_weights_come_from_settings() -> None:
    zero = DetectionSettings(weight_word_mark_exact=0.0)
    assert risk([mark(), SELLER], zero) == pytest.approx(SETTINGS.weight_unauthorized_seller)
    assert risk([mark()], DetectionSettings(weight_word_mark_exact=0.7)) == pytest.approx(0.7)


MISMATCH = Signal("class_mismatch", 0.0, "d")


@pytest.mark.parametrize(
    "signals",
    [
        [mark(), SELLER, Signal("below_price_floor", 1.0, "d")],
        [mark(0.9), SELLER, Signal("below_price_floor", 1.0, "d")],
    ],
)
def test_class_mismatch_keeps_text_only_findings_below_the_threshold(
    signals: list[Signal],
) -> None:
    assert risk(signals, SETTINGS) >= SETTINGS.threshold
    reduced = risk([*signals, MISMATCH], SETTINGS)
    assert 0 < reduced < SETTINGS.threshold


@pytest.mark.parametrize("kinds", [["homoglyph"], ["misspelling"], ["digits", "spacing"]])
def test_disguised_mark_on_other_goods_is_not_weakened_by_class_mismatch(
    kinds: list[str],
) -> None:
    """'Saffr0n' on rice is nobody's spelling of a spice: the disguise counts in full."""
    disguised = Signal("word_mark", 0.85, "d", {"disguised": True, "disguises": kinds})
    alone = risk([disguised], SETTINGS)
    assert risk([disguised, MISMATCH], SETTINGS) == alone >= SETTINGS.threshold
    assert risk([disguised, SELLER, MISMATCH], SETTINGS) == risk([disguised, SELLER], SETTINGS)


def test_class_mismatch_scales_mark_seller_and_price_by_the_factor() -> None:
    f = SETTINGS.class_mismatch_factor
    expected = 1 - (1 - 0.4 * f) * (1 - 0.5 * f) * (1 - 0.7 * 0.75 * f)
    assert risk([mark(), SELLER, PRICE, MISMATCH], SETTINGS) == pytest.approx(expected)


def test_class_mismatch_never_reduces_a_copied_photo() -> None:
    f = SETTINGS.class_mismatch_factor
    with_photo = risk([mark(), image(), SELLER, MISMATCH], SETTINGS)
    assert with_photo == pytest.approx(1 - (1 - 0.4 * f) * (1 - 0.5) * (1 - 0.5))
    assert with_photo >= risk([image(), SELLER], SETTINGS) >= SETTINGS.threshold


def test_class_mismatch_alone_creates_no_risk() -> None:
    assert risk([MISMATCH, SELLER], SETTINGS) == 0.0


def test_class_mismatch_factor_one_changes_nothing() -> None:
    off = DetectionSettings(class_mismatch_factor=1.0)
    signals = [mark(0.8, disguised=True), SELLER, PRICE]
    assert risk([*signals, MISMATCH], off) == risk(signals, off)


def wording(score: float) -> Signal:
    return Signal("counterfeit_wording", score, "d")


def use(kind: str) -> Signal:
    return Signal("mark_context", 0.0, "d", {"use": kind})


def test_counterfeit_wording_never_links_alone() -> None:
    assert risk([wording(1.0), SELLER, PRICE], SETTINGS) == 0.0


@pytest.mark.parametrize(
    ("score", "flagged"), [(0.9, True), (0.8, True), (0.6, True), (0.4, False), (0.2, False)]
)
def test_counterfeit_wording_strengthens_an_exact_mark(score: float, flagged: bool) -> None:
    value = risk([mark(), wording(score)], SETTINGS)
    assert value == pytest.approx(1 - 0.6 * (1 - SETTINGS.weight_counterfeit_wording * score))
    assert (value >= SETTINGS.threshold) is flagged


def test_counterfeit_wording_counts_nothing_for_an_authorized_seller() -> None:
    assert risk([mark(), wording(1.0)], SETTINGS, seller_authorized=True) == risk(
        [mark()], SETTINGS, seller_authorized=True
    )


def test_compatibility_scales_an_exact_mark_seller_and_price() -> None:
    f = SETTINGS.compatibility_factor
    signals = [mark(), SELLER, PRICE]
    expected = 1 - (1 - 0.4 * f) * (1 - 0.5 * f) * (1 - 0.7 * 0.75 * f)
    assert risk([*signals, use("compatibility")], SETTINGS) == pytest.approx(expected)
    assert risk([*signals, use("compatibility")], SETTINGS) < SETTINGS.threshold


def test_compatibility_does_not_excuse_a_disguised_mark_or_a_photo() -> None:
    disguised = [mark(1.0, disguised=True), SELLER]
    assert risk([*disguised, use("compatibility")], SETTINGS) == risk(
        [mark(1.0, disguised=True), Signal("unauthorized_seller", 0.3, "d")], SETTINGS
    )
    photo = [mark(), image(), SELLER]
    f = SETTINGS.compatibility_factor
    assert risk([*photo, use("compatibility")], SETTINGS) == pytest.approx(
        1 - (1 - 0.4 * f) * 0.5 * 0.5
    )


def slipped(*kinds: str) -> Signal:
    return Signal("word_mark", 0.85, "d", {"disguised": True, "disguises": list(kinds)})


def test_compatibility_excuses_a_mistyped_mark_but_not_lookalike_letters() -> None:
    """'case for Zeltirx earbuds': accessory sellers mistype the brand their item fits; nobody
    types a Cyrillic 'а', a digit or an invisible character into it by accident."""
    f = SETTINGS.compatibility_factor
    for kinds in (("misspelling",), ("spacing",), ("misspelling", "spacing")):
        value = risk([slipped(*kinds), SELLER, use("compatibility")], SETTINGS)
        assert value == pytest.approx(1 - (1 - 0.9 * 0.85 * f) * (1 - 0.5 * f)), kinds
        assert value < SETTINGS.threshold
    for kinds in (("homoglyph",), ("mixed_scripts",), ("digits",), ("invisible",),
                  ("misspelling", "homoglyph")):  # fmt: skip
        value = risk([slipped(*kinds), use("compatibility")], SETTINGS)
        assert value == pytest.approx(0.9 * 0.85), kinds
        assert value >= SETTINGS.threshold


def test_resale_scales_seller_and_price_only() -> None:
    f = SETTINGS.resale_factor
    value = risk([mark(), SELLER, Signal("below_price_floor", 1.0, "d"), use("resale")], SETTINGS)
    assert value == pytest.approx(1 - 0.6 * (1 - 0.5 * f) * (1 - 0.7 * f))
    assert value < SETTINGS.threshold
    assert risk([mark(), image(), SELLER, PRICE, use("resale")], SETTINGS) >= SETTINGS.threshold


def test_counterfeit_wording_voids_the_excuse() -> None:
    signals = [mark(), SELLER, PRICE, wording(0.6)]
    assert risk([*signals, use("compatibility")], SETTINGS) == risk(signals, SETTINGS)
    assert risk([*signals, use("resale")], SETTINGS) == risk(signals, SETTINGS)


def test_excuses_do_not_multiply() -> None:
    both = [mark(), SELLER, PRICE, MISMATCH, use("compatibility")]
    assert risk(both, SETTINGS) == risk([mark(), SELLER, PRICE, MISMATCH], SETTINGS)


def test_a_mark_read_from_a_photo_weighs_as_exact_even_when_it_looks_disguised() -> None:
    """OCR turns a printed BRAVIO into 'BRAVI' now and then: a misread is no disguise."""
    read = Signal("word_mark", 0.9, "d", {"disguised": True, "field": "image_text"})
    typed = Signal("word_mark", 0.9, "d", {"disguised": True, "field": "title"})
    assert risk([read], SETTINGS) == pytest.approx(SETTINGS.weight_word_mark_exact * 0.9)
    assert risk([typed], SETTINGS) == pytest.approx(SETTINGS.weight_word_mark_disguised * 0.9)

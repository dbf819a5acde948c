"""The blind logo set: deterministic for a seed, labels match what was pasted, scoring arithmetic.

Logos and photos are inputs of the generator, so these tests draw a small logo and photo with
PIL and need neither the network nor the icon pack.
"""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw

from bench.logo_quality_blind import _select, image_signal, score
from bench.logoset_blind import generate
from bench.logoset_blind_sources import Logo, recolour_body
from bench.logoset_blind_transforms import LISTING_SMALL_WIDTH, TRANSFORMS, compose, encode
from model import Signal

MAGENTA = (255, 0, 255)


def _drawn(colour: tuple[int, int, int], shape: str) -> Logo:
    """A logo drawn with PIL at any width: a square or a disc of one colour."""

    def render(width: int) -> Image.Image:
        art = Image.new("RGBA", (width, width), (0, 0, 0, 0))
        draw = ImageDraw.Draw(art)
        if shape == "disc":
            draw.ellipse((0, 0, width - 1, width - 1), fill=(*colour, 255))
        else:
            draw.rectangle((0, 0, width - 1, width - 1), fill=(*colour, 255))
        return art

    return Logo(f"{shape}-{colour[0]}-{colour[1]}-{colour[2]}", "flat", render)


def _photo(seed: int = 1) -> Image.Image:
    """A busy grey-green photo with no magenta in it."""
    rng = random.Random(seed)
    image = Image.new("RGB", (320, 240), (90, 120, 80))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randint(0, 300), rng.randint(0, 220)
        grey = rng.randint(40, 200)
        draw.rectangle((x, y, x + 20, y + 15), fill=(grey, grey, min(255, grey + 10)))
    return image


REGISTERED = [_drawn(MAGENTA, "square"), _drawn((0, 200, 255), "disc")]
OTHER = _drawn((255, 140, 0), "disc")
UNRELATED = _drawn((250, 250, 0), "square")
RECOLOURED = _drawn((20, 120, 40), "square")


def _build(seed: int) -> tuple[list[dict], dict[str, bytes]]:
    kinds = ("flat", "full")
    registered = [Logo(lg.id, k, lg.render) for lg, k in zip(REGISTERED, kinds, strict=True)]
    recoloured = Logo("square~recolour0", "recolour", RECOLOURED.render)
    unregistered = {OTHER.id: OTHER, UNRELATED.id: UNRELATED, recoloured.id: recoloured}
    return generate(
        registered,
        unregistered,
        {REGISTERED[0].id: [unregistered["square~recolour0"]]},
        {REGISTERED[1].id: (OTHER.id,)},
        {"one": _photo(1), "two": _photo(2)},
        seed=seed,
        per_logo=9,
        two_logo=2,
        negative_counts={"no_logo": 3, "other_logo": 2, "lookalike": 2, "recolour": 2},
    )


def _magenta_pixels(data: bytes) -> int:
    import io

    import numpy as np

    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r > 180) & (b > 180) & (g < 90)).sum())


def test_same_seed_same_files_other_seed_other_files() -> None:
    cases, files = _build(3)
    again_cases, again_files = _build(3)
    assert cases == again_cases and files == again_files
    _, other_files = _build(4)
    assert files != other_files


def test_every_transform_is_used_and_deterministic() -> None:
    logo = REGISTERED[0]
    for transform in TRANSFORMS:
        first = compose(_photo(), [(logo, 20)], transform, random.Random(7))
        second = compose(_photo(), [(logo, 20)], transform, random.Random(7))
        assert encode(first[0], first[1], first[3]) == encode(second[0], second[1], second[3])
        assert (first[1] == "jpg") == (transform == "jpeg")
        assert first[0].width == (LISTING_SMALL_WIDTH if transform == "downscale" else 320)
    cases, _ = _build(3)
    assert {c["transform"] for c in cases if c["positive"]} == set(TRANSFORMS)


def test_labels_match_what_was_pasted() -> None:
    cases, files = _build(3)
    registered = {logo.id for logo in REGISTERED}
    for case in cases:
        pasted = {row["logo"] for row in case["pasted"]}
        assert set(case["labels"]) == pasted & registered
        assert case["positive"] == bool(case["labels"])
        assert case["file"] in files
    two = [c for c in cases if c["id"].startswith("pos2-")]
    assert two and all(len(c["labels"]) == 2 for c in two)


def test_magenta_mark_is_in_its_positives_and_in_no_negative() -> None:
    cases, files = _build(3)
    magenta = REGISTERED[0].id
    for case in cases:
        count = _magenta_pixels(files[case["file"]])
        if magenta in case["labels"] and case["transform"] in ("plain", "patch", "rotate"):
            assert count > 20, case["id"]
        if not case["positive"] and case["transform"] != "occlude":  # occluders are random
            assert count == 0, case["id"]
            assert not set(case["labels"])


def test_negative_kinds_and_recolour_source() -> None:
    cases, _ = _build(3)
    kinds = {c["negative_kind"] for c in cases if not c["positive"]}
    assert kinds == {"no_logo", "other_logo", "lookalike", "recolour"}
    for case in cases:
        if case["negative_kind"] == "recolour":
            assert case["recolour_of"] == REGISTERED[0].id
        if case["negative_kind"] == "no_logo":
            assert case["pasted"] == []


def test_recolour_swaps_every_colour_but_white() -> None:
    body = '<path fill="red" d="M0 0h9v9z"/><path fill="#fff" d="M1 1h2v2z"/><path d="M5 5h1v1z"/>'
    new, mapping = recolour_body(body, random.Random(1))
    assert set(mapping) == {"red", "#000000"}
    assert 'fill="red"' not in new and 'fill="#fff"' in new
    assert new.startswith('<g fill="')


def test_image_signal_kinds() -> None:
    assert image_signal(Signal("logo", 0.9, ""))
    assert image_signal(Signal("image_copy", 0.9, ""))
    assert not image_signal(Signal("word_mark", 0.9, "", {"field": "title"}))
    assert image_signal(Signal("word_mark", 0.9, "", {"field": "image_text"}))
    assert image_signal(
        Signal("word_mark", 0.9, "", {"matches": [{"field": "title"}, {"field": "image_text"}]})
    )
    assert not image_signal(Signal("price", 0.9, ""))


def _case(case_id: str, labels: list[str], negative: str | None = None, **extra) -> dict:
    width = extra.pop("width", 10)
    return {
        "id": case_id,
        "labels": labels,
        "positive": negative is None,
        "negative_kind": negative,
        "transform": extra.pop("transform", "plain"),
        "photo": "p",
        "label_kinds": {label: "flat" if label == "b" else "full" for label in labels},
        "pasted": [{"logo": label, "width_pct": width} for label in labels]
        + extra.pop("others", []),
        **extra,
    }


def test_score_arithmetic() -> None:
    cases = [
        _case("p1", ["a"]),
        _case("p2", ["a", "b"], width=20),
        _case("p3", ["b"], transform="blur"),
        _case("n1", [], "no_logo"),
        _case("n2", [], "lookalike", others=[{"logo": "x", "width_pct": 10}]),
        _case("n3", [], "recolour", recolour_of="b", others=[{"logo": "b~r", "width_pct": 30}]),
        _case("n4", [], "recolour", recolour_of="b", others=[{"logo": "b~r", "width_pct": 30}]),
    ]
    predictions = {"p1": ["a"], "p2": ["a", "c"], "p3": [], "n2": ["a"], "n3": ["b"], "n4": []}
    result = score(cases, predictions)
    # 4 labelled logos; found: p1 a, p2 a -> 2/4
    assert result["recall"]["overall"]["all"] == {"found": 2, "of": 4, "recall": 0.5}
    assert result["recall"]["kind"]["flat"]["recall"] == 0.0
    assert result["recall"]["transform"]["blur"]["of"] == 1
    assert result["recall"]["width"]["20 %"] == {"found": 1, "of": 2, "recall": 0.5}
    # predictions: a, a, c, a, b -> TP 2, FP 3
    assert result["true_positives"] == 2 and result["false_positives"] == 3
    assert result["precision"] == pytest.approx(0.4)
    assert result["wrong_asset_on_positives"] == 1
    lookalike = result["per_negative_kind"]["lookalike"]
    assert lookalike["cases_with_fp"] == 1 and lookalike["precision_with_positives"] == 0.5
    assert result["per_negative_kind"]["no_logo"]["false_positives"] == 0
    assert result["without_recolour"]["precision"] == 0.5
    shape = result["shape_reading"]
    assert shape["recolour_found_as_source"] == 1
    assert shape["recall"] == 0.5  # (2 + 1) / (4 + 2)
    assert shape["precision"] == 0.6  # (2 + 1) / (2 + 2 + 1)
    assert {m["case"] for m in result["misses"]} == {"p2", "p3"}
    assert {fp["case"] for fp in result["false_positive_list"]} == {"p2", "n2", "n3"}


def test_select_keeps_cases_showing_a_logo_or_recoloured_from_it_under_a_transform() -> None:
    cases = [
        {"id": "a", "pasted": [{"logo": "x"}], "labels": ["x"], "transform": "plain"},
        {"id": "b", "pasted": [{"logo": "x"}], "labels": ["x"], "transform": "colour"},
        {
            "id": "c",
            "pasted": [{"logo": "x~recolour0"}],
            "labels": [],
            "transform": "plain",
            "recolour_of": "x",
        },
        {"id": "d", "pasted": [{"logo": "y"}], "labels": [], "transform": "plain"},
    ]
    assert [c["id"] for c in _select(cases, (), ())] == ["a", "b", "c", "d"]
    assert [c["id"] for c in _select(cases, ["x"], ())] == ["a", "b", "c"]
    assert [c["id"] for c in _select(cases, ["x"], ["plain"])] == ["a", "c"]
    assert [c["id"] for c in _select(cases, (), ["colour"])] == ["b"]

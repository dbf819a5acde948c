"""Category -> Nice class map: the bundled data loads, matching is by word, bad data explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.categories import bundled_category_map, load_category_map, nice_class
from detector.exceptions import CategoryMapError


@pytest.mark.parametrize(
    ("category", "classes"),
    [
        ("books", {"16"}),
        ("Books > Fiction", {"16"}),
        ("图书/小说", {"16"}),
        ("长篇小说", {"16"}),  # Chinese matches inside a longer word
        ("ELECTRONICS", {"9"}),
        ("Électronics", {"9"}),  # accents folded
        ("Phones & Accessories / Power Banks", {"9"}),
        ("数码 > 充电宝", {"9"}),
        ("Lighting", {"11"}),
        ("台灯", {"11"}),
        ("Clothing, Shoes", {"25"}),
        ("Sports Shoes", {"25", "28"}),  # union of every known word
        ("Home & Garden", {"8", "11", "20", "21", "24"}),
        ("美妆护肤", {"3"}),
        ("Toys", {"28"}),
        ("Jewellery & Watches", {"14"}),
        ("bags", {"18"}),
    ],
)
def test_bundled_map(category: str, classes: set[str]) -> None:
    assert bundled_category_map().classes_for(category).classes == classes


@pytest.mark.parametrize(
    "category", [None, "", "Misc", "Bookshelves", "notebooks", "Unterhaltung", "x" * 100_000]
)
def test_unknown_words_map_to_nothing(category: str | None) -> None:
    match = bundled_category_map().classes_for(category)
    assert (match.classes, match.words) == (frozenset(), ())


def test_matched_words_are_reported() -> None:
    assert bundled_category_map().classes_for("Books > 小说").words == ("books", "小说")


def test_bundled_map_is_loaded_once() -> None:
    assert bundled_category_map() is bundled_category_map()


@pytest.mark.parametrize(
    ("value", "expected"), [("9", "9"), (" 09", "9"), ("45", "45"), ("46", None), ("Class 9", None)]
)
def test_nice_class(value: str, expected: str | None) -> None:
    assert nice_class(value) == expected


def test_map_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("categories:\n  - {classes: [9, '11'], words: [Gadgets, 小工具]}\n", "utf-8")
    cats = load_category_map(path)
    assert cats.classes_for("gadgets").classes == {"9", "11"}
    assert cats.classes_for("厨房小工具").classes == {"9", "11"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a mapping with a 'categories' list"),
        ("categories: [{classes: [9]}]", "entry 1 must have exactly the keys"),
        ("categories: [{classes: [], words: [a]}]", "'classes' must be a non-empty list"),
        ("categories: [{classes: [50], words: [a]}]", "50 is not a Nice class; use 1 to 45"),
        ("categories: [{classes: [true], words: [a]}]", "True is not a Nice class"),
        ("categories: [{classes: [9], words: []}]", "'words' must be a non-empty list"),
        ("categories: [{classes: [9], words: ['--']}]", "'--' is not a word"),
        (
            "categories: [{classes: [9], words: [toys]}, {classes: [28], words: [Toys]}]",
            "entry 2: 'Toys' is listed twice",
        ),
        ("categories: [{classes: [9], words: [a]", "cannot read category map"),
    ],
)
def test_bad_map_is_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(CategoryMapError, match=message) as info:
        load_category_map(path)
    assert str(path) in str(info.value)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CategoryMapError, match="pass the path of a readable YAML file"):
        load_category_map(tmp_path / "absent.yaml")

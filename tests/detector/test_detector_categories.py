"""Goods -> Nice class map: bundled data, word and longest matching, titles, bad data explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.categories import (
    MAX_TITLE_CHARS,
    CategoryMap,
    bundled_category_map,
    load_category_map,
    nice_class,
)
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
        ("Coffee Machines", {"11", "21"}),  # the longest match hides "coffee" (30)
        ("Grocery > Rice & Tea", {"30"}),
        ("家居 > 窗帘", {"8", "11", "20", "21", "24"}),
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
        ("not_goods: wine red\ncategories: []", "'not_goods' must be a list"),
        ("not_goods: [toys]\ncategories: [{classes: [28], words: [toys]}]", "not_goods 'toys'"),
        ("not_goods: ['!']\ncategories: []", "'!' is not a word"),
        ("shades: piano\ncategories: []", "'shades' must be a list"),
        ("colours: black\ncategories: []", "'colours' must be a list"),
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


# -- titles: the goods a listing's title names ------------------------------------------


def title_classes(title: str, **kwargs: object) -> tuple[set[str], tuple[str, ...]]:
    match = bundled_category_map().classes_for_title(title, **kwargs)  # type: ignore[arg-type]
    return set(match.classes), match.words


@pytest.mark.parametrize(
    ("title", "classes", "words"),
    [
        (
            "Saffron rice seasoning mix",
            {"30"},
            ("rice", "seasoning mix"),
        ),
        ("Orchid plant in ceramic pot", {"21", "31"}, ("plant", "pot")),
        ("Baltic amber necklace", {"14"}, ("necklace",)),
        ("Saffron yellow linen tablecloth", {"24"}, ("tablecloth",)),
        ("Field guide: magpies and crows", {"16"}, ("field guide",)),
        ("Quill embroidery kit", {"26"}, ("embroidery kit",)),
        ("Orchids potted plants set of 3", {"31"}, ("potted plant",)),  # plural of a phrase
        ("Saffron crocus bulbs, 20 pcs", {"11", "31"}, ("bulbs", "crocus")),  # bulbs: 11 or 31
        ("Espresso machine, 15 bar", {"11", "21"}, ("espresso machine",)),  # not coffee (30)
        ("Kivu coffee beans 500g", {"30"}, ("coffee beans",)),
        ("Coffee brown wool coat", {"25"}, ("coat",)),  # a colour, not coffee
        ("Winter gloves", {"9", "10", "21", "25", "28"}, ("gloves",)),  # every class it sells in
        ("藏红花 5克 泡水", {"5", "30", "31"}, ("藏红花",)),
        ("兰花 盆栽 蝴蝶兰", {"31"}, ("兰花", "盆栽", "蝴蝶兰")),
        ("新款意式咖啡机 现货", {"11", "21"}, ("咖啡机",)),  # not the coffee (30) inside it
        ("咖啡色 羊毛大衣", {"25"}, ("大衣",)),  # 咖啡色 is a colour
        ("限时折扣 被套四件套 包邮", {"24"}, ("四件套", "被套")),  # 包邮 is not a bag
        ("KIVO蓝牙耳机 黑色", {"9"}, ("耳机",)),  # Latin and Chinese without a space
        ("Wall clock, silent, 30cm", set(), ()),  # no known goods
        ("Bookshelves, notebooks", set(), ()),  # whole words, no guessed stems
        ("", set(), ()),
    ],
)
def test_goods_named_in_a_title(title: str, classes: set[str], words: tuple[str, ...]) -> None:
    assert title_classes(title) == (classes, words)


def test_the_mark_itself_is_not_a_goods_word() -> None:
    title = "Honey Bear tote bag"
    assert title_classes(title) == ({"18", "30"}, ("honey", "tote bag"))
    assert title_classes(title, exclude=[(0, 10)]) == ({"18"}, ("tote bag",))
    assert title_classes(title, ignore=["HONEY BEAR"]) == ({"18"}, ("tote bag",))
    assert title_classes("honey-bear tote bag", ignore=["Honey Bear"])[0] == {"18"}
    assert title_classes("HoneyBear tote bag", ignore=["Honey Bear"])[0] == {"18"}
    # a Latin mark is ignored only as a whole word: the mark TEA leaves "teapot" alone
    assert title_classes("Teapot", ignore=["tea"]) == ({"21"}, ("teapot",))


def test_no_phrase_is_read_across_the_mark() -> None:
    title = "Artificial orchid flowers"
    assert title_classes("Artificial flowers") == ({"26"}, ("artificial flowers",))
    assert title_classes(title, exclude=[(11, 17)]) == ({"26", "31"}, ("flowers",))


@pytest.mark.parametrize("spans", [[(-5, 3)], [(10, 10_000)], [(30, 20)], [(0, 0)]])
def test_spans_outside_the_title_are_clipped(spans: list[tuple[int, int]]) -> None:
    bundled_category_map().classes_for_title("Saffron rice", exclude=spans)


@pytest.mark.parametrize(
    ("title", "classes", "words"),
    [
        ("Case for KIVO wireless earbuds", set(), ()),  # the case is not the earbuds
        ("Silicone cover for NOVAFLEX running shoes, black", set(), ()),
        ("Charging cable fits KIVO smartphone", {"9"}, ("charging cable",)),
        ("Display stand for ZENTARO automatic watch", {"20"}, ("display stand",)),
        ("Wooden puzzle for kids", {"28"}, ("puzzle",)),
        ("Compatible with KIVO earbuds", set(), ()),
        ("Compatible with: KIVO earbuds, pouch", set(), ()),  # the marker ends its clause
        ("Gift for mom: MIRAVEX lipstick", {"3"}, ("lipstick",)),  # a new clause
        ("Night light for kids - dimmable lamp", {"11"}, ("lamp", "night light")),
        ("适用于凯沃手机的保护套", set(), ()),
        ("兼容凯沃降噪耳机的充电线", {"9"}, ("充电线",)),
        ("适用凯沃 蓝牙耳机 替换配件", set(), ()),  # to the clause's end without 的
        ("凯沃蓝牙耳机专用收纳盒", {"20", "21"}, ("收纳盒",)),  # 专用: what it fits comes first
        ("凯沃手机通用数据线", {"9"}, ("数据线",)),
        ("跑步鞋 男女通用", {"25"}, ("鞋",)),  # 男女通用 is "unisex"
    ],
)
def test_what_an_accessory_fits_is_not_its_goods(
    title: str, classes: set[str], words: tuple[str, ...]
) -> None:
    assert title_classes(title) == (classes, words)


def test_plurals_fall_back_to_listed_singulars(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        "categories:\n  - {classes: [31], words: [bulb, potted plant]}\n"
        "  - {classes: [25], words: [dress]}\n  - {classes: [30], words: [cherry]}\n"
        "  - {classes: [21], words: [glass]}\n",
        "utf-8",
    )
    cats = load_category_map(path)
    for title, word in [
        ("tulip bulbs", "bulb"),
        ("potted plants", "potted plant"),
        ("summer dresses", "dress"),
        ("dried cherries", "cherry"),
        ("crystal glass", "glass"),  # "-ss" is no plural
    ]:
        assert cats.classes_for_title(title).words == (word,)
    assert cats.classes_for_title("glasses").words == ("glass",)  # "-es" dropped
    assert cats.classes_for_title("bulbss plants dres").words == ()


def test_not_goods_phrases_hide_what_they_contain(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        "not_goods: [wine red, 酒红]\ncategories:\n  - {classes: [33], words: [wine, 红酒]}\n",
        "utf-8",
    )
    cats = load_category_map(path)
    assert cats.classes_for_title("Wine red scarf").classes == frozenset()
    assert cats.classes_for_title("Red wine, wine red box").words == ("wine",)
    assert cats.classes_for_title("酒红色 红酒").words == ("红酒",)
    assert cats.classes_for("wine red").classes == frozenset()


@pytest.mark.parametrize(
    "title",
    [
        "x" * 100_000 + " rice",  # goods past the cap are not read
        "for " * 50_000 + "rice",
        "\ufdfa" * 10_000 + " rice",  # one character folds into many
        "包" * 100_000,
        "(" * 100_000,
    ],
)
def test_hostile_titles_are_cut(title: str) -> None:
    assert title_classes(title) == (set(), ())


def test_hostile_titles_full_of_goods_stay_bounded() -> None:
    classes, words = title_classes("鞋 rice " * 100_000)
    assert (classes, words) == ({"25", "30"}, ("rice", "鞋"))
    assert len("鞋 rice " * 100_000) > MAX_TITLE_CHARS


# The Nice classes marketplace goods fall into; each needs English and Chinese goods words.
MARKETPLACE_CLASSES = (3, 5, 8, 9, 10, 11, 12, 14, 16, 18, 20, 21, 24, 25, 26, 27, 28, 29, 30)
MARKETPLACE_CLASSES += (31, 32, 33, 34)


@pytest.mark.parametrize("nice", MARKETPLACE_CLASSES)
def test_bundled_map_covers_marketplace_classes(nice: int) -> None:
    words = [w for w, cs in bundled_category_map().words.items() if cs == {str(nice)}]
    assert any(w.isascii() for w in words), f"no English word for class {nice} alone"
    assert any(not w.isascii() for w in words), f"no Chinese word for class {nice} alone"


def test_a_map_built_in_code_needs_no_not_goods() -> None:
    cats = CategoryMap({"rice": frozenset({"30"})})
    assert cats.classes_for_title("Rice 5kg").classes == {"30"}


@pytest.mark.parametrize(
    ("title", "classes"),
    [
        ("Piano Black earbuds", {"9"}),  # a finish, not a piano (class 15)
        ("Zeltrix smartwatch - Cherry Red", {"9", "14"}),  # not cherries (class 31)
        ("Salmon Pink hoodie", {"25"}),  # not fish (class 29)
        ("Olive Green jacket", {"25"}),
        ("Wine Red frying pan", {"21"}),
        ("Coffee Brown desk lamp", {"11"}),
        ("香槟色 蓝牙耳机", {"9"}),
        ("咖啡色 台灯", {"11"}),
    ],
)
def test_colour_names_are_not_goods(title: str, classes: set[str]) -> None:
    """A shade named after a thing ("Piano Black") says how the goods look, not what they are."""
    assert bundled_category_map().classes_for_title(title).classes == classes


@pytest.mark.parametrize(
    ("title", "classes"),
    [
        ("Yamaha digital piano, black", {"15"}),  # a clause break: the piano is the goods
        ("Olive oil 1L", {"29"}),
        ("Honey jar 500g", {"30"}),
    ],
)
def test_the_same_words_still_name_goods_without_a_colour(title: str, classes: set[str]) -> None:
    assert classes <= bundled_category_map().classes_for_title(title).classes

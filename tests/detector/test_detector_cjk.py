"""Chinese marks: traditional characters, pinyin in Latin letters, same-sounding characters."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detector.cjk import char_pinyin, pinyin_spellings, simplify, simplify_char, syllables
from detector.mark_match import word_mark_signal
from detector.settings import DetectionSettings
from detector.text import MarkIndex
from model import Asset, AssetKind, Listing

SETTINGS = DetectionSettings()


@pytest.fixture
def naike() -> Asset:
    return Asset(id="A-NK", owner="o", kind=AssetKind.WORD_MARK, name="NIKE", keywords=("耐克",))


@pytest.fixture
def index(naike: Asset, novaflex: Asset) -> MarkIndex:
    return MarkIndex([naike, novaflex], SETTINGS)


def found(index: MarkIndex, listing: Listing, asset_id: str = "A-NK") -> list:
    return index.match(listing).get(asset_id, [])


def test_simplify_one_character_at_a_time() -> None:
    assert simplify("諾瓦弗萊 運動鞋") == "诺瓦弗莱 运动鞋"
    assert simplify_char("A") == "A"
    assert simplify_char("耐") == "耐"


def test_toneless_pinyin() -> None:
    assert syllables("耐克") == ("nai", "ke")
    assert syllables("奈克") == ("nai", "ke")
    assert syllables("諾瓦") == ("nuo", "wa")  # traditional reads like simplified
    assert syllables("耐x") == ()  # not all Han
    assert char_pinyin("a") == ""


def test_pinyin_spellings_skip_single_syllables() -> None:
    assert pinyin_spellings("耐克") == [("nai", "ke")]
    assert pinyin_spellings("耐") == []


@pytest.mark.parametrize(
    ("title", "span", "kind"),
    [
        ("正品耐克运动鞋", "耐克", "exact"),
        ("正品耐克運動鞋", "耐克", "exact"),  # the rest of the title in traditional form
        ("新款 naike 跑步鞋", "naike", "pinyin"),
        ("Nai Ke running shoes", "Nai Ke", "pinyin"),
        ("NAIKE sneakers", "NAIKE", "pinyin"),
        ("NaiKe sneakers", "NaiKe", "pinyin"),
        ("nai-ke sneakers", "nai-ke", "pinyin"),
        ("奈克运动鞋", "奈克", "homophone"),
        ("乃可 跑鞋", "乃可", "homophone"),
        ("奈 克 跑鞋", "奈 克", "homophone"),
    ],
)
def test_chinese_mark_found(
    index: MarkIndex, make_listing: Callable[..., Listing], title: str, span: str, kind: str
) -> None:
    [m] = found(index, make_listing(title))
    assert (m.text, m.kind) == (span, kind)
    assert title[m.start : m.end] == span


def test_traditional_form_of_the_mark(
    index: MarkIndex, novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    title = "正品諾瓦弗萊跑鞋"
    [m] = found(index, make_listing(title), novaflex.id)
    assert (m.text, m.kind, m.score) == ("諾瓦弗萊", "traditional", 1.0)
    assert m.reasons == ("traditional 諾 for 诺", "traditional 萊 for 莱")
    assert title[m.start : m.end] == "諾瓦弗萊"


def test_mark_registered_in_traditional_matches_simplified(
    make_listing: Callable[..., Listing],
) -> None:
    mark = Asset(id="T", owner="o", kind=AssetKind.WORD_MARK, name="諾瓦弗萊")
    [m] = MarkIndex([mark], SETTINGS).match(make_listing("诺瓦弗莱跑鞋"))["T"]
    assert m.text == "诺瓦弗莱"


def test_homophone_reasons_name_each_character(
    index: MarkIndex, naike: Asset, make_listing: Callable[..., Listing]
) -> None:
    matches = found(index, make_listing("奈克运动鞋"))
    assert matches[0].reasons == ("homophone 奈 (nai) for 耐",)
    signal = word_mark_signal(naike, matches, SETTINGS)
    assert signal.evidence["disguises"] == ["homophone"]
    assert "'奈克' writes the registered word mark NIKE with homophone" in signal.detail


def test_pinyin_reason(index: MarkIndex, make_listing: Callable[..., Listing]) -> None:
    [m] = found(index, make_listing("Nai Ke running shoes"))
    assert m.reasons == ("pinyin 'Nai Ke' for 耐克",)
    assert m.disguised


@pytest.mark.parametrize(
    "title",
    [
        "Na Ike shoes",  # split inside a syllable
        "naikes",  # not a whole word
        "anaike",
        "nai shoes",  # one syllable
        "耐用 克数",  # the characters, but not next to each other
        "耐心",  # one character of the mark
        "运动鞋 正品 透气 男款",
        "克耐",  # reversed
    ],
)
def test_chinese_negatives(
    index: MarkIndex, make_listing: Callable[..., Listing], title: str
) -> None:
    assert found(index, make_listing(title)) == []


def test_pinyin_that_is_an_everyday_word_is_not_indexed(
    make_listing: Callable[..., Listing],
) -> None:
    li_ning = Asset(id="LN", owner="o", kind=AssetKind.WORD_MARK, name="李宁")
    index = MarkIndex([li_ning], SETTINGS)
    assert index.match(make_listing("李宁 跑鞋"))["LN"][0].kind == "exact"
    assert index.match(make_listing("Jacket with fleece lining")) == {}
    assert index.match(make_listing("Li Ning jacket")) == {}  # same key, so not indexed at all
    baibu = Asset(id="B", owner="o", kind=AssetKind.WORD_MARK, name="百步")
    assert MarkIndex([baibu], SETTINGS).match(make_listing("Bai Bu shoes"))["B"][0].kind == (
        "pinyin"
    )

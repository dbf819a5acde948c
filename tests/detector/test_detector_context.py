"""Mark context: compatibility and resale wording explain a mark; counterfeit wording, distance,
clause breaks and blockers do not let it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from detector.context import ContextLexicon, MarkUse, mark_context, mark_context_signal
from detector.exceptions import LexiconError
from detector.lexicon import MAX_TEXT_CHARS, CounterfeitLexicon
from detector.settings import DetectionSettings
from detector.text import MarkIndex
from model import Asset, Listing, Signal


def context_of(text: str, mark: str, nth: int = 0) -> tuple[str, str, str] | None:
    """(use, cue as written, side) for the ``nth`` occurrence of ``mark`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(mark, start + 1)
    hit = mark_context(text, start, start + len(mark))
    if hit is None:
        return None
    assert text[hit.start : hit.end] == hit.cue
    return str(hit.kind), hit.cue, hit.position


@pytest.mark.parametrize(
    ("text", "mark", "cue", "side"),
    [
        ("Silicone case for iPhone 15 Pro", "iPhone", "case for", "before"),
        ("Compatible with Apple iPhone 15", "iPhone", "Compatible with", "before"),
        ("Replacement Band for Fitbit Charge 5", "Fitbit", "Replacement Band for", "before"),
        ("Fits Dyson V11 and V15", "Dyson", "Fits", "before"),
        ("Can be used with Nespresso machines", "Nespresso", "be used with", "before"),
        ("Toner for HP LaserJet", "HP", "Toner for", "before"),
        ("Nespresso compatible capsules", "Nespresso", "compatible", "after"),
        ("iPhone-compatible charger", "iPhone", "compatible", "after"),
        ("适用于苹果iPhone15手机壳", "苹果", "适用于", "before"),
        ("苹果专用充电线", "苹果", "专用", "after"),
        ("兼容戴森V11的滤网", "戴森", "兼容", "before"),
        ("戴森通用配件", "戴森", "通用", "after"),
        ("iPhone 15 専用 ケース", "iPhone", "専用", "after"),
        ("Funda para iPhone 15", "iPhone", "Funda para", "before"),
        ("Hülle für iPhone", "iPhone", "Hülle für", "before"),
        ("Universal remote control for Brevanto TV", "Brevanto", "control for", "before"),
        ("Wireless game controller for Brevanto X1", "Brevanto", "controller for", "before"),
        ("Replacement remote controls for Brevanto", "Brevanto", "controls for", "before"),
    ],
)
def test_compatibility(text: str, mark: str, cue: str, side: str) -> None:
    assert context_of(text, mark) == ("compatibility", cue, side)


@pytest.mark.parametrize(
    ("text", "mark", "cue", "side"),
    [
        ("Novaflex Air, pre-owned, size 42", "Novaflex", "pre-owned", "after"),
        ("Used Novaflex bag", "Novaflex", "Used", "before"),
        ("Second hand Novaflex jacket", "Novaflex", "Second hand", "before"),
        ("Novaflex sneakers, worn twice. Original receipt included", "Novaflex",
         "Original receipt", "after"),
        ("二手 诺瓦弗莱 运动鞋", "诺瓦弗莱", "二手", "before"),
        ("个人闲置诺瓦弗莱", "诺瓦弗莱", "闲置", "before"),
        ("诺瓦弗莱 正品转让 九成新", "诺瓦弗莱", "正品转让", "after"),
        ("Zapatillas Novaflex usado", "Novaflex", "usado", "after"),
        ("Novaflex Tasche gebraucht", "Novaflex", "gebraucht", "after"),
        ("중고 Novaflex", "Novaflex", "중고", "before"),
    ],
)  # fmt: skip
def test_resale(text: str, mark: str, cue: str, side: str) -> None:
    assert context_of(text, mark) == ("resale", cue, side)


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("Novaflex case for iPhone 15", "Novaflex"),  # the case's own brand, before the cue
        ("Case for iPhone 15 with Novaflex print", "Novaflex"),  # blocker between
        ("Case for iPhone 15 Pro Max Novaflex", "Novaflex"),  # too many words between
        ("Fits true to size. Novaflex Air Max", "Novaflex"),  # clause break
        ("One size fits all Novaflex cap", "Novaflex"),  # "fits all" is about sizes
        ("Fits most wrists comfortably and looks great with every Novaflex outfit", "Novaflex"),
        ("Novaflex shoes, best fit for running", "Novaflex"),  # cue after, before-only cue
        ("Novaflex Air Max 90 size 42", "Novaflex"),
        ("Novaflex shoes can be used to hike", "Novaflex"),  # "used to" is not resale
        ("Novaflex", "Novaflex"),
    ],
)
def test_no_context(text: str, mark: str) -> None:
    assert context_of(text, mark) is None


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("Inspired by Novaflex, case for iPhone", "iPhone"),
        ("1:1 case for iPhone", "iPhone"),
        ("Novaflex replica, pre-owned", "Novaflex"),
        ("高仿 适用于苹果", "苹果"),
        ("二手 诺瓦弗莱 A货", "诺瓦弗莱"),
    ],
)
def test_counterfeit_wording_wins(text: str, mark: str) -> None:
    assert context_of(text, mark) is None


def test_negated_counterfeit_wording_does_not_cancel() -> None:
    assert context_of("Pre-owned Novaflex bag, not a replica", "Novaflex") == (
        "resale",
        "Pre-owned",
        "before",
    )


def test_compatibility_beats_resale_and_nearer_beats_farther() -> None:
    assert context_of("Used case for iPhone 15", "iPhone") == (
        "compatibility",
        "case for",
        "before",
    )
    text = "Compatible with Novaflex, fits Novaflex"
    assert context_of(text, "Novaflex", nth=1) == ("compatibility", "fits", "before")


def test_context_can_use_another_counterfeit_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "lex.yaml"
    path.write_text(
        "version: 1\nnegations: [never]\ncategories:\n  replica:\n    description: x\n"
        "    terms: [{term: clonish, lang: en, weight: 0.5}]\n",
        "utf-8",
    )
    text = "clonish case for iPhone"
    start = text.index("iPhone")
    assert mark_context(text, start, start + 6) is not None  # bundled lexicon: no hit
    assert mark_context(text, start, start + 6, counterfeit=CounterfeitLexicon.load(path)) is None


def test_detail_and_evidence_say_why() -> None:
    text = "Case for iPhone"
    hit = mark_context(text, 9, 15)
    assert hit is not None and hit.kind is MarkUse.COMPATIBILITY
    assert hit.detail == (
        "'Case for' before the mark reads as compatibility wording: the item is sold to fit"
        " or work with the branded product, not as that product."
    )
    assert hit.as_evidence() == {
        "use": "compatibility",
        "cue": "Case for",
        "term": "case for",
        "language": "en",
        "position": "before",
        "start": 0,
        "end": 8,
    }
    resale = mark_context("二手诺瓦弗莱", 2, 6)
    assert resale is not None and resale.detail.startswith("'二手' before the mark reads as resale")


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (8, 3), (0, 10_000)])
def test_bad_span_gives_nothing(start: int, end: int) -> None:
    assert mark_context("Case for iPhone", start, end) is None


def test_hostile_text_is_bounded() -> None:
    text = "case for " * 100_000 + "iPhone"
    assert mark_context(text, len(text) - 6, len(text)) is None  # beyond max_chars
    near = "fits " * 3_000  # every cue is matched, only the last one is near enough
    hit = mark_context(near + "iPhone", len(near), len(near) + 6)
    assert hit is not None and hit.start == len(near) - 5
    assert len(near) + 6 < MAX_TEXT_CHARS < len(text)


# --- loading ------------------------------------------------------------------------------

CUSTOM = """
version: 1
groups:
  - kind: compatibility
    position: before
    window: 30
    max_gap_words: 1
    blockers: [with]
    cues: [{term: sized for, lang: en}]
  - kind: resale
    position: around
    window: 50
    same_clause: false
    cues: [{term: reloved, lang: en}]
"""


def test_context_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "context.yaml"
    path.write_text(CUSTOM, "utf-8")
    lex = ContextLexicon.load(path)
    text = "Sized for Novaflex. Reloved"
    cues = lex.cues_for(text, 10, 18)
    assert [(str(c.kind), c.cue) for c in cues] == [
        ("compatibility", "Sized for"),
        ("resale", "Reloved"),
    ]
    assert lex.cues_for("sized for big Novaflex", 14, 22)[0].cue == "sized for"
    assert lex.cues_for("sized for big red Novaflex", 18, 26) == []
    assert lex.cues_for("sized for x with Novaflex", 17, 25) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CUSTOM.replace("kind: resale", "kind: repair"), r"groups\.1\.kind|groups\[1\]\.kind"),
        (CUSTOM.replace("position: before", "position: beside"), r"groups\[0\]\.position"),
        (CUSTOM.replace("window: 30", "window: 900"), r"groups\[0\]\.window"),
        (
            CUSTOM.replace("blockers: [with]", "blockers: ['..']"),
            "blocker '..' has no letter or digit",
        ),
        (
            CUSTOM.replace("{term: reloved, lang: en}", "{term: reloved, lang: en, wight: 1}"),
            r"cues\[0\] \('reloved'\)\.wight: Extra inputs",
        ),
        (
            CUSTOM.replace("term: reloved", "term: SIZED_FOR"),
            r"groups\[1\] \(resale, around\): term 'SIZED_FOR' is the same as 'sized for'",
        ),
        ("groups: [", "cannot read lexicon"),
    ],
)
def test_bad_context_file_is_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(LexiconError, match=message) as info:
        ContextLexicon.load(path)
    assert str(path) in str(info.value)


def test_bundled_context_is_loaded_once() -> None:
    assert ContextLexicon.bundled() is ContextLexicon.bundled()


# --- the signal, over real mark matches ---------------------------------------------------


def signal_for(asset: Asset, listing: Listing) -> Signal | None:
    matches = MarkIndex([asset], DetectionSettings()).match(listing).get(asset.id, [])
    assert matches, "the mark must be found for the test to mean anything"
    return mark_context_signal(listing, matches)


def test_signal_for_compatibility(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    signal = signal_for(novaflex, make_listing("Silicone case for Novaflex X2 phone"))
    assert signal is not None and signal.kind == "mark_context" and signal.score == 0.0
    assert signal.detail == (
        "In the title, 'case for' before 'Novaflex' reads as compatibility wording: the item"
        " is sold to fit or work with the branded product, not as that product."
    )
    assert signal.evidence["use"] == "compatibility"
    assert signal.evidence["contexts"] == [
        {
            "field": "title",
            "mark_start": 18,
            "mark_end": 26,
            "use": "compatibility",
            "cue": "case for",
            "term": "case for",
            "language": "en",
            "position": "before",
            "start": 9,
            "end": 17,
        }
    ]


def test_signal_for_resale_across_fields(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("二手 诺瓦弗莱 运动鞋", description="Novaflex runners, pre-owned")
    signal = signal_for(novaflex, listing)
    assert signal is not None and signal.evidence["use"] == "resale"
    assert signal.detail.startswith("In the title, '二手' before '诺瓦弗莱' reads as resale")
    assert signal.detail.endswith("The other 1 mention(s) read the same way.")
    assert [c["field"] for c in signal.evidence["contexts"]] == ["title", "description"]


def test_mixed_uses_give_the_milder_excuse(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("Case for Novaflex X2", description="Used Novaflex case")
    signal = signal_for(novaflex, listing)
    assert signal is not None and signal.evidence["use"] == "resale"


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("Case for Novaflex X2", "Genuine Novaflex phone included"),  # one plain mention
        ("Case for Novaflex X2", "1:1 replica"),  # counterfeit wording in another field
        ("Novaflex sneakers", ""),
        ("Case for Novaflex " * 60, ""),  # keyword stuffing
    ],
)
def test_no_signal_unless_every_mention_is_explained(
    novaflex: Asset, make_listing: Callable[..., Listing], title: str, description: str
) -> None:
    assert signal_for(novaflex, make_listing(title, description=description)) is None


def test_counterfeit_wording_in_attributes_cancels(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    listing = make_listing("Case for Novaflex X2", attributes={"Quality": "AAA+"})
    assert signal_for(novaflex, listing) is None

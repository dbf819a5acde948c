"""Counterfeit-intent lexicon: each category in several languages, the false friends it must
skip, negations, spans in the original text, bounded work on hostile text, explained errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from detector.exceptions import LexiconError
from detector.lexicon import MAX_TEXT_CHARS, CounterfeitLexicon, counterfeit_wording_signal
from model import Listing


@pytest.fixture(scope="module")
def lexicon() -> CounterfeitLexicon:
    return CounterfeitLexicon.bundled()


def terms(lexicon: CounterfeitLexicon, text: str) -> list[str]:
    return [h.term for h in lexicon.find(text)]


@pytest.mark.parametrize(
    ("text", "expected", "category", "language"),
    [
        ("NOVAFLEX Replica sneakers", ["replica"], "replica", "en/es/it/pt"),
        ("rep novaflex runner", ["rep"], "replica", "en"),
        ("Super-Fake Novaflex", ["super fake"], "replica", "en"),
        ("high copy watch", ["high copy"], "replica", "en"),
        ("Knock-off bag", ["knock off"], "replica", "en"),
        ("Réplica tênis", ["replica"], "replica", "en/es/it/pt"),
        ("реплика кроссовки", ["реплика"], "replica", "ru"),
        ("诺瓦弗莱高仿运动鞋", ["高仿"], "replica", "zh"),
        ("精仿A货包包", ["精仿", "a货"], "replica", "zh"),
        ("ロレックス スーパーコピー", ["スーパーコピー"], "replica", "ja"),
        ("짝퉁 가방", ["짝퉁"], "replica", "ko"),
        ("AAA quality sneakers", ["aaa"], "grade", "en"),
        ("AAA+ grade", ["aaa+"], "grade", "en"),
        ("Novaflex 1:1 version", ["1:1"], "grade", "en"),
        ("１：１ 版本", ["1:1"], "grade", "en"),  # full-width digits and colon
        ("mirror quality", ["mirror quality"], "grade", "en"),
        ("超A级 运动鞋", ["超a"], "grade", "zh"),
        ("1比1 纯原 公司级", ["1比1", "纯原", "公司级"], "grade", "zh"),
        ("sepatu kw super", ["kw super"], "grade", "id"),
        ("same factory as the original", ["same factory"], "factory", "en"),
        ("OEM quality", ["oem quality"], "factory", "en"),
        ("原单尾单 莆田货源", ["原单", "尾单", "莆田"], "factory", "zh"),
        ("代工厂直供", ["代工厂"], "factory", "zh"),
        ("Inspired by Novaflex", ["inspired by"], "lookalike", "en"),
        ("the best dupe", ["dupe"], "lookalike", "en"),
        ("unbranded trainers, Novaflex look", ["unbranded"], "lookalike", "en"),
        ("明星同款 平替", ["同款", "平替"], "lookalike", "zh"),
    ],
)
def test_categories_and_languages(
    lexicon: CounterfeitLexicon, text: str, expected: list[str], category: str, language: str
) -> None:
    hits = lexicon.find(text)
    assert [h.term for h in hits] == expected
    assert hits[0].category == category
    assert hits[0].language == language
    assert all(0 < h.weight <= 1 for h in hits)


@pytest.mark.parametrize(
    "text",
    [
        "Novaflex repair kit",
        "Authorised representative for Novaflex",
        "Sales rep wanted",
        "3 sets of 12 reps",
        "Remote control, needs 2 AAA batteries",
        "AAA battery pack",
        "AAA battery 4-pack",
        "7号电池 AAA",
        "AAA games bundle",
        "1:10 scale model",
        "1:1 scale figure",
        "mix 1:1 with water",
        "faux fake fur coat",
        "fake plants for the office",
        "bootleg jeans",
        "imitation leather sofa",
        "unbranded trainers",
        "Clone Trooper figure",
        "replicate",
        "reputable seller",
        "假一赔十",
        "",
    ],
)
def test_false_friends_do_not_hit(lexicon: CounterfeitLexicon, text: str) -> None:
    assert lexicon.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Not a replica, 100% authentic",
        "no fakes or replicas",
        "We do not sell any replicas",
        "anti-counterfeit hologram",
        "拒绝高仿",
        "不是A货",
        "非高仿，正品",
        "杜绝假货",
        "no es una réplica",
    ],
)
def test_negated_wording_is_dropped(lexicon: CounterfeitLexicon, text: str) -> None:
    assert lexicon.find(text) == []


def test_negation_needs_adjacency(lexicon: CounterfeitLexicon) -> None:
    # 非常 is "very", not a negation of what follows; "No.1" is a rank.
    assert terms(lexicon, "非常高仿") == ["高仿"]
    assert terms(lexicon, "No.1 replica") == ["replica"]
    assert terms(lexicon, "no box, replica") == ["replica"]


def test_longest_overlapping_term_wins(lexicon: CounterfeitLexicon) -> None:
    assert terms(lexicon, "AAA+ super fake") == ["aaa+", "super fake"]
    assert terms(lexicon, "top quality copy") == ["top quality copy"]


def test_spans_point_into_the_original_text(lexicon: CounterfeitLexicon) -> None:
    text = "Nova ＲＥＰ\u200bＬＩＣＡ and 高仿 and mirror \n  quality"
    hits = lexicon.find(text)
    assert [h.term for h in hits] == ["replica", "高仿", "mirror quality"]
    assert [text[h.start : h.end] for h in hits] == [h.text for h in hits]
    assert hits[0].text == "ＲＥＰ\u200bＬＩＣＡ"
    assert hits[2].text == "mirror \n  quality"


def test_work_is_bounded_by_max_chars(lexicon: CounterfeitLexicon) -> None:
    head = "x " * (MAX_TEXT_CHARS // 2 - 10)
    assert terms(lexicon, head + "replica") == ["replica"]
    assert lexicon.find(head + " " * 40 + "replica") == []
    assert [h.term for h in lexicon.find("replica" + "x" * 9, max_chars=7)] == ["replica"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("a" * 1_000_000, 0),  # one long word: every "aaa" occurrence fails its boundaries
        ("aaa " * 250_000, MAX_TEXT_CHARS // 4),
        ("高仿" * 500_000, MAX_TEXT_CHARS // 2),
        ("not " * 250_000 + "replica", 0),
        ("1:" * 500_000, MAX_TEXT_CHARS // 4),  # "1:1" then ":1:1"... never overlapping
    ],
)
def test_hostile_text(lexicon: CounterfeitLexicon, text: str, count: int) -> None:
    assert len(lexicon.find(text)) == count


# --- the signal ---------------------------------------------------------------------------


def test_clean_listing_gives_no_signal(make_listing: Callable[..., Listing]) -> None:
    assert counterfeit_wording_signal(make_listing("Novaflex running shoe, size 42")) is None


def test_signal_explains_each_hit(make_listing: Callable[..., Listing]) -> None:
    listing = make_listing(
        "NOVAFLEX replica 1:1",
        description="高仿 quality. Replica again.",
        attributes={"Grade": "AAA+"},
    )
    signal = counterfeit_wording_signal(listing)
    assert signal is not None and signal.kind == "counterfeit_wording"
    # the three strongest distinct terms: 高仿 0.95, replica 0.9, aaa+ 0.8 (repeats add nothing)
    assert signal.score == pytest.approx(1 - 0.05 * 0.1 * 0.2)
    assert signal.detail == (
        "Listing uses counterfeit wording (grade, replica): 'replica' and '1:1' in the title;"
        " '高仿' and 'Replica' in the description; 'AAA+' in attribute 'Grade'."
    )
    hits = signal.evidence["hits"]
    assert [(h["field"], h["text"], h["start"], h["end"]) for h in hits] == [
        ("title", "replica", 9, 16),
        ("title", "1:1", 17, 20),
        ("description", "高仿", 0, 2),
        ("description", "Replica", 12, 19),
        ("attributes.Grade", "AAA+", 0, 4),
    ]
    assert signal.evidence["hit_count"] == 5
    assert signal.evidence["terms"][:2] == ["高仿", "replica"]
    assert signal.evidence["categories"] == ["grade", "replica"]


def test_weak_word_alone_gives_a_weak_signal(make_listing: Callable[..., Listing]) -> None:
    signal = counterfeit_wording_signal(make_listing("明星同款运动鞋"))
    assert signal is not None and signal.score == pytest.approx(0.2)


def test_signal_evidence_and_detail_are_bounded(make_listing: Callable[..., Listing]) -> None:
    listing = make_listing("mirror" + " " * 5_000 + "quality", description="rep " * 10_000)
    signal = counterfeit_wording_signal(listing)
    assert signal is not None
    assert signal.evidence["hit_count"] == 1 + 5_000  # description cut at MAX_TEXT_CHARS
    assert len(signal.evidence["hits"]) == 20
    assert "'mirror quality' in the title" in signal.detail
    assert len(signal.detail) < 300


# --- loading ------------------------------------------------------------------------------

CUSTOM = """
version: 1
negations: [never]
negation_fillers: [a]
categories:
  replica:
    description: copies
    terms:
      - {term: knockup, lang: en, weight: 0.7, unless: [knockup game], window: 0}
      - {term: klon, lang: [de, pl], weight: 0.5, match: substring}
      - {term: grade z, lang: en, weight: 0.3, only_with: [shoes], window: 10}
"""


def test_lexicon_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(CUSTOM, "utf-8")
    lex = CounterfeitLexicon.load(path)
    assert terms(lex, "Knockup sneakers") == ["knockup"]
    assert terms(lex, "the knockup game") == []
    assert terms(lex, "never a knockup") == []
    assert terms(lex, "Markenklone") == ["klon"]  # substring: inside a longer word
    assert [h.language for h in lex.find("klon")] == ["de/pl"]
    assert terms(lex, "grade Z shoes") == ["grade z"]
    assert terms(lex, "grade Z, a very long way from the shoes") == []
    assert lex.find("replica") == []  # only its own terms


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "a lexicon must be a mapping, got list"),
        ("version: 1\nnegations: []", "categories: Field required"),
        (
            CUSTOM.replace("weight: 0.7", "weight: 2"),
            r"categories\.replica\.terms\[0\] \('knockup'\)\.weight: Input should be less",
        ),
        (
            CUSTOM.replace("weight: 0.5", "wieght: 0.5"),
            r"terms\[1\] \('klon'\)\.wieght: Extra inputs are not permitted",
        ),
        (CUSTOM.replace("lang: [de, pl]", "lang: German"), r"'German' is not a language code"),
        (CUSTOM.replace("match: substring", "match: fuzzy"), r"\('klon'\)\.match: Input should"),
        (CUSTOM.replace("term: klon", "term: '--'"), r"'--' has no letter or digit"),
        (CUSTOM.replace("unless: [knockup game]", "unless: ['']"), r"'' has no letter or digit"),
        (CUSTOM.replace("replica:", "Replica!:"), "category name 'Replica!' must be lower-case"),
        (CUSTOM.replace("term: klon", "term: ＫｎｏｃｋＵｐ"), "is the same as"),
        (CUSTOM.replace("version: 1", "version: 2"), r"version: Input should be 1"),
        ("categories: [", "cannot read lexicon"),
    ],
)
def test_bad_lexicon_is_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(LexiconError, match=message) as info:
        CounterfeitLexicon.load(path)
    assert str(path) in str(info.value)


def test_duplicate_names_both_entries(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(CUSTOM.replace("term: klon", "term: Knockup"), "utf-8")
    with pytest.raises(LexiconError) as info:
        CounterfeitLexicon.load(path)
    assert "term 'Knockup' is the same as 'knockup' in categories.replica" in str(info.value)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="pass the path of a readable YAML file"):
        CounterfeitLexicon.load(tmp_path / "absent.yaml")


def test_bundled_lexicon_is_loaded_once() -> None:
    assert CounterfeitLexicon.bundled() is CounterfeitLexicon.bundled()

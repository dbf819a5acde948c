"""Word-mark matching: every disguise found, genuine and hard negatives not, evidence exact."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from detector.mark_match import word_mark_signal
from detector.settings import DetectionSettings
from detector.text import MarkIndex
from model import Asset, AssetKind, Listing

SETTINGS = DetectionSettings()


def matches(assets: list[Asset], listing: Listing) -> dict[str, list]:
    return MarkIndex(assets, SETTINGS).match(listing)


@pytest.mark.parametrize(
    ("title", "span", "kind"),
    [
        ("Novaflex trail shoes", "Novaflex", "exact"),
        ("NOVAFLEX", "NOVAFLEX", "exact"),
        ("ＮＯＶＡＦＬＥＸ shoes", "ＮＯＶＡＦＬＥＸ", "fullwidth"),
        ("NovaflexPro 2024", "Novaflex", "exact"),
        ("N O V A F L E X trainers", "N O V A F L E X", "spacing"),
        ("Nova-Flex runner", "Nova-Flex", "spacing"),
        ("new nova.flex shoe", "nova.flex", "spacing"),
        ("N.O.V.A.F.L.E.X", "N.O.V.A.F.L.E.X", "spacing"),
        ("N0vafIex running shoes", "N0vafIex", "homoglyph"),
        ("N0VAFL3X", "N0VAFL3X", "digits"),
        ("Nov@flex", "Nov@flex", "symbols"),
        ("Nоvaflеx", "Nоvaflеx", "homoglyph"),  # Cyrillic о, е
        ("ΝΟVAFLEX", "ΝΟVAFLEX", "homoglyph"),  # Greek Ν, Ο
        ("Növaflex shoes", "Növaflex", "accents"),
        ("Nova\u200bflex", "Nova\u200bflex", "invisible"),
        ("Novaflexx sneakers", "Novaflexx", "misspelling"),
        ("Novafelx sneakers", "Novafelx", "misspelling"),
        ("Nvaflex sneakers", "Nvaflex", "misspelling"),
        ("Nowaflex sneakers", "Nowaflex", "misspelling"),
        ("Noovaflexx", "Noovaflexx", "misspelling"),
    ],
)
def test_mark_found(
    novaflex: Asset, make_listing: Callable[..., Listing], title: str, span: str, kind: str
) -> None:
    found = matches([novaflex], make_listing(title))[novaflex.id]
    assert len(found) == 1
    m = found[0]
    assert (m.text, m.kind) == (span, kind)
    assert title[m.start : m.end] == span
    assert m.disguised is (kind != "exact")


@pytest.mark.parametrize(
    "title",
    [
        "novel flexible hose",
        "Nova flexible lamp",
        "innovative flex fit",
        "novaflexible",  # one longer word, not the mark
        "Nova lamp and flex cable",
        "Running shoes, breathable mesh",
        "",
    ],
)
def test_novaflex_hard_negatives(
    novaflex: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    assert matches([novaflex], make_listing(title)) == {}


@pytest.mark.parametrize(
    "title", ["Lumière scented candle", "Lumina desk lamp", "humor book", "aurora lights", "lumen"]
)
def test_lumora_hard_negatives(
    lumora: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    assert matches([lumora], make_listing(title)) == {}


def test_fuzzy_match_is_not_a_generic_word(make_listing: Callable[..., Listing]) -> None:
    mark = Asset(id="A", owner="o", kind=AssetKind.WORD_MARK, name="FLEXO")
    assert matches([mark], make_listing("flexi fit")).get("A")  # not a dictionary word
    assert matches([mark], make_listing("flex cable")) == {}  # 'flex' is a word


@pytest.mark.parametrize(
    "title", ["novel gadget", "Casanova perfume", "Novak", "novas", "N0VAK", "supernova", "NO VAT"]
)
def test_short_mark_needs_exact_whole_word(
    nova: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    assert matches([nova], make_listing(title)) == {}


def test_short_mark_exact_word_found(nova: Asset, make_listing: Callable[..., Listing]) -> None:
    found = matches([nova], make_listing("NOVA desk lamp"))[nova.id]
    assert [(m.text, m.kind) for m in found] == [("NOVA", "exact")]


@pytest.mark.parametrize("title", ["Bossa Nova vinyl record", "Map of NOVA SCOTIA"])
def test_negative_keywords_suppress(
    nova: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    assert matches([nova], make_listing(title)) == {}


def test_negative_keyword_only_suppresses_its_own_field(
    nova: Asset, make_listing: Callable[..., Listing]
) -> None:
    found = matches([nova], make_listing("NOVA lamp", description="bossa nova playlist"))
    assert [m.field for m in found[nova.id]] == ["title"]


def test_description_and_brand_are_searched(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    found = matches(
        [novaflex], make_listing("Trail shoes", description="Like N0vaflex", brand="NOVAFLEX")
    )[novaflex.id]
    assert {(m.field, m.text) for m in found} == {
        ("description", "N0vaflex"),
        ("brand", "NOVAFLEX"),
    }


def test_chinese_mark_exact(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    title = "正品诺瓦弗莱运动鞋"
    m = matches([novaflex], make_listing(title))[novaflex.id][0]
    assert (m.text, m.form, m.kind) == ("诺瓦弗莱", "诺瓦弗莱", "exact")
    assert title[m.start : m.end] == "诺瓦弗莱"
    assert matches([novaflex], make_listing("正品诺瓦运动鞋")) == {}


def test_detail_explains_the_disguise(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    found = matches([novaflex], make_listing("N0vafIex running shoes"))[novaflex.id]
    signal = word_mark_signal(novaflex, found, SETTINGS)
    assert signal.detail == (
        "Title: 'N0vafIex' writes the registered word mark NOVAFLEX (EU018000001) with"
        " digit 0 for O, capital I for l. A disguised brand is itself evidence of intent to"
        " evade."
    )
    assert signal.evidence["start"] == 0
    assert signal.evidence["end"] == 8
    assert signal.evidence["form"] == "NOVAFLEX"
    assert signal.evidence["disguises"] == ["homoglyph", "digits"]


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Novafelx", "letters 'el' swapped"),
        ("Novaflexx", "doubled letter 'x'"),
        ("Nvaflex", "missing letter 'O'"),
        ("Nоvaflex", "a Cyrillic 'о' for 'O' (CYRILLIC SMALL LETTER O)"),
        ("Nova-Flex", "separators '-' inside the mark"),
        ("N O V A F L E X", "spaces inside the mark"),
    ],
)
def test_reasons(
    novaflex: Asset, make_listing: Callable[..., Listing], title: str, reason: str
) -> None:
    m = matches([novaflex], make_listing(title))[novaflex.id][0]
    assert reason in m.reasons


def test_disguised_match_preferred_for_the_signal(
    novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    found = matches([novaflex], make_listing("Novaflex style, better than N0vaflex"))
    signal = word_mark_signal(novaflex, found[novaflex.id], SETTINGS)
    assert signal.evidence["text"] == "N0vaflex"
    assert [m["text"] for m in signal.evidence["matches"]] == ["N0vaflex", "Novaflex"]


def test_assets_without_marks_are_not_indexed(make_listing: Callable[..., Listing]) -> None:
    photo_only = Asset(id="P", owner="o", kind=AssetKind.PRODUCT_IMAGE, name="Novaflex")
    assert matches([photo_only], make_listing("Novaflex")) == {}


def test_logo_is_matched_in_text_only_through_its_word_element(
    make_listing: Callable[..., Listing],
) -> None:
    described = Asset(id="L", owner="o", kind=AssetKind.FIGURATIVE_MARK, name="Nova swoosh logo")
    assert matches([described], make_listing("Nova swoosh logo hoodie")) == {}
    worded = Asset(
        id="W", owner="o", kind=AssetKind.FIGURATIVE_MARK, name="Swoosh", keywords=("Novaflex",)
    )
    assert "W" in matches([worded], make_listing("Novaflex hoodie"))
    assert matches([worded], make_listing("Swoosh hoodie")) == {}


def test_hostile_text_is_bounded(novaflex: Asset, make_listing: Callable[..., Listing]) -> None:
    spaced = " ".join("novaflexz" * 5000)
    blob = "诺" * 50_000
    found = matches([novaflex], make_listing(spaced, description=blob))
    assert all(m.end <= SETTINGS.max_text_chars for m in found.get(novaflex.id, []))


@pytest.mark.parametrize("title", ["Verano summer dress", "Veltra gaming chair", "Veltr"])
def test_words_missing_two_letters_are_not_the_mark(
    make_listing: Callable[..., Listing], title: str
) -> None:
    mark = Asset(id="V", owner="o", kind=AssetKind.WORD_MARK, name="VELTRANO")
    assert matches([mark], make_listing(title)) == {}
    assert matches([mark], make_listing("Veltrano chair"))["V"][0].kind == "exact"


def test_random_hostile_text_never_breaks_evidence_spans(
    novaflex: Asset, nova: Asset, make_listing: Callable[..., Listing]
) -> None:
    rng = random.Random(1)
    pool = "NOVAFLEXnovaflex 0134@$|!-._ \u200b\u0301\u0308ΝΟоеаß诺瓦弗莱ﬁ\ufeff\U0001f600\ud800Ⅻ½"
    index = MarkIndex([novaflex, nova], SETTINGS)
    for _ in range(500):
        title = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        for found in index.match(make_listing(title)).values():
            for m in found:
                assert title[m.start : m.end] == m.text
                assert 0 < m.score <= 1


@pytest.fixture
def wavelda() -> Asset:
    return Asset(id="A-WAVELDA", owner="o", kind=AssetKind.WORD_MARK, name="WAVELDA")


@pytest.mark.parametrize(
    ("title", "span", "reason"),
    [
        ("Lurnora desk lamp", "Lurnora", "'rn' for 'm'"),
        ("LURNORA lamp", "LURNORA", "'RN' for 'm'"),
        ("new Lu-rnora shade", "Lu-rnora", "'rn' for 'm'"),
        ("Vvavelda kettle", "Vvavelda", "'Vv' for 'w'"),
        ("Wavelcla kettle", "Wavelcla", "'cl' for 'd'"),
        ("vvavelcla", "vvavelcla", "'vv' for 'w'"),
    ],
)
def test_letter_pairs_read_as_the_letter_they_imitate(
    lumora: Asset,
    wavelda: Asset,
    make_listing: Callable[..., Listing],
    title: str,
    span: str,
    reason: str,
) -> None:
    found = matches([lumora, wavelda], make_listing(title))
    assert len(found) == 1
    [m] = next(iter(found.values()))
    assert (m.text, m.kind, m.score) == (span, "homoglyph", 1.0)
    assert title[m.start : m.end] == span
    assert reason in m.reasons


def test_letter_pair_detail(lumora: Asset, make_listing: Callable[..., Listing]) -> None:
    found = matches([lumora], make_listing("Lurnora desk lamp"))[lumora.id]
    assert word_mark_signal(lumora, found, SETTINGS).detail == (
        "Title: 'Lurnora' writes the registered word mark LUMORA with 'rn' for 'm'. A"
        " disguised brand is itself evidence of intent to evade."
    )


def test_mark_with_a_letter_pair_is_folded_the_same_way(
    make_listing: Callable[..., Listing],
) -> None:
    mark = Asset(id="C", owner="o", kind=AssetKind.WORD_MARK, name="CLAROVA")
    assert matches([mark], make_listing("Clarova cream"))["C"][0].kind == "exact"
    m = matches([mark], make_listing("Darova cream"))["C"][0]
    assert (m.text, m.kind, m.reasons) == ("Darova", "homoglyph", ("'D' for 'cl'",))


@pytest.mark.parametrize(
    "title",
    ["modern lamp", "Lurid aurora", "Lumen corner lamp", "turn of the lamp", "lurNora"],
)
def test_letter_pairs_add_no_lumora_false_positives(
    lumora: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    assert matches([lumora], make_listing(title)) == {}


def test_random_text_with_letter_pairs_never_breaks_evidence_spans(
    lumora: Asset, wavelda: Asset, make_listing: Callable[..., Listing]
) -> None:
    rng = random.Random(2)
    pool = "rnvvclRNVVCL 01|-. \u200b\u0301\u0308ΝоıﬁⅫ诺"
    bases = ("Lurnora", "LURNORA", "vvavelcla", "Wavelda", "lumora")
    index = MarkIndex([lumora, wavelda], SETTINGS)
    seen = 0
    for _ in range(500):
        chars = list(rng.choice(bases))
        for _ in range(rng.randint(0, 3)):  # hostile noise around and inside a disguised mark
            chars.insert(rng.randint(0, len(chars)), rng.choice(pool))
        title = "".join(chars)
        for found in index.match(make_listing(title)).values():
            for m in found:
                seen += 1
                assert title[m.start : m.end] == m.text
                assert 0 < m.score <= 1
    assert seen  # the pool does produce matches, so the spans were really checked


@pytest.fixture
def kivo() -> Asset:
    return Asset(id="A-KIVO", owner="o", kind=AssetKind.WORD_MARK, name="KIVO")


@pytest.mark.parametrize(
    ("title", "span", "kind"),
    [
        ("K1VO speaker", "K1VO", "digits"),
        ("K I V O speaker", "K I V O", "spacing"),
        ("K.I.V.O speaker", "K.I.V.O", "spacing"),
        ("Ki-vo speaker", "Ki-vo", "spacing"),  # two pieces, not both everyday words
        ("ＫＩＶＯ speaker", "ＫＩＶＯ", "fullwidth"),
        ("КIVО speaker", "КIVО", "homoglyph"),  # Cyrillic К, О
        ("KlVO speaker", "KlVO", "homoglyph"),  # small l among capitals
        ("KivoAir speaker", "Kivo", "exact"),  # a camelCase part is a word of its own
        ("HomeKivo speaker", "Kivo", "exact"),
        ("Kiv0! speaker", "Kiv0", "digits"),
        ("$KIVO speaker", "KIVO", "exact"),
    ],
)
def test_short_mark_disguises_found(
    kivo: Asset, make_listing: Callable[..., Listing], title: str, span: str, kind: str
) -> None:
    [m] = matches([kivo], make_listing(title))[kivo.id]
    assert (m.text, m.kind) == (span, kind)
    assert title[m.start : m.end] == span


@pytest.mark.parametrize(
    "title",
    [
        "Kiva blocks",
        "kiwi",
        "klvo",
        "Kivos",
        "kivotos",
        "KI VOX",
        "knvo",
        "kiv",
        "KIV O2",  # a digit after the split: not the mark spelt apart
    ],
)
def test_short_mark_disguises_not_ordinary_words(
    kivo: Asset, make_listing: Callable[..., Listing], title: str
) -> None:
    assert matches([kivo], make_listing(title)) == {}


def test_short_mark_letter_pairs_only_inside_a_word(make_listing: Callable[..., Listing]) -> None:
    zumi = Asset(id="Z", owner="o", kind=AssetKind.WORD_MARK, name="ZUMI")
    [m] = matches([zumi], make_listing("Zurni plush toy"))["Z"]
    assert (m.text, m.kind) == ("Zurni", "homoglyph")
    yam = Asset(id="Y", owner="o", kind=AssetKind.WORD_MARK, name="YAM")
    dove = Asset(id="D", owner="o", kind=AssetKind.WORD_MARK, name="DOVE")
    assert matches([yam, dove], make_listing("yarn and clove")) == {}


def test_two_everyday_words_are_not_a_split_short_mark(
    make_listing: Callable[..., Listing],
) -> None:
    asto = Asset(id="AS", owner="o", kind=AssetKind.WORD_MARK, name="ASTO")
    assert matches([asto], make_listing("as to the lamp")) == {}
    assert matches([asto], make_listing("A S T O lamp"))["AS"][0].kind == "spacing"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("MANGO", "tango dance shoes"),  # an edit on the first letter: another word
        ("VERSACE", "ver sale"),  # the edit falls inside an everyday word
        ("MAGPIE", "maple syrup"),  # a plain lower-case l is not an I
        ("MAGPIE", "ＭＡＰＬＥ syrup"),  # nor when typed full-width
        ("QUANTIVO", "Quantity discount"),  # two plain changes to one plain word
        ("CONVERSE", "convert units"),
    ],
)
def test_misspellings_that_are_other_words(
    make_listing: Callable[..., Listing], name: str, title: str
) -> None:
    mark = Asset(id="M", owner="o", kind=AssetKind.WORD_MARK, name=name)
    assert matches([mark], make_listing(title)) == {}


@pytest.mark.parametrize(
    ("name", "title", "span"),
    [
        ("CLOUD MAPLE", "C L O U D M A P L E duvet", "C L O U D M A P L E"),
        ("CLOUD MAPLE", "C-l-o-u-d-M-a-p-l-e duvet", "C-l-o-u-d-M-a-p-l-e"),
        ("TORNAVIK", "Torenavik headphones", "Torenavik"),  # the pair falls apart
        ("SAFFRON", "safforn perfume", "safforn"),  # a swap makes a pair that is not there
        ("ORCHID", "o r c i d headphones", "o r c i d"),  # spelt out and misspelt
        ("BRAVIO", "B•r•a•v•i•i•o lamp", "B•r•a•v•i•i•o"),
        ("SAFFRON", "＄ａｆｆｒｏｎ perfume", "＄ａｆｆｒｏｎ"),
        ("KORVELLA", "K0rve||a board", "K0rve||a"),
    ],
)
def test_combined_disguises(
    make_listing: Callable[..., Listing], name: str, title: str, span: str
) -> None:
    mark = Asset(id="M", owner="o", kind=AssetKind.WORD_MARK, name=name)
    [m] = matches([mark], make_listing(title))["M"]
    assert m.text == span
    assert m.disguised


def test_homoglyph_reasons_name_the_character_and_the_scripts(
    make_listing: Callable[..., Listing],
) -> None:
    nike = Asset(id="N", owner="o", kind=AssetKind.WORD_MARK, name="NIKE")
    [m] = matches([nike], make_listing("Νike Air"))["N"]
    assert m.kinds == ("homoglyph", "mixed_scripts")
    assert m.reasons == (
        "a Greek 'Ν' for 'N' (GREEK CAPITAL LETTER NU)",
        "mixed scripts (Greek and Latin) in one word",
    )
    [m] = matches([nike], make_listing("ΝΙΚΕ Air"))["N"]  # all Greek: no mix to report
    assert m.kinds == ("homoglyph",)


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("ＮＯＶＡflex", "full-width characters 'ＮＯＶＡ'"),
        ("𝐍𝐎𝐕𝐀𝐅𝐋𝐄𝐗", "'𝐍' (MATHEMATICAL BOLD CAPITAL N) for 'N'"),
        ("N_O_V_A_F_L_E_X", "separators '_' inside the mark"),
        ("Nova\u00adflex", "invisible characters (U+00AD) inside the mark"),
        ("Novaflx", "missing letter 'E'"),
        ("Novaflexs", "extra letter 's'"),
    ],
)
def test_more_reasons(
    novaflex: Asset, make_listing: Callable[..., Listing], title: str, reason: str
) -> None:
    [m] = matches([novaflex], make_listing(title))[novaflex.id]
    assert reason in m.reasons

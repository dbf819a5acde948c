"""Folding and tokenising: width, case, accents, lookalikes, hidden characters, offsets."""

from __future__ import annotations

import pytest

from detector.normalize import fold, fold_text, lite


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("NOVAFLEX", "novaflex"),
        ("ＮＯＶＡＦＬＥＸ", "novaflex"),  # full-width (NFKC)
        ("Növäflèx", "novaflex"),  # diacritics
        ("Nоvaflex", "novaflex"),  # Cyrillic о
        ("ΝΟVΑFLΕΧ", "novaflex"),  # Greek capitals
        ("Nova\u200bflex\u00ad", "novaflex"),  # zero-width space, soft hyphen
        ("Straße", "strasse"),
        ("Søren Łódź", "soren lodz"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_lite_keeps_accents_and_lookalikes_but_not_width_or_case() -> None:
    assert lite("ＮöVA") == "növa"
    assert lite("Nоva") != "nova"  # Cyrillic о is still Cyrillic in the lite view


def test_skeleton_reads_digits_and_symbols_as_letters() -> None:
    ft = fold_text("N0vafIex Nov@flex 5ale")
    assert ft.skeleton == "novaflex novaflex sale"
    assert len(ft.skeleton) == len(ft.folded)


def test_trailing_symbols_are_tokens_of_their_own() -> None:
    ft = fold_text("Novaflex! $affron Qor@ K0rve||a wow!! a @ b")
    words = [(ft.folded[t.start : t.end], t.hard, t.gap) for t in ft.tokens]
    assert words == [
        ("novaflex", True, 0),
        ("!", True, 0),  # a word boundary on both sides: "Novaflex" is still a whole word
        ("$", True, 1),
        ("affron", True, 0),
        ("qor", True, 1),
        ("@", True, 0),
        ("k", True, 1),
        ("0", False, 0),
        ("rve||a", False, 0),  # up to two symbols inside a word
        ("wow", True, 1),  # "!!" is punctuation, not a letter
        ("a", True, 3),
        ("b", True, 3),  # a lone symbol between spaces is a separator
    ]


def test_tokens_soft_split_camel_case_and_digits() -> None:
    ft = fold_text("NovaflexPro X200 ok")
    words = [(ft.folded[t.start : t.end], t.hard) for t in ft.tokens]
    assert words == [
        ("novaflex", True),
        ("pro", False),
        ("x", True),
        ("200", False),
        ("ok", True),
    ]


def test_cjk_characters_are_one_token_each() -> None:
    ft = fold_text("正品诺瓦 shoes")
    assert [ft.folded[t.start : t.end] for t in ft.tokens] == ["正", "品", "诺", "瓦", "shoes"]
    assert all(t.hard for t in ft.tokens)


def test_offsets_map_back_to_original_text() -> None:
    text = "Buy ＮＯＶＡ-flèx now"
    ft = fold_text(text)
    tok = ft.tokens[2]  # "flex"
    start, end = ft.original_span(tok.start, tok.end)
    assert text[start:end] == "flèx"


def test_original_span_includes_trailing_combining_accent() -> None:
    text = "flexe\u0301 x"  # e + combining acute
    ft = fold_text(text)
    tok = ft.tokens[0]
    start, end = ft.original_span(tok.start, tok.end)
    assert text[start:end] == "flexe\u0301"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Lurnora", "lumora"),
        ("vvave", "wave"),
        ("clove", "dove"),
        ("LURNORA", "lumora"),  # case is folded before pairs are read
        ("rnrn", "mm"),
        ("vvv", "wv"),  # left to right, no overlap
        ("ci cI", "cl cl"),  # 'ci' is not the pair 'cl'
        ("lur nora", "lur nora"),  # never across a word boundary
        ("lurNora", "lurnora"),  # nor across a camelCase boundary
    ],
)
def test_skeleton_reads_letter_pairs_as_one_letter(text: str, read: str) -> None:
    ft = fold_text(text)
    assert ft.skeleton_text(0, len(ft.skeleton)) == read
    assert len(ft.skeleton) == len(ft.folded)  # the filler keeps positions aligned


def test_source_text_of_a_merged_pair_is_its_original_letters() -> None:
    ft = fold_text("Lu\u200brnora")
    k = ft.folded.index("r")
    assert ft.source_text(k) == "rn"
    assert ft.source_text(0) == "L"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("𝐍𝐎𝐕𝐀", "nova"),  # mathematical bold (NFKC)
        ("𝔑𝔬𝔳𝔞", "nova"),  # mathematical fraktur
        ("ΝΙΚΕ", "nlke"),  # Greek capital iota imitates l; the skeleton merges i and l
        ("Νike", "nike"),  # Greek capital Nu is read before case folding
        ("Ꮇօrа", "mora"),  # Cherokee, Armenian, Cyrillic
        ("ꓠꓲꓗꓰ", "nlke"),  # Lisu capitals (LISU LETTER I imitates l)
        ("諾瓦弗萊", "诺瓦弗莱"),  # traditional -> simplified
        ("耐克", "耐克"),
        ("Ǹovä", "nova"),
    ],
)
def test_fold_reads_tr39_lookalikes_and_traditional_chinese(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_keeps_one_position_per_character_for_chinese() -> None:
    text = "正品諾瓦弗萊運動鞋"
    ft = fold_text(text)
    assert len(ft.folded) == len(text)
    assert [ft.original_char(k) for k in range(len(text))] == list(text)


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [
        ("N1K3", "nlke"),
        ("4D1D45", "adldas"),
        ("7O8Y", "toby"),
        ("N!ke", "nlke"),
        ("Ad$da$", "adsdas"),
        ("ΝΙΚΕ", "nlke"),
        ("6ARVEN", "garven"),  # a 6 or a 9 for a g
        ("9arven", "garven"),
    ],
)
def test_skeleton_reads_leetspeak(text: str, skeleton: str) -> None:
    ft = fold_text(text)
    assert ft.skeleton_text(0, len(ft.skeleton)) == skeleton


@pytest.mark.parametrize(
    "text", ["N i k e", "N.I.K.E", "N-i-k-e", "N_i_k_e", "N / i / k / e", "N\u200bi\u200bke"]
)
def test_separators_split_tokens_that_read_as_one_word(text: str) -> None:
    ft = fold_text(text)
    assert "".join(ft.folded[t.start : t.end] for t in ft.tokens) == "nike"
    assert all(t.gap <= 3 for t in ft.tokens)


def test_symbols_from_other_blocks_stay_separators() -> None:
    ft = fold_text("Nike × Sacai ∣ shoes")
    assert [ft.folded[t.start : t.end] for t in ft.tokens] == ["nike", "sacai", "shoes"]


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [
        ("55Q6100EE", "55q6100ee"),  # a model number keeps its digits
        ("TX-4960", "tx-4960"),
        ("Quarven 32H5907 tv", "quarven 32h5907 tv"),
        ("Qu4rv3n 32H5907", "quarven 32h5907"),  # leetspeak beside it is still read
        ("B4R3", "bare"),  # no run of digits: letters written as digits
        ("M1@rv3n 2024", "mlarven 2024"),  # a symbol inside leetspeak is no number
    ],
)
def test_words_of_mostly_digits_are_not_read_as_letters(text: str, skeleton: str) -> None:
    ft = fold_text(text)
    assert ft.skeleton_text(0, len(ft.skeleton)) == skeleton
    assert ft.plain == skeleton


@pytest.mark.parametrize(
    ("text", "folded"), [("Blåbær", "blabaer"), ("ŒUVRE Æther", "oeuvre aether")]
)
def test_letters_spelt_with_two_letters_fold_without_error(text: str, folded: str) -> None:
    assert fold_text(text).folded == folded

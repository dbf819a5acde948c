"""Claim elements and listing clauses: the units the embedder compares."""

from __future__ import annotations

from detector.semantic.clauses import (
    ELEMENT,
    MAX_CLAUSE_CHARS,
    MAX_CLAUSES,
    MAX_ELEMENTS_PER_CLAIM,
    PREAMBLE,
    claim_elements,
    design_article,
    independent_claims,
    is_dependent,
    listing_clauses,
)

CUP = (
    "1. A beverage container, comprising: a body having an inner wall and an outer wall"
    " separated by an evacuated gap; a lid removably attached to the body; a temperature"
    " sensor mounted in the lid; and a display on the lid that shows the temperature,"
    " wherein the display is powered by a battery housed in the lid."
)
BIN = (
    "1. 一种自动感应垃圾桶，包括：桶体；可转动地连接于所述桶体顶部的桶盖；设置在所述桶盖前端的"
    "红外感应器，用于检测人手靠近；以及电机，根据所述红外感应器的信号驱动所述桶盖翻开；"
    "其特征在于，所述桶盖在未检测到人手后延时自动闭合。"
)


def test_english_claim_splits_into_preamble_semicolon_and_wherein_elements() -> None:
    elements = claim_elements(CUP)
    assert [(e.role, e.text) for e in elements] == [
        (PREAMBLE, "A beverage container"),
        (ELEMENT, "a body having an inner wall and an outer wall separated by an evacuated gap"),
        (ELEMENT, "a lid removably attached to the body"),
        (ELEMENT, "a temperature sensor mounted in the lid"),
        (ELEMENT, "a display on the lid that shows the temperature"),
        (ELEMENT, "the display is powered by a battery housed in the lid"),
    ]
    assert [e.index for e in elements] == list(range(6))


def test_chinese_claim_splits_at_baokuo_semicolons_and_characterising_part() -> None:
    texts = [e.text for e in claim_elements(BIN)]
    assert texts[0] == "一种自动感应垃圾桶"
    assert "设置在所述桶盖前端的红外感应器，用于检测人手靠近" in texts
    assert "电机，根据所述红外感应器的信号驱动所述桶盖翻开" in texts
    assert texts[-1] == "所述桶盖在未检测到人手后延时自动闭合"
    # "桶体" alone is too short to embed on its own: it joins the next element.
    assert texts[1].startswith("桶体")


def test_claim_without_transition_is_one_body() -> None:
    elements = claim_elements("A hinge made of spring steel that closes the lid by itself")
    assert [e.role for e in elements] == [ELEMENT]


def test_dependent_claims_are_left_out_in_both_languages() -> None:
    claims = (
        CUP,
        "2. The beverage container of claim 1, wherein the display is an LED display.",
        BIN,
        "4. 根据权利要求3所述的垃圾桶，其特征在于，还包括充电电池。",
    )
    assert is_dependent(claims[1]) and is_dependent(claims[3])
    assert not is_dependent(CUP) and not is_dependent(BIN)
    assert [number for number, _ in independent_claims(claims)] == [1, 3]


def test_a_numbered_claims_block_in_one_string_is_split() -> None:
    block = (
        f"{CUP}\n2. The beverage container of claim 1, wherein the lid is steel."
        "\n3. A lid comprising a sensor; and a display."
    )
    assert [n for n, _ in independent_claims((block,))] == [1, 3]


def test_listing_clauses_keep_title_sentences_and_comma_phrases() -> None:
    clauses = listing_clauses(
        "Smart Bottle, LED Temperature Lid, 500ml",
        "Touch the lid to see the temperature. Holds 1.5 litres! 智能保温杯，触摸显示水温。",
    )
    assert clauses[0] == "Smart Bottle, LED Temperature Lid, 500ml"
    assert "LED Temperature Lid" in clauses
    assert "Touch the lid to see the temperature" in clauses
    assert "Holds 1.5 litres" in clauses  # a decimal point does not end a sentence
    assert "触摸显示水温" in clauses
    assert len(clauses) == len({c.casefold() for c in clauses})


def test_hostile_listing_text_is_capped_in_count_and_length() -> None:
    clauses = listing_clauses("a" * 100_000, "word, " * 200_000 + "。" * 100_000)
    assert 0 < len(clauses) <= MAX_CLAUSES
    assert all(len(c) <= MAX_CLAUSE_CHARS for c in clauses)


def test_hostile_claim_is_capped() -> None:
    elements = claim_elements("A device comprising: " + "a part that is long enough; " * 5_000)
    assert len(elements) <= MAX_ELEMENTS_PER_CLAIM + 1


def test_design_article_drops_the_ornamental_design_wording() -> None:
    assert design_article("Ornamental design for a water bottle") == "water bottle"
    assert design_article("The ornamental design for an electric kettle") == "electric kettle"
    assert design_article("台灯的外观设计") == "台灯"
    assert design_article("外观设计：保温杯") == "保温杯"
    assert design_article("Lamp") == "Lamp"

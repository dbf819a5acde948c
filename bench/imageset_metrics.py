"""Precision and recall of image matchers over the labelled image set, at any score threshold.

A prediction is (case, asset, score). On a positive case the expected asset found at or above
the threshold is a true positive and every other asset found is a false positive; on a
negative case every asset found is a false positive. Precision = TP / (TP + FP), recall =
TP / positives. No prediction at all is neither: a matcher that finds nothing has recall 0
and precision "n/a", never 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

Predictions = dict[str, dict[str, float]]  # case id -> asset id -> score (higher = surer)


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    positives: int

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None


def score(
    cases: Sequence[dict[str, Any]], predictions: Predictions, threshold: float = 0.0
) -> Score:
    """TP, FP and positives over ``cases`` counting predictions with score >= threshold."""
    tp = fp = positives = 0
    for case in cases:
        expected = case.get("asset_id") if case["expect"] == "match" else None
        positives += expected is not None
        for asset_id, value in predictions.get(case["id"], {}).items():
            if value < threshold:
                continue
            if asset_id == expected:
                tp += 1
            else:
                fp += 1
    return Score(tp, fp, positives)


def thresholds(predictions: Iterable[Predictions], steps: int = 12) -> list[float]:
    """Evenly spaced quantiles of every score seen: where the curve actually bends."""
    values = sorted({v for p in predictions for found in p.values() for v in found.values()})
    if not values:
        return []
    picks = {values[round(i * (len(values) - 1) / (steps - 1))] for i in range(steps)}
    return sorted(picks)


def best_recall_at(
    cases: Sequence[dict[str, Any]], predictions: Predictions, min_precision: float
) -> tuple[float | None, Score | None]:
    """The lowest threshold whose precision reaches ``min_precision`` (highest recall there)."""
    for t in thresholds([predictions], steps=200):
        result = score(cases, predictions, t)
        if result.precision is not None and result.precision >= min_precision:
            return t, result
    return None, None


def fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.3f}"

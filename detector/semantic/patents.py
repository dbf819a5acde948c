"""Patent matcher: does a listing describe, in its own words, what a patent protects?

Utility patents: each independent claim is cut into elements (``clauses.py``) and embedded
once. A listing is cut into clauses, embedded in one batch, and each element takes its most
similar clause. An element is *covered* when that similarity reaches ``element_threshold``;
its credit then grows linearly to 1 at ``threshold + CREDIT_SPAN``. The claim score is the
weighted mean credit (the preamble, which every same-kind product shares, weighs half), and
the patent's score is its best claim: a listing must cover most elements to score high, as
the all-elements rule asks. Every element is reported beside its best listing clause so a
reviewer can read them side by side.

Design patents: the article of manufacture (the title minus "ornamental design for", plus
the keywords) against the listing title. A weak signal: it says the listing sells that kind
of article, not that it copies the drawings (the image matcher compares those).

No model is loaded until a listing is matched against at least one patent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from detector.semantic.clauses import (
    CHARACTERISING,
    MAX_CLAUSE_CHARS,
    PREAMBLE,
    ClaimElement,
    claim_elements,
    design_article,
    independent_claims,
    listing_clauses,
)
from detector.semantic.embedder import DEFAULT_EMBEDDER, get_embedder
from model import AssetKind, Signal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.semantic.embedder import Embedder
    from detector.settings import DetectionSettings
    from model import Asset, Listing


@dataclass(frozen=True)
class Calibration:
    """Similarity levels of one embedder, measured by ``bench/semantic_quality.py``."""

    element_threshold: float  # an element is covered from here
    min_claim_score: float  # below this no patent_claim signal is emitted
    article_threshold: float  # design article similarity that starts to count


# Cosine scales differ between models, so each embedder has its own levels.
CALIBRATIONS: dict[str, Calibration] = {
    "use": Calibration(element_threshold=0.2, min_claim_score=0.6, article_threshold=0.4),
    "minilm": Calibration(element_threshold=0.2, min_claim_score=0.75, article_threshold=0.25),
}
CREDIT_SPAN = 0.3  # similarity above the threshold at which an element counts in full
PREAMBLE_WEIGHT = 0.5
CHARACTERISING_WEIGHT = 1.0  # measured: 2.0 did not raise F1 on the bench set
ROLE_WEIGHTS = {PREAMBLE: PREAMBLE_WEIGHT, CHARACTERISING: CHARACTERISING_WEIGHT}
MAX_ARTICLES_PER_ASSET = 8
MAX_TITLE_CLAUSES = 8


@dataclass(frozen=True)
class _ClaimRows:
    """Where one claim's elements sit in the element matrix."""

    asset_id: str
    claim: int
    start: int
    stop: int


class PatentIndex:
    """Claim elements and design articles of the registered patents, embedded on first use."""

    def __init__(
        self,
        assets: Sequence[Asset],
        settings: DetectionSettings | None = None,
        embedder_name: str = DEFAULT_EMBEDDER,
        calibration: Calibration | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        # ``embedder`` lets a benchmark share one already-loaded model (or a cache around it)
        # between indexes; by default the process-wide one is loaded on the first match.
        self.embedder_name = embedder.name if embedder is not None else embedder_name
        self.calibration = calibration or CALIBRATIONS.get(self.embedder_name, CALIBRATIONS["use"])
        self._max_text_chars = settings.max_text_chars if settings is not None else 20_000
        self._assets = {a.id: a for a in assets}
        self._elements: list[ClaimElement] = []
        self._claims: list[_ClaimRows] = []
        self._articles: list[tuple[str, str]] = []  # (asset id, article phrase)
        for asset in assets:
            if asset.kind is AssetKind.UTILITY_PATENT:
                self._add_claims(asset)
            elif asset.kind is AssetKind.DESIGN_PATENT:
                self._add_articles(asset)
        self._embedder: Embedder | None = None
        self._given_embedder = embedder
        self._element_vectors: np.ndarray | None = None
        self._article_vectors: np.ndarray | None = None

    def __bool__(self) -> bool:
        """False when no patent is registered: matching is then free and loads nothing."""
        return bool(self._claims or self._articles)

    def _add_claims(self, asset: Asset) -> None:
        for number, text in independent_claims(asset.claims):
            elements = claim_elements(text, number)
            if not elements:
                continue
            start = len(self._elements)
            self._elements.extend(elements)
            self._claims.append(_ClaimRows(asset.id, number, start, len(self._elements)))

    def _add_articles(self, asset: Asset) -> None:
        phrases = [design_article(asset.name), *asset.keywords]
        unique = list(dict.fromkeys(p.strip()[:MAX_CLAUSE_CHARS] for p in phrases if p.strip()))
        self._articles.extend((asset.id, p) for p in unique[:MAX_ARTICLES_PER_ASSET])

    def _ensure_embedded(self) -> Embedder:
        """Load the model and embed the registered side once, on the first match."""
        if self._embedder is None:
            embedder = self._given_embedder or get_embedder(self.embedder_name)
            self._element_vectors = embedder.encode([e.text for e in self._elements])
            self._article_vectors = embedder.encode([p for _, p in self._articles])
            self._embedder = embedder
        return self._embedder

    def match(self, listing: Listing) -> dict[str, Signal]:
        """Asset id -> ``patent_claim`` or ``design_article`` signal, for patents that match."""
        if not self:
            return {}
        title = listing.title[: self._max_text_chars]
        description = listing.description[: self._max_text_chars]
        clauses = listing_clauses(title, description)
        if not clauses:
            return {}
        embedder = self._ensure_embedded()
        vectors = embedder.encode(clauses)
        signals: dict[str, Signal] = {}
        if self._claims:
            signals.update(self._claim_signals(clauses, vectors))
        if self._articles:
            title_rows = _title_rows(clauses, title)
            for asset_id, signal in self._article_signals(clauses, vectors, title_rows).items():
                signals.setdefault(asset_id, signal)
        return signals

    def _claim_signals(self, clauses: list[str], vectors: np.ndarray) -> dict[str, Signal]:
        assert self._element_vectors is not None
        sims = self._element_vectors @ vectors.T  # (elements, clauses)
        best_clause = sims.argmax(axis=1)
        best_sim = sims.max(axis=1)
        threshold = self.calibration.element_threshold
        credit = np.clip((best_sim - threshold) / CREDIT_SPAN, 0.0, 1.0)
        credit[best_sim < threshold] = 0.0
        best: dict[str, tuple[float, _ClaimRows]] = {}
        for rows in self._claims:
            score = _claim_score(
                self._elements[rows.start : rows.stop], credit[rows.start : rows.stop]
            )
            if rows.asset_id not in best or score > best[rows.asset_id][0]:
                best[rows.asset_id] = (score, rows)
        signals = {}
        for asset_id, (score, rows) in best.items():
            if score < self.calibration.min_claim_score:
                continue
            report = [
                {
                    "element": self._elements[i].text,
                    "role": self._elements[i].role,
                    "listing_clause": clauses[int(best_clause[i])],
                    "similarity": round(float(best_sim[i]), 3),
                    "covered": bool(best_sim[i] >= threshold),
                }
                for i in range(rows.start, rows.stop)
            ]
            signals[asset_id] = self._claim_signal(asset_id, rows.claim, score, report)
        return signals

    def _claim_signal(
        self, asset_id: str, claim: int, score: float, report: list[dict[str, Any]]
    ) -> Signal:
        covered = sum(1 for r in report if r["covered"])
        asset = self._assets[asset_id]
        label = asset.registration_number or asset.name
        return Signal(
            kind="patent_claim",
            score=round(score, 6),
            detail=(
                f"The listing describes {covered} of {len(report)} elements of claim {claim}"
                f" of patent {label} in other words (semantic match, {self.embedder_name})."
            ),
            evidence={
                "embedder": self.embedder_name,
                "claim": claim,
                "covered": covered,
                "elements": report,
                "element_threshold": self.calibration.element_threshold,
            },
        )

    def _article_signals(
        self, clauses: list[str], vectors: np.ndarray, title_rows: list[int]
    ) -> dict[str, Signal]:
        assert self._article_vectors is not None
        sims = self._article_vectors @ vectors[title_rows].T  # (articles, title clauses)
        threshold = self.calibration.article_threshold
        signals: dict[str, Signal] = {}
        best: dict[str, tuple[float, int, int]] = {}
        for row, (asset_id, _) in enumerate(self._articles):
            col = int(sims[row].argmax())
            value = float(sims[row, col])
            if asset_id not in best or value > best[asset_id][0]:
                best[asset_id] = (value, row, col)
        for asset_id, (value, row, col) in best.items():
            if value < threshold:
                continue
            score = min(1.0, (value - threshold) / CREDIT_SPAN)
            article = self._articles[row][1]
            clause = clauses[title_rows[col]]
            signals[asset_id] = Signal(
                kind="design_article",
                score=round(max(score, 0.01), 6),
                detail=(
                    f"The listing title sells the article of design patent"
                    f" {self._assets[asset_id].registration_number or self._assets[asset_id].name}"
                    f" ({article!r}); the drawings are compared by the image matcher."
                ),
                evidence={
                    "embedder": self.embedder_name,
                    "article": article,
                    "listing_clause": clause,
                    "similarity": round(value, 3),
                    "article_threshold": threshold,
                },
            )
        return signals


def _claim_score(elements: Sequence[ClaimElement], credit: np.ndarray) -> float:
    weights = np.array([ROLE_WEIGHTS.get(e.role, 1.0) for e in elements])
    return float((weights * credit).sum() / weights.sum())


def _title_rows(clauses: list[str], title: str) -> list[int]:
    """Rows of the clauses cut from the title (the first clause is always the title)."""
    folded = title.casefold()
    rows = [i for i, c in enumerate(clauses) if c.casefold() in folded]
    return (rows or [0])[:MAX_TITLE_CLAUSES]

"""A registered word mark found in a listing's text, and the signal those matches give."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from detector.normalize import FoldedText
from model import AssetKind, Signal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.settings import DetectionSettings
    from detector.vision.ocr import ImageText, TextBox
    from model import Asset

FIELD_NAMES = {
    "title": "Title",
    "description": "Description",
    "brand": "Brand field",
    "image_text": "Text in a listing image",
}

MAX_EVIDENCE_MATCHES = 5


@dataclass(frozen=True)
class MarkForm:
    """One registered spelling of a mark, folded for lookup.

    ``mode``: ``long`` (skeleton + fuzzy), ``short`` (whole words only), ``cjk`` (folded,
    anywhere in a run of characters) or ``pinyin`` (Latin spelling of a ``cjk`` form).
    """

    asset_id: str
    text: str
    source: FoldedText
    folded: str
    skeleton: str
    mode: str
    gaps: int
    syllables: tuple[str, ...] = ()


Reading = tuple[MarkForm, bool]  # a form and whether it is read with letter pairs merged


@dataclass(frozen=True)
class MarkMatch:
    """A span of one listing field that matches a mark form."""

    asset_id: str
    form: str
    field: str
    start: int
    end: int
    text: str
    score: float
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]
    image: ImageText | None = None  # field "image_text": the photo and the line read from it
    box: TextBox | None = None

    @property
    def disguised(self) -> bool:
        """Any difference beyond case counts as a disguise."""
        return bool(self.kinds)

    @property
    def kind(self) -> str:
        """``exact`` or the most telling disguise category."""
        return self.kinds[0] if self.kinds else "exact"

    def as_evidence(self) -> dict[str, Any]:
        """Plain JSON-able evidence: the original span and what it matched."""
        where: dict[str, Any] = {}
        if self.image is not None and self.box is not None:
            where = {
                "image_url": self.image.url,
                "image_sha256": self.image.sha256,
                "bbox": list(self.box.bbox),
                "ocr_confidence": self.box.confidence,
            }
        return {
            "field": self.field,
            **where,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "form": self.form,
            "match_kind": self.kind,
            "disguised": self.disguised,
            "disguises": list(self.kinds),
            "reasons": list(self.reasons),
            "similarity": round(self.score, 4),
        }


def _non_overlapping(matches: list[MarkMatch]) -> list[MarkMatch]:
    """Keep the best match of each overlapping group: highest score, then fewest edits."""
    kept: list[MarkMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.end - m.start, m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def word_mark_signal(
    asset: Asset, matches: Sequence[MarkMatch], settings: DetectionSettings
) -> Signal:
    """One signal per asset: the most telling match, with up to five matches as evidence."""

    def weight(m: MarkMatch) -> float:
        w = settings.weight_word_mark_disguised if m.disguised else settings.weight_word_mark_exact
        return w * m.score

    ranked = sorted(matches, key=lambda m: (-weight(m), m.field, m.start))
    best = ranked[0]
    evidence = best.as_evidence()
    evidence["matches"] = [m.as_evidence() for m in ranked[:MAX_EVIDENCE_MATCHES]]
    detail = _detail(asset, best)
    return Signal(kind="word_mark", score=best.score, detail=detail, evidence=evidence)


def _detail(asset: Asset, m: MarkMatch) -> str:
    where = FIELD_NAMES.get(m.field, m.field)
    reg = f" ({asset.registration_number})" if asset.registration_number else ""
    if asset.kind is AssetKind.FIGURATIVE_MARK:
        # A logo is a picture: its name describes it ("NOVAFLEX hexagon logo"); what text can
        # match is its word element, the registered spelling that was found.
        element = m.form.upper() if m.form.isascii() else m.form
        logo = f"{element}, the word element of the registered logo “{asset.name}”{reg}"
        if not m.disguised:
            return f"{where} contains '{m.text}': {logo}."
        return (
            f"{where}: '{m.text}' writes {logo}, with {', '.join(m.reasons)}."
            " A disguised brand is itself evidence of intent to evade."
        )
    mark = asset.name.upper() if asset.name.isascii() else asset.name
    if not m.disguised:
        return f"{where} contains the registered word mark {mark}{reg} as '{m.text}'."
    return (
        f"{where}: '{m.text}' writes the registered word mark {mark}{reg} with"
        f" {', '.join(m.reasons)}. A disguised brand is itself evidence of intent to evade."
    )

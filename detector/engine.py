"""The detector: indexes built once from the registered assets, then one cheap call per listing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detector.categories import bundled_category_map
from detector.context import ContextLexicon, mark_context_signal
from detector.exceptions import DetectorError
from detector.images import ImageIndex, image_copy_signal
from detector.lexicon import CounterfeitLexicon, counterfeit_wording_signal
from detector.model import Finding
from detector.rules import (
    SellerStatus,
    below_price_floor_signal,
    class_mismatch_signal,
    seller_status,
    unauthorized_seller_signal,
)
from detector.scoring import risk
from detector.semantic.patents import PatentIndex
from detector.settings import DetectionSettings
from detector.text import MARK_KINDS, MarkIndex, word_mark_signal
from detector.vision.ocr import ImageTextReader

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.categories import CategoryMap
    from detector.model import Asset, Listing, Signal

_DEFAULT_SETTINGS = DetectionSettings()


class Detector:
    """Score listings against registered assets; ``detect`` is pure and deterministic."""

    def __init__(
        self,
        assets: Sequence[Asset],
        settings: DetectionSettings = _DEFAULT_SETTINGS,
        categories: CategoryMap | None = None,
        counterfeit: CounterfeitLexicon | None = None,
        context: ContextLexicon | None = None,
    ) -> None:
        self.settings = settings
        # The bundled category map and lexicons unless the caller loaded others.
        self.categories = categories if categories is not None else bundled_category_map()
        self.counterfeit = counterfeit if counterfeit is not None else CounterfeitLexicon.bundled()
        self.context = context if context is not None else ContextLexicon.bundled()
        self._assets: dict[str, Asset] = {}
        for asset in assets:
            if asset.id in self._assets:
                raise DetectorError(
                    f"asset id {asset.id!r} is registered twice; give each asset a unique id"
                )
            self._assets[asset.id] = asset
        self._marks = MarkIndex(assets, settings)
        # Photos are OCR'd only when a word/figurative mark could be printed on them; the
        # engine itself loads on the first photo actually read (then once per process).
        reads_text = settings.ocr_max_images > 0 and any(a.kind in MARK_KINDS for a in assets)
        self._ocr = ImageTextReader(settings) if reads_text else None
        self._images = ImageIndex(assets, settings)
        # Loads no model until a listing meets a registered patent (then once per process).
        self._patents = PatentIndex(assets, settings, embedder_name=settings.semantic_embedder)

    def detect(self, listing: Listing) -> list[Finding]:
        """Findings for every asset with risk > 0, highest risk first (ties by asset id)."""
        image_texts = self._ocr.read_listing(listing.images) if self._ocr is not None else []
        marks = self._marks.match(listing, image_texts=image_texts)
        images = self._images.match(listing.images)
        patents = self._patents.match(listing)
        if not marks and not images and not patents:
            return []  # wording alone never makes a finding: skip the lexicon scan
        wording = counterfeit_wording_signal(listing, self.counterfeit)
        findings = []
        for asset_id in sorted(set(marks) | set(images) | set(patents)):
            asset = self._assets[asset_id]
            signals: list[Signal] = []
            if asset_id in marks:
                signals.append(word_mark_signal(asset, marks[asset_id], self.settings))
                title_spans = [(m.start, m.end) for m in marks[asset_id] if m.field == "title"]
                mismatch = class_mismatch_signal(
                    asset, listing, self.categories, self.settings, mark_spans=title_spans
                )
                if mismatch is not None:
                    signals.append(mismatch)
                use = None
                if wording is None:  # counterfeit wording voids any excuse (scoring rule 5)
                    use = mark_context_signal(
                        listing,
                        marks[asset_id],
                        context=self.context,
                        counterfeit=self.counterfeit,
                        max_chars=self.settings.max_text_chars,
                    )
                if use is not None:
                    signals.append(use)
            if asset_id in images:
                signals.append(image_copy_signal(asset, images[asset_id], self.settings))
            if asset_id in patents:
                signals.append(patents[asset_id])
            for rule_signal in (
                unauthorized_seller_signal(asset, listing.seller),
                below_price_floor_signal(asset, listing, self.settings),
                wording,
            ):
                if rule_signal is not None:
                    signals.append(rule_signal)
            authorized = seller_status(asset, listing.seller) is SellerStatus.AUTHORIZED
            value = risk(signals, self.settings, seller_authorized=authorized)
            if value > 0:
                findings.append(
                    Finding(
                        listing_id=listing.id,
                        asset_id=asset_id,
                        risk=value,
                        flagged=value >= self.settings.threshold,
                        signals=tuple(signals),
                    )
                )
        findings.sort(key=lambda f: (-f.risk, f.asset_id))
        return findings

"""The detector: indexes built once from the registered assets, then one cheap call per listing."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from detector.categories import bundled_category_map
from detector.context import ContextLexicon, mark_context_signal
from detector.copy_owners import one_owner_per_copy
from detector.exceptions import DetectorError
from detector.image_cache import ImageSignalCache
from detector.image_signals import PhotoSignals
from detector.images import ImageIndex, image_copy_signal, photo_hashes
from detector.lexicon import CounterfeitLexicon, counterfeit_wording_signal
from detector.mark_match import word_mark_signal
from detector.owner_text import fold_logo_text
from detector.rules import (
    SellerStatus,
    authorized_seller_signal,
    below_price_floor_signal,
    class_mismatch_signal,
    owner_wide_sellers,
    seller_status,
    unauthorized_seller_signal,
)
from detector.scoring import risk
from detector.semantic.patents import PatentIndex
from detector.settings import DetectionSettings
from detector.text import MARK_KINDS, MarkIndex
from detector.vision.copycheck import CopyChecker
from detector.vision.descriptor import (
    DescriptorMatcher,
    DescriptorUnavailableError,
    descriptor_copy_signal,
)
from detector.vision.designs import DesignMatcher, design_signal
from detector.vision.logo_match import logo_signal
from detector.vision.logos import LogoMatcher
from detector.vision.ocr import ImageTextReader
from detector.vision.regions import RegionIndex, region_copy_signal
from model import Finding

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    from PIL.Image import Image as PILImage

    from detector.categories import CategoryMap
    from model import Asset, Listing, Signal

_DEFAULT_SETTINGS = DetectionSettings()
_log = logging.getLogger(__name__)


class Detector:
    """Score listings against registered assets; ``detect`` is pure and deterministic."""

    def __init__(
        self,
        assets: Sequence[Asset],
        settings: DetectionSettings = _DEFAULT_SETTINGS,
        categories: CategoryMap | None = None,
        counterfeit: CounterfeitLexicon | None = None,
        context: ContextLexicon | None = None,
        image_cache: ImageSignalCache | Path | None = None,
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
        self._assets = owner_wide_sellers(self._assets)
        assets = list(self._assets.values())
        # Per-photo signals (descriptor, SIFT, OCR, hashes) stored by photo SHA-256: a photo met
        # before, on any listing or under any registry, is not extracted again.
        if isinstance(image_cache, Path):
            image_cache = ImageSignalCache(image_cache)
        signals = PhotoSignals(image_cache, assets) if image_cache is not None else None
        self.image_signals = signals
        self._marks = MarkIndex(assets, settings)
        # Photos are OCR'd only when a word/figurative mark could be printed on them; the
        # engine itself loads on the first photo actually read (then once per process).
        reads_text = settings.ocr_max_images > 0 and any(a.kind in MARK_KINDS for a in assets)
        self._ocr = (
            (signals.text_reader(settings) if signals else ImageTextReader(settings))
            if reads_text
            else None
        )
        self._images = ImageIndex(assets, settings)
        # The learned level loads torch on its first listing photo, and only when some asset
        # has a registered image; each pair it proposes must pass a geometric check (a copy
        # shares local features with its source, a look-alike photo does not). Without the
        # 'descriptor' extra the hash level works alone.
        descriptors = (
            DescriptorMatcher(
                assets,
                settings,
                descriptor=(
                    signals.descriptor(
                        settings.descriptor_model,
                        settings.descriptor_device,
                        settings.descriptor_runtime,
                    )
                    if signals
                    else None
                ),
            )
            if settings.descriptor_model
            else None
        )
        self._descriptors = descriptors if descriptors is not None and descriptors.needed else None
        self._copy_check = CopyChecker() if self._descriptors is not None else None
        # Decides which owner a photo copied from one of two similar registered photos is for.
        self._owner_check = self._copy_check if self._copy_check is not None else CopyChecker()
        # A registered photo pasted into part of the frame (another picture, a screenshot):
        # local features of every product photo in one index, then a verified homography.
        regions = RegionIndex(assets, settings.region_max_images, settings.region_min_inliers)
        if signals is not None:
            regions.describe = signals.region_features
        self._regions = regions if settings.region_max_images > 0 and regions.needed else None
        # Feature matching for logos inside photos and outline matching for design drawings;
        # each does nothing unless such an asset has a decoded image.
        self._logos = LogoMatcher(assets, settings) if settings.logo_max_images > 0 else None
        if self._logos is not None and signals is not None:
            self._logos.describe = signals.logo_features
        self._designs = DesignMatcher(assets, settings)
        # Loads no model until a listing meets a registered patent (then once per process).
        self._patents = PatentIndex(assets, settings, embedder_name=settings.semantic_embedder)

    def detect(self, listing: Listing) -> list[Finding]:
        """Findings for every asset with risk > 0, highest risk first (ties by asset id)."""
        if self.image_signals is None:
            return self._detect(listing)
        with self.image_signals.listing(listing.images):
            return self._detect(listing)

    def _detect(self, listing: Listing) -> list[Finding]:
        image_texts = self._ocr.read_listing(listing.images) if self._ocr is not None else []
        marks = self._marks.match(listing, image_texts=image_texts)
        images = self._copy_signals(listing)
        logos = self._logos.match(listing.images) if self._logos else {}
        designs = self._designs.match(listing.images) if self._designs else {}
        patents = self._patents.match(listing)
        linked = set(marks) | set(images) | set(logos) | set(designs) | set(patents)
        if not linked:
            return []  # wording alone never makes a finding: skip the lexicon scan
        wording = counterfeit_wording_signal(listing, self.counterfeit)
        signals_by_asset: dict[str, list[Signal]] = {}
        for asset_id in sorted(linked):
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
                signals.append(images[asset_id])
            if asset_id in logos and asset_id not in images:  # one picture, one signal
                signals.append(logo_signal(asset, logos[asset_id], self.settings))
            if asset_id in designs:
                signals.append(design_signal(asset, designs[asset_id], self.settings))
            if asset_id in patents:
                signals.append(patents[asset_id])
            for rule_signal in (
                authorized_seller_signal(asset, listing.seller),
                unauthorized_seller_signal(asset, listing.seller),
                below_price_floor_signal(asset, listing, self.settings),
                wording,
            ):
                if rule_signal is not None:
                    signals.append(rule_signal)
            signals_by_asset[asset_id] = signals
        return self._findings(listing, fold_logo_text(signals_by_asset, self._assets))

    def _findings(
        self, listing: Listing, signals_by_asset: dict[str, list[Signal]]
    ) -> list[Finding]:
        """A finding per asset whose signals still tie the listing to it, highest risk first."""
        findings = []
        for asset_id, signals in signals_by_asset.items():
            asset = self._assets[asset_id]
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

    def _copy_signals(self, listing: Listing) -> dict[str, Signal]:
        """One ``image_copy`` signal per asset: the hash level, else the verified descriptor,
        else the region level; a photo matching two owners' registered photos stays with the
        best-matching one unless both are verified strongly (``one_owner_per_copy``).

        Hashes are exact and cheap, so their evidence wins when several levels see the copy;
        the descriptor answers for harder edits (tight crops, overlays, borders, re-framing),
        the region level for a photo that fills only part of the frame.
        """
        out = {
            asset_id: image_copy_signal(self._assets[asset_id], found, self.settings)
            for asset_id, found in self._images.match(
                listing.images,
                self.image_signals.hashes if self.image_signals is not None else photo_hashes,
            ).items()
        }
        out.update(self._descriptor_signals(listing, found=set(out)))
        if self._regions is not None:
            for asset_id, matches in self._regions.match(listing.images).items():
                if asset_id not in out:
                    out[asset_id] = region_copy_signal(self._assets[asset_id], matches)
        if len({self._assets[a].owner for a in out}) > 1:
            out = one_owner_per_copy(out, self._assets, listing.images, self._owner_check)
        return out

    def _listing_features(self, image: PILImage) -> tuple[np.ndarray, np.ndarray]:
        """The copy check's features of a listing photo, from the image-signal cache if any."""
        assert self._copy_check is not None
        if self.image_signals is not None:
            return self.image_signals.copy_features(self._copy_check, image)
        return self._copy_check.listing_features(image)

    def _descriptor_signals(self, listing: Listing, found: set[str]) -> dict[str, Signal]:
        """Learned-descriptor copies of assets the hashes did not find, geometrically checked."""
        out: dict[str, Signal] = {}
        if self._descriptors is None or self._copy_check is None:
            return out
        try:
            learned = self._descriptors.match(listing.images)
        except DescriptorUnavailableError as exc:
            _log.warning("learned image descriptor off: %s", exc)
            self._descriptors = None
            return out
        described: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # once per listing photo
        for asset_id, proposed in learned.items():
            if asset_id in found:
                continue
            checked = []
            for match in proposed:
                if match.reference.image is None or match.listing_image.image is None:
                    continue
                key = id(match.listing_image)
                if key not in described:
                    described[key] = self._listing_features(match.listing_image.image)
                check = self._copy_check.check(
                    match.reference.sha256, match.reference.image, described[key]
                )
                if check.passed:
                    checked.append((match, check))
            if checked:
                signal = descriptor_copy_signal(
                    self._assets[asset_id], [m for m, _ in checked], self.settings
                )
                best = max(checked, key=lambda mc: (mc[0].similarity, mc[0].listing_image.url))
                signal.evidence["geometric_inliers"] = best[1].inliers
                signal.evidence["geometric_candidates"] = best[1].candidates
                out[asset_id] = signal
        return out

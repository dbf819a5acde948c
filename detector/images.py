"""Image-copy matcher: perceptual hashes of listing photos against registered reference images.

Each image is reduced to three 64-bit perceptual hashes (pHash, dHash, wHash); the distance
of two images is the mean Hamming distance of the three. Resizing and JPEG recompression
barely move them; small crops do, so each reference is also hashed after centre, edge and
corner crops (``image_crop_fractions``) and a listing photo is compared with the nearest one.
Featureless images (blank, a flat colour) are skipped: their hashes collide with anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import imagehash
import numpy as np
from PIL import Image

from detector.model import AssetKind, Signal

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from detector.model import Asset, ListingImage, ReferenceImage
    from detector.settings import DetectionSettings

HASH_NAMES = ("phash", "dhash", "whash")
WORK_SIZE = 256  # images are shrunk to this long side first: hashes are stable and cheap
MIN_CONTRAST = 4.0  # grey-level standard deviation below which an image has no features
KIND_WORDS = {
    AssetKind.PRODUCT_IMAGE: "product photo",
    AssetKind.FIGURATIVE_MARK: "logo",
    AssetKind.DESIGN_PATENT: "design drawing",
    AssetKind.UTILITY_PATENT: "patent drawing",
    AssetKind.WORD_MARK: "image",
}


def _work_image(image: Image.Image) -> Image.Image:
    gray = image.convert("L")
    if max(gray.size) > WORK_SIZE:
        scale = WORK_SIZE / max(gray.size)
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.BOX)
    return gray


def hash_image(image: Image.Image) -> tuple[int, int, int] | None:
    """(pHash, dHash, wHash) as 64-bit ints, or None for a featureless image."""
    gray = _work_image(image)
    if float(np.asarray(gray, dtype=np.float32).std()) < MIN_CONTRAST:
        return None
    p, d, w = (
        int(str(h), 16)
        for h in (
            imagehash.phash(gray),
            imagehash.dhash(gray),
            imagehash.whash(gray, image_scale=64),
        )
    )
    return p, d, w


def crop_variants(image: Image.Image, fractions: Iterable[float]) -> list[tuple[str, Image.Image]]:
    """The image itself plus centre, edge and corner crops of each fraction."""
    w, h = image.size
    out: list[tuple[str, Image.Image]] = [("full", image)]
    for f in fractions:
        pct = f"{round(f * 100)}%"
        boxes = {
            f"{pct} centre crop": (f / 2, f / 2, f / 2, f / 2),
            f"{pct} left crop": (f, 0, 0, 0),
            f"{pct} top crop": (0, f, 0, 0),
            f"{pct} right crop": (0, 0, f, 0),
            f"{pct} bottom crop": (0, 0, 0, f),
            f"{pct} top-left crop": (f, f, 0, 0),
            f"{pct} top-right crop": (0, f, f, 0),
            f"{pct} bottom-left crop": (f, 0, 0, f),
            f"{pct} bottom-right crop": (0, 0, f, f),
        }
        for name, (left, top, right, bottom) in boxes.items():
            box = (int(w * left), int(h * top), w - int(w * right), h - int(h * bottom))
            if box[2] - box[0] >= 8 and box[3] - box[1] >= 8:
                out.append((name, image.crop(box)))
    return out


@dataclass(frozen=True)
class ImageMatch:
    """One listing image close to one reference image (through one crop variant)."""

    asset_id: str
    listing_image: ListingImage
    reference: ReferenceImage
    variant: str
    distances: tuple[int, int, int]

    @property
    def distance(self) -> float:
        """Mean Hamming distance of the three hashes (0 = same picture)."""
        return sum(self.distances) / 3

    def score(self, settings: DetectionSettings) -> float:
        """1.0 for an identical picture, falling linearly to 0.5 at the distance cut-off."""
        if settings.image_max_distance == 0:
            return 1.0
        return 1.0 - 0.5 * min(1.0, self.distance / settings.image_max_distance)

    def as_evidence(self) -> dict[str, Any]:
        """The image pair and the numbers, JSON-able."""
        return {
            "listing_image_url": self.listing_image.url,
            "listing_image_sha256": self.listing_image.sha256,
            "reference_sha256": self.reference.sha256,
            "reference_label": self.reference.label,
            "variant": self.variant,
            "distance": round(self.distance, 3),
            **dict(zip((f"{n}_distance" for n in HASH_NAMES), self.distances, strict=True)),
        }


class ImageIndex:
    """Hashes of every reference image (and its crops) of every asset, built once."""

    def __init__(self, assets: Sequence[Asset], settings: DetectionSettings) -> None:
        self._settings = settings
        rows: list[tuple[int, int, int]] = []
        self._meta: list[tuple[str, ReferenceImage, str]] = []
        for asset in assets:
            for ref in asset.images:
                if ref.image is None:
                    continue  # not decoded: nothing to compare; the registry must decode it
                for variant, image in crop_variants(ref.image, settings.image_crop_fractions):
                    hashes = hash_image(image)
                    if hashes is not None:
                        rows.append(hashes)
                        self._meta.append((asset.id, ref, variant))
        self._hashes = np.array(rows, dtype=np.uint64).reshape(-1, 3)

    def match(self, images: Sequence[ListingImage]) -> dict[str, list[ImageMatch]]:
        """Per asset id, the closest reference for each listing image within the cut-off."""
        out: dict[str, list[ImageMatch]] = defaultdict(list)
        if not len(self._hashes):
            return {}
        for listing_image in images:
            if listing_image.image is None:
                continue
            hashes = hash_image(listing_image.image)
            if hashes is None:
                continue
            dist = np.bitwise_count(self._hashes ^ np.array(hashes, dtype=np.uint64))
            mean = dist.mean(axis=1)
            best: dict[str, int] = {}
            for hit in np.flatnonzero(mean <= self._settings.image_max_distance):
                asset_id = self._meta[hit][0]
                if asset_id not in best or mean[hit] < mean[best[asset_id]]:
                    best[asset_id] = int(hit)
            for asset_id, row in best.items():
                _, ref, variant = self._meta[row]
                d = (int(dist[row][0]), int(dist[row][1]), int(dist[row][2]))
                out[asset_id].append(ImageMatch(asset_id, listing_image, ref, variant, d))
        return dict(out)


def image_copy_signal(
    asset: Asset, matches: Sequence[ImageMatch], settings: DetectionSettings
) -> Signal:
    """One signal per asset: the closest pair, with every matching pair as evidence."""
    ranked = sorted(matches, key=lambda m: (m.distance, m.listing_image.url))
    best = ranked[0]
    evidence = best.as_evidence()
    evidence["pairs"] = [m.as_evidence() for m in ranked]
    what = KIND_WORDS.get(asset.kind, "image")
    label = f" '{best.reference.label}'" if best.reference.label else ""
    how = "" if best.variant == "full" else f" (matched after a {best.variant})"
    detail = (
        f"Listing image {best.listing_image.url} copies the registered {what}{label} of "
        f"{asset.name} (sha256 {best.reference.sha256[:12]}): perceptual-hash distance "
        f"{best.distance:.1f} of 64 bits{how}."
    )
    return Signal(kind="image_copy", score=best.score(settings), detail=detail, evidence=evidence)

"""Copies that fill only part of the frame: local-feature retrieval over every registered photo.

A registered photo pasted into another picture, or shown inside a web page or phone screenshot,
changes the whole frame's hashes and global descriptor, but the pasted pixels keep their own SIFT
features. Every registered product photo is described once (SIFT, square-rooted into RootSIFT so
that Euclidean distance behaves like the Hellinger kernel) and all descriptors go into one faiss
index that remembers which photo each came from. A listing photo's features vote for the photos
whose features are their nearest neighbours (Lowe's ratio taken against the nearest feature of
*another* photo); the few photos with the most votes are then verified pairwise — ratio test and
a MAGSAC++ homography — and a copy needs ``MIN_INLIERS`` features agreeing on one plausible
homography. The match carries the quadrilateral the registered photo occupies in the listing
photo, for the review screen to draw.

Only the index search grows with the number of registered photos (``detector.vision.votes``:
exact for a small registry, an inverted file that searches a few cells for a large one); the
verifications are a fixed few per listing photo.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from detector.vision.keypoints import HOMOGRAPHY_METHOD, describe_keypoints, ratio_pairs
from detector.vision.votes import VoteIndex, overlap
from model import AssetKind, Signal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from PIL.Image import Image

    from model import Asset, ListingImage, ReferenceImage

REFERENCE_SIDE = 640  # registered photos are described at this long side
REFERENCE_FEATURES = 1000
LISTING_SIDE = 1024  # a pasted copy may be a third of the frame: keep enough of its pixels
LISTING_FEATURES = 3000
NEIGHBOURS = 8  # per listing feature, enough to find the nearest feature of another photo
RATIO = 0.8  # Lowe's ratio test, on distances
MIN_VOTES = 10  # fewer ratio-test votes: not worth a homography
MAX_CANDIDATES = 3  # registered photos verified per listing photo
MIN_INLIERS = 15  # features agreeing on one homography that make a partial copy
REPROJECTION_PX = 6.0
MIN_AREA_FRACTION = 0.02  # the copy's projected area / listing photo area
MAX_ANISOTROPY = 4.0
MAX_LISTING_IMAGES = 8
SAME_PLACE = 0.5  # two found regions overlapping this much (of the smaller) are one place
REGION_KINDS = frozenset({AssetKind.PRODUCT_IMAGE})


@dataclass(frozen=True)
class Features:
    """Keypoints (n, 2) in the described image's pixels, RootSIFT descriptors (n, 128) and the
    scale that maps those pixels back to the original image's."""

    points: np.ndarray
    descriptors: np.ndarray
    scale: float
    size: tuple[int, int]  # original width, height


def describe(image: Image, max_side: int, max_features: int) -> Features:
    """RootSIFT features of the image shrunk to ``max_side`` (never enlarged)."""
    grey = image.convert("L")
    scale = min(1.0, max_side / max(grey.size))
    if scale < 1.0:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))))
    sift = cv2.SIFT.create(nfeatures=max_features)
    points, desc = describe_keypoints(sift, np.asarray(grey))
    return Features(points, root_sift(desc), scale, image.size)


def root_sift(descriptors: np.ndarray) -> np.ndarray:
    """L1-normalise and square-root SIFT descriptors (Arandjelović & Zisserman, 2012)."""
    if len(descriptors) == 0:
        return descriptors.astype(np.float32)
    norms = np.abs(descriptors).sum(axis=1, keepdims=True)
    rooted: np.ndarray = np.sqrt(descriptors / np.maximum(norms, 1e-7)).astype(np.float32)
    return rooted


@dataclass(frozen=True)
class Verification:
    """The best homography between a registered photo and a listing photo, in original pixels."""

    inliers: int
    candidates: int
    polygon: tuple[tuple[int, int], ...]  # the registered photo's corners in the listing photo
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1, clipped to the listing photo
    area_fraction: float


def _plausible(homography: np.ndarray, ref_size: tuple[float, float]) -> bool:
    """A pasted photo is scaled, moved, maybe turned or foreshortened — never folded or mirrored
    (a mirrored copy is the hash level's job) nor squashed to a sliver."""
    w, h = ref_size
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32).reshape(-1, 1, 2)
    quad = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
    if not np.isfinite(quad).all() or not cv2.isContourConvex(quad.astype(np.float32)):
        return False
    edges = np.roll(quad, -1, axis=0) - quad
    following = np.roll(edges, -1, axis=0)
    cross = edges[:, 0] * following[:, 1] - edges[:, 1] * following[:, 0]
    if not (cross > 0).all():  # corner order kept: not mirrored
        return False
    lengths = np.linalg.norm(edges, axis=1)
    width, height = (lengths[0] + lengths[2]) / 2, (lengths[1] + lengths[3]) / 2
    stretch = (width / max(w, 1e-6)) / max(height / max(h, 1e-6), 1e-6)
    return bool(1 / MAX_ANISOTROPY <= stretch <= MAX_ANISOTROPY)


def verify(
    reference: Features, listing: Features, min_inliers: int = MIN_INLIERS
) -> Verification | None:
    """The registered photo's place in the listing photo, if enough features agree on one."""
    pairs = ratio_pairs(listing.descriptors, reference.descriptors, RATIO)
    if len(pairs) < min_inliers:
        return None
    src = np.array([reference.points[t] for _, t in pairs], dtype=np.float32).reshape(-1, 1, 2)
    dst = np.array([listing.points[q] for q, _ in pairs], dtype=np.float32).reshape(-1, 1, 2)
    cv2.setRNGSeed(0)
    homography, mask = cv2.findHomography(src, dst, HOMOGRAPHY_METHOD, REPROJECTION_PX)
    if homography is None or mask is None:
        return None
    inliers = int(mask.sum())
    ref_w, ref_h = (side * reference.scale for side in reference.size)
    if inliers < min_inliers or not _plausible(homography, (ref_w, ref_h)):
        return None
    corners = np.array([[0, 0], [ref_w, 0], [ref_w, ref_h], [0, ref_h]], dtype=np.float32).reshape(
        -1, 1, 2
    )
    quad = cv2.perspectiveTransform(corners, homography).reshape(-1, 2) / listing.scale
    width, height = listing.size
    x0, y0 = np.clip(quad.min(axis=0), 0, None)
    x1, y1 = np.minimum(quad.max(axis=0), (width, height))
    if x1 <= x0 or y1 <= y0:
        return None
    area = float(cv2.contourArea(quad.astype(np.float32)))
    visible = (x1 - x0) * (y1 - y0) / (width * height)
    fraction = min(area / (width * height), visible)
    if fraction < MIN_AREA_FRACTION:
        return None
    polygon = tuple((round(float(x)), round(float(y))) for x, y in quad)
    bbox = (round(float(x0)), round(float(y0)), round(float(x1)), round(float(y1)))
    return Verification(inliers, len(pairs), polygon, bbox, round(fraction, 4))


@dataclass(frozen=True)
class RegionMatch:
    """A registered photo found inside a listing photo, with where it sits."""

    asset_id: str
    listing_image: ListingImage
    reference: ReferenceImage
    votes: int
    verification: Verification
    min_inliers: int = MIN_INLIERS

    def score(self) -> float:
        """0.5 at the inlier threshold rising to 1.0 at four times as many verified features."""
        extra = (self.verification.inliers - self.min_inliers) / (3 * self.min_inliers)
        return round(0.5 + 0.5 * max(0.0, min(1.0, extra)), 4)

    def as_evidence(self) -> dict[str, Any]:
        """The image pair, the numbers and the region, JSON-able."""
        v = self.verification
        return {
            "level": "region",
            "listing_image_url": self.listing_image.url,
            "listing_image_sha256": self.listing_image.sha256,
            "reference_sha256": self.reference.sha256,
            "reference_label": self.reference.label,
            "votes": self.votes,
            "geometric_inliers": v.inliers,
            "geometric_candidates": v.candidates,
            "bbox": list(v.bbox),
            "polygon": [list(p) for p in v.polygon],
            "area_fraction": v.area_fraction,
            "min_inliers": self.min_inliers,
        }


class RegionIndex:
    """Features of every registered product photo in one index; built on the first listing photo."""

    def __init__(
        self,
        assets: Sequence[Asset],
        max_images: int = MAX_LISTING_IMAGES,
        min_inliers: int = MIN_INLIERS,
    ) -> None:
        self._entries: list[tuple[str, ReferenceImage]] = [
            (asset.id, ref)
            for asset in assets
            if asset.kind in REGION_KINDS
            for ref in asset.images
            if ref.image is not None
        ]
        self._max_images = max_images
        self._min_inliers = min_inliers
        self._features: list[Features] = []
        self._votes: VoteIndex | None = None
        self._lock = threading.Lock()
        # The feature extractor, replaceable by one that asks the image-signal cache first.
        self.describe: Callable[[Image, int, int], Features] = describe

    @property
    def needed(self) -> bool:
        return bool(self._entries)

    def _ready(self) -> VoteIndex:
        with self._lock:
            if self._votes is None:
                self._features = [
                    self.describe(ref.image, REFERENCE_SIDE, REFERENCE_FEATURES)  # type: ignore[arg-type]
                    for _, ref in self._entries
                ]
                self._votes = VoteIndex([f.descriptors for f in self._features])
            return self._votes

    def match(self, images: Sequence[ListingImage]) -> dict[str, list[RegionMatch]]:
        """Per asset id, each listing photo that holds one of its registered photos."""
        decoded = [img for img in images if img.image is not None][: self._max_images]
        if not decoded or not self.needed:
            return {}
        index = self._ready()
        out: dict[str, list[RegionMatch]] = defaultdict(list)
        for listing_image in decoded:
            assert listing_image.image is not None
            features = self.describe(listing_image.image, LISTING_SIDE, LISTING_FEATURES)
            if len(features.descriptors) < self._min_inliers:
                continue
            shortlist = index.shortlist(
                features.descriptors, MAX_CANDIDATES, MIN_VOTES, NEIGHBOURS, RATIO
            )
            verified: list[RegionMatch] = []
            for row, count in shortlist:
                found = verify(self._features[row], features, self._min_inliers)
                if found is not None:
                    asset_id, reference = self._entries[row]
                    verified.append(
                        RegionMatch(
                            asset_id, listing_image, reference, count, found, self._min_inliers
                        )
                    )
            for kept in best_per_place(verified):
                out[kept.asset_id].append(kept)
        return dict(out)


def best_per_place(matches: Sequence[RegionMatch]) -> list[RegionMatch]:
    """The best-verified registered photo for each place in the listing photo: two registered
    photos found at one place are one copy, of the one more features agree with."""
    kept: list[RegionMatch] = []
    for match in sorted(matches, key=lambda m: -m.verification.inliers):  # stable: votes order
        bbox = match.verification.bbox
        if all(overlap(bbox, k.verification.bbox) < SAME_PLACE for k in kept):
            kept.append(match)
    return kept


def region_copy_signal(asset: Asset, matches: Sequence[RegionMatch]) -> Signal:
    """One ``image_copy`` signal for the asset, from its best-verified listing photo."""
    if not matches:
        raise ValueError("region_copy_signal needs at least one match")
    best = max(matches, key=lambda m: m.verification.inliers)  # ties: the first listing photo
    label = f" '{best.reference.label}'" if best.reference.label else ""
    share = round(100 * best.verification.area_fraction)
    others = len({m.listing_image.url for m in matches}) - 1
    more = f"; {others} more listing photo(s) also hold it" if others > 0 else ""
    detail = (
        f"The registered product photo{label} of {asset.name} is pasted into a listing photo,"
        f" filling about {share}% of it (inside another picture or a page screenshot):"
        f" {best.verification.inliers} local features agree on one placement{more}."
    )
    evidence = best.as_evidence()
    evidence["pairs"] = [
        m.as_evidence() for m in sorted(matches, key=lambda m: -m.verification.inliers)[:10]
    ]
    return Signal(kind="image_copy", score=best.score(), detail=detail, evidence=evidence)

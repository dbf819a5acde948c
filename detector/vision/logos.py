"""Registered logos found inside seller photos: SIFT features, ratio test, verified homography.

A logo is a flat, low-texture graphic, so each reference is prepared once: the background is
masked out (alpha channel, or the border colour of an opaque image), the mark is cropped, padded
and rendered at a few sizes in both polarities (a black mark printed white on a dark product
flips every gradient, which SIFT does not forgive). Listing photos are shrunk to
``max_side`` pixels and described once; each reference is matched to them with Lowe's ratio
test, and a homography is fitted with MAGSAC++. Homographies a printed logo cannot have
(mirrored, collapsed, wildly sheared, tiny or larger than the photo) are rejected; the match
carries the projected quadrilateral and its bounding box in the listing image's own pixels.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image

from detector.vision.flat_index import FlatIndex
from detector.vision.flat_logos import FlatReference, FlatScene, prepare_flat
from detector.vision.keypoints import describe_scene, fit_model, two_nearest, work_image
from detector.vision.logo_match import LogoMatch, LogoParams, _plausible, best_per_place
from detector.vision.logo_references import LogoReference, prepare_reference
from detector.vision.outlines import Alignment, EdgeMap, alignment, edge_map
from detector.vision.votes import VoteIndex
from model import AssetKind

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from detector.settings import DetectionSettings
    from detector.vision.keypoints import SceneFeatures
    from model import Asset, ListingImage


SHORTLIST_RATIO = 0.9  # looser than the matcher's own test: a logo's corners look alike


def _sift(max_features: int) -> cv2.SIFT:
    return cv2.SIFT.create(nfeatures=max_features)


class LogoMatcher:
    """SIFT features of every figurative mark's images, built once; ``match`` per listing."""

    def __init__(
        self,
        assets: Sequence[Asset],
        settings: DetectionSettings | None = None,
        *,
        flat: bool = True,
    ) -> None:
        self.params = LogoParams.from_settings(settings)
        # A listing photo's own features: the detector swaps in the image-signal cache's.
        self.describe: Callable[[Image.Image, int, int], SceneFeatures] = describe_scene
        ref_sift = _sift(self.params.reference_features)
        self._references: list[LogoReference] = []
        # Flat logos (few features or few edges) also get the colour-and-shape stage;
        # ``flat=False`` turns it off, to measure what it adds.
        self._flat: list[FlatReference] = []
        for asset in assets:
            if asset.kind is not AssetKind.FIGURATIVE_MARK:
                continue
            decoded = [r for r in asset.images if r.image is not None]
            for ref in decoded[: self.params.max_references]:
                prepared = prepare_reference(asset.id, ref, self.params.reference_sizes, ref_sift)
                if prepared is not None and len(prepared.points) >= self.params.min_inliers:
                    self._references.append(prepared)
                points = 0 if prepared is None else len(prepared.points)
                shaped = prepare_flat(asset.id, ref, points, self.params.flat) if flat else None
                if shaped is not None:
                    self._flat.append(shaped)
        self._flat_index = FlatIndex(self._flat)  # the colour gate, one product for all
        # Every reference feature in one matrix: a listing photo's features are indexed once
        # and all logos query it in one batched search, not one brute-force match per logo.
        sizes = [len(r.descriptors) for r in self._references]
        ends = np.cumsum(sizes).tolist()
        self._slices = list(zip([0, *ends][: len(ends)], ends, strict=True))
        self._stacked = np.ascontiguousarray(
            np.concatenate([r.descriptors for r in self._references]).astype(np.float32)
            if self._references
            else np.zeros((0, 128), np.float32)
        )
        # With many logos, a photo's features first vote in one index over every logo's
        # features, and only the most-voted logos are matched and verified in full.
        self._votes = VoteIndex([r.descriptors for r in self._references])

    def __bool__(self) -> bool:
        return bool(self._references) or bool(self._flat)

    @property
    def flat_references(self) -> int:
        """How many registered logos the colour-and-shape stage looks for."""
        return len(self._flat)

    def match(self, images: Sequence[ListingImage]) -> dict[str, list[LogoMatch]]:
        """Per asset id, the best verified logo region in each listing image that has one."""
        if not self:
            return {}
        out: dict[str, list[LogoMatch]] = defaultdict(list)
        decoded = [i for i in images if i.image is not None][: self.params.max_images]
        for listing_image in decoded:
            best = self._feature_matches(listing_image) if self._references else {}
            if self._flat:
                assert listing_image.image is not None
                scene = FlatScene(listing_image.image, self.params.flat)  # once per photo
                best = self._colour_checked(scene, best)
                for asset_id, found in self._flat_matches(listing_image, scene, set(best)).items():
                    best[asset_id] = found
            for found in best_per_place(list(best.values()), self.params):
                out[found.asset_id].append(found)
        return dict(out)

    def _feature_matches(self, listing_image: ListingImage) -> dict[str, LogoMatch]:
        """The SIFT stage: per asset, its best verified placement in this photo."""
        assert listing_image.image is not None
        gray, scale = work_image(listing_image.image, self.params.max_side)
        scene = self.describe(listing_image.image, self.params.max_side, self.params.scene_features)
        pts, desc, frames = scene.points, scene.descriptors, scene.frames
        if len(pts) < 2:
            return {}
        chosen = self._shortlist(desc)
        if not chosen:
            return {}
        spans = [self._slices[i] for i in chosen]
        stacked = self._stacked if len(chosen) == len(self._references) else None
        if stacked is None:
            stacked = np.ascontiguousarray(np.concatenate([self._stacked[a:b] for a, b in spans]))
        distances, rows = two_nearest(stacked, desc)
        best: dict[str, LogoMatch] = {}
        edges = _LazyEdges(gray)
        offset = 0
        for i, (start, end) in zip(chosen, spans, strict=True):
            ref = self._references[i]
            nearest = (
                distances[offset : offset + end - start],
                rows[offset : offset + end - start],
            )
            offset += end - start
            found = self._match_one(ref, listing_image, (pts, frames), nearest, edges, scale)
            if found is None:
                continue
            held = best.get(ref.asset_id)
            if held is None or found.inliers > held.inliers:
                best[ref.asset_id] = found
        return best

    def _shortlist(self, desc: np.ndarray) -> list[int]:
        """Positions of the references worth matching in full against this photo's features:
        all of them while few, else the ``shortlist`` most voted for (in registry order)."""
        if len(self._references) <= self.params.shortlist:
            return list(range(len(self._references)))
        voted = self._votes.shortlist(desc, self.params.shortlist, ratio=SHORTLIST_RATIO)
        return sorted(row for row, _ in voted)

    def _colour_checked(self, scene: FlatScene, best: dict[str, LogoMatch]) -> dict[str, LogoMatch]:
        """Feature placements of multi-colour flat logos that show the logo's colours there.

        Only multi-colour marks are checked: their colours in their arrangement are the mark,
        while a mark registered in one colour is commonly used in any colour (measured: checking
        one-colour marks too lost adidas and McDonald's from the main image set, logo recall
        0.894 -> 0.864)."""
        coloured = {r.image.sha256: r for r in self._flat if len(r.shares) > 1}
        checked = [m for m in best.values() if m.reference.sha256 in coloured]
        if not checked:
            return best
        return {
            asset_id: m
            for asset_id, m in best.items()
            if m.reference.sha256 not in coloured
            or scene.shows_colours(coloured[m.reference.sha256], m.bbox)
        }

    def _flat_matches(
        self, listing_image: ListingImage, scene: FlatScene, found: set[str]
    ) -> dict[str, LogoMatch]:
        """The colour-and-shape stage for flat logos the feature stage did not find here."""
        assert listing_image.image is not None
        width, height = listing_image.image.size
        best: dict[str, LogoMatch] = {}
        smallest = self.params.flat.min_area_fraction * scene.pixels
        for ref in self._flat_index.candidates(scene.histogram, smallest):
            if ref.asset_id in found:
                continue
            hit = scene.find(ref)
            if hit is None:
                continue
            held = best.get(ref.asset_id)
            if held is not None and held.shape and held.shape.agreement >= hit.check.agreement:
                continue
            quad = hit.polygon / scene.scale
            x0, y0 = np.floor(quad.min(axis=0))
            x1, y1 = np.ceil(quad.max(axis=0))
            best[ref.asset_id] = LogoMatch(
                asset_id=ref.asset_id,
                listing_image=listing_image,
                reference=ref.image,
                inliers=0,
                candidates=0,
                bbox=(
                    int(max(0, x0)),
                    int(max(0, y0)),
                    int(min(width, x1)),
                    int(min(height, y1)),
                ),
                polygon=tuple((round(float(x)), round(float(y))) for x, y in quad),
                view="colour+shape",
                shape=hit.check,
            )
        return best

    def _candidates(
        self, ref: LogoReference, scene_pts: np.ndarray, nearest: tuple[np.ndarray, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, list[int], list[int]]:
        """Putative pairs: reference features whose nearest scene feature passes the ratio test.

        A generalised test (several neighbours each, for logos of repeated parts) and RootSIFT
        were measured and did not find more logos; the plain test is kept.
        """
        distances, rows = nearest
        keep = np.nonzero(distances[:, 0] < self.params.ratio * distances[:, 1])[0]
        # Closest first; ties broken by scene then reference index, so runs agree.
        order = np.lexsort((keep, rows[keep, 0], distances[keep, 0]))
        chosen = keep[order][: self.params.max_candidates]
        scene_idx = rows[chosen, 0].tolist()
        ref_idx = chosen.tolist()
        return ref.points[ref_idx], scene_pts[scene_idx], scene_idx, ref_idx

    def _fit(
        self,
        ref: LogoReference,
        src: np.ndarray,
        dst: np.ndarray,
        scene_idx: list[int],
        shape: tuple[int, int],
        edges: _LazyEdges,
    ) -> tuple[np.ndarray, np.ndarray, Alignment | None] | None:
        """(inlier mask over the pairs, projected quad, outline alignment) of the best placement.

        First a homography over every pair (views of one logo point that pair with the same
        scene keypoint reinforce it). In a plain scene one blob may pair with many logo points
        and drag the fit onto itself, so then the same fit over each scene keypoint's best pair
        only; and last an affine fit over those, since with the handful of features a small or
        plain logo gives three-point models are far more stable than four-point ones (looser,
        so it must find ``affine_min_inliers``). Inliers are counted once per scene keypoint.
        A plausible placement with fewer inliers than needed (but ``weak_min_inliers``) is kept
        only if the logo's outline, placed there, lies on the photo's edges; the alignment is
        then returned, else None.
        """
        params = self.params
        scene = np.asarray(scene_idx)
        first_of_point = np.zeros(len(scene), bool)
        first_of_point[np.unique(scene, return_index=True)[1]] = True  # pairs are distance-sorted
        unique_rows = np.nonzero(first_of_point)[0]
        attempts = (
            ("homography", np.arange(len(scene))),
            ("homography", unique_rows),
            ("affine", unique_rows),
        )
        weak: tuple[np.ndarray, np.ndarray, Alignment] | None = None
        for model, rows in attempts:
            needed = params.min_inliers if model == "homography" else params.affine_min_inliers
            sample = 4 if model == "homography" else 3  # points that fix the model
            if len(set(scene[rows].tolist())) < max(params.weak_min_inliers, sample):
                continue
            fitted = fit_model(model, src[rows], dst[rows], params.reprojection_px)
            if fitted is None:
                continue
            matrix, mask = fitted
            inlier = np.zeros(len(scene), bool)
            inlier[rows[mask]] = True
            count = len(set(scene[inlier].tolist()))
            if (
                count < params.weak_min_inliers
                or count / len(unique_rows) < params.min_inlier_ratio
            ):
                continue
            quad = _plausible(matrix, ref, src[inlier], shape, params)
            if quad is None:
                continue
            if count >= needed:
                return inlier, quad, None
            placed = alignment(ref.outline, matrix, edges.get())
            if self._outline_agrees(placed) and (weak is None or placed.score > weak[2].score):
                weak = (inlier, quad, placed)
        return weak

    def _outline_agrees(self, placed: Alignment) -> bool:
        params = self.params
        return placed.along >= params.min_outline_along and placed.score >= params.min_outline_score

    def _single_pair_fit(
        self,
        ref: LogoReference,
        pairs: tuple[np.ndarray, np.ndarray],
        scene_idx: list[int],
        ref_idx: list[int],
        scene_frames: np.ndarray,
        edges: _LazyEdges,
    ) -> tuple[np.ndarray, np.ndarray, Alignment] | None:
        """A placement proposed by one matched keypoint, whose size and angle fix a similarity.

        A plain logo may show two or three matchable corners, too few for any fit; each of its
        best pairs then proposes the logo's placement alone, and one is kept only when the
        placed outline lies on the photo's edges (a stricter share than for fitted placements,
        since nothing else backs it). Inliers: the pairs that agree with that placement.
        """
        params = self.params
        src, dst = pairs
        tried: set[int] = set()
        best: tuple[np.ndarray, np.ndarray, Alignment] | None = None
        for row, (s_i, r_i) in enumerate(zip(scene_idx, ref_idx, strict=True)):
            if s_i in tried:
                continue
            tried.add(s_i)
            if len(tried) > params.single_pair_hypotheses:
                break
            ref_size, ref_angle = ref.frames[r_i]
            scene_size, scene_angle = scene_frames[s_i]
            factor = float(scene_size) / max(float(ref_size), 1e-6)
            turn = np.deg2rad(float(scene_angle) - float(ref_angle))
            linear = factor * np.array(
                [[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]
            )
            shift = dst[row] - linear @ src[row]
            matrix = np.vstack([np.column_stack([linear, shift]), [0.0, 0.0, 1.0]])
            projected = src @ linear.T + shift
            inlier = np.linalg.norm(projected - dst, axis=1) <= params.reprojection_px
            quad = _plausible(matrix, ref, src[inlier], edges.shape, params, check_coverage=False)
            if quad is None or np.ptp(quad, axis=0).max() < params.min_single_side:
                continue
            placed = alignment(ref.outline, matrix, edges.get())
            if self._outline_agrees(placed) and (best is None or placed.score > best[2].score):
                best = (inlier, quad, placed)
        return best

    def _match_one(
        self,
        ref: LogoReference,
        listing_image: ListingImage,
        scene: tuple[np.ndarray, np.ndarray],
        nearest: tuple[np.ndarray, np.ndarray],
        edges: _LazyEdges,
        scale: float,
    ) -> LogoMatch | None:
        scene_pts, scene_frames = scene
        src, dst, scene_idx, ref_idx = self._candidates(ref, scene_pts, nearest)
        candidates = len(set(scene_idx))
        if candidates == 0:
            return None
        fitted = self._fit(ref, src, dst, scene_idx, edges.shape, edges)
        if fitted is None:
            fitted = self._single_pair_fit(ref, (src, dst), scene_idx, ref_idx, scene_frames, edges)
        if fitted is None:
            return None
        inlier, quad, outline_score = fitted
        count = len({i for i, ok in zip(scene_idx, inlier, strict=True) if ok})
        quad = quad / scale  # back to the listing image's own pixels
        assert listing_image.image is not None
        width, height = listing_image.image.size
        x0, y0 = np.floor(quad.min(axis=0))
        x1, y1 = np.ceil(quad.max(axis=0))
        bbox = (
            int(max(0, x0)),
            int(max(0, y0)),
            int(min(width, x1)),
            int(min(height, y1)),
        )
        views = [ref.views[i] for i, ok in zip(ref_idx, inlier, strict=True) if ok]
        view = max(sorted(set(views)), key=views.count)
        return LogoMatch(
            asset_id=ref.asset_id,
            listing_image=listing_image,
            reference=ref.image,
            inliers=count,
            candidates=candidates,
            bbox=bbox,
            polygon=tuple((round(float(x)), round(float(y))) for x, y in quad),
            view=view,
            outline=outline_score,
        )


class _LazyEdges:
    """A listing photo's edge map, computed on first use (most references never need it)."""

    def __init__(self, gray: np.ndarray) -> None:
        self._gray = gray
        self._edges: EdgeMap | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return int(self._gray.shape[0]), int(self._gray.shape[1])

    def get(self) -> EdgeMap:
        if self._edges is None:
            self._edges = edge_map(self._gray)
        return self._edges

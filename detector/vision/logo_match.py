"""What counts as a logo found in a listing photo: the tunables, the match and the region it
sits in, which homographies a print can have, and the signal a set of matches gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from detector.vision.flat_logos import FlatParams, ShapeCheck
from detector.vision.logo_references import LogoReference
from detector.vision.outlines import Alignment
from detector.vision.votes import overlap
from model import Signal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.settings import DetectionSettings
    from model import Asset, ListingImage, ReferenceImage


SAME_PLACE = 0.5  # two placements overlapping this much (of the smaller one) are one place


@dataclass(frozen=True)
class LogoParams:
    """Tunables of the logo matcher; ``from_settings`` reads ``logo_*`` detection settings."""

    max_side: int = 1024  # listing photos are shrunk to this long side first
    max_images: int = 8  # listing photos looked at per listing
    max_references: int = 4  # registered images used per asset
    scene_features: int = 4000  # SIFT keypoints kept per listing photo
    reference_features: int = 500  # SIFT keypoints kept per rendered reference view
    reference_sizes: tuple[int, ...] = (128, 256, 512)  # long side of each rendered view
    ratio: float = 0.8  # Lowe's ratio test
    shortlist: int = 24  # logos matched in full per photo, the most voted for (all while fewer)
    max_candidates: int = 3000  # putative pairs given to the homography fit
    reprojection_px: float = 5.0  # homography inlier threshold, in work-image pixels
    min_inliers: int = 6  # fewer verified correspondences are not a logo
    affine_min_inliers: int = 8  # the affine fallback is looser, so it must agree more
    weak_min_inliers: int = 4  # fewer inliers than needed: kept only if the outline agrees
    min_outline_along: float = 0.75  # share of the placed outline on edges running along it
    min_outline_score: float = 0.4  # along less the share on edges running across it
    single_pair_hypotheses: int = 12  # best pairs that each propose a placement on their own
    min_single_side: int = 56  # px: on a smaller placement chance edges fit any outline
    min_inlier_ratio: float = 0.1  # of the ratio-test survivors
    min_area_fraction: float = 0.002  # projected logo area / photo area
    max_anisotropy: float = 4.0  # ratio of the homography's local stretch in two directions
    max_perspective: float = 4.0  # largest / smallest local area scale over the logo
    min_coverage: float = 0.05  # inliers' hull area / logo area (not one small corner)
    flat: FlatParams = field(default_factory=FlatParams)  # the colour-and-shape stage

    @classmethod
    def from_settings(cls, settings: DetectionSettings | None) -> LogoParams:
        """Defaults, overridden by any ``logo_<name>`` field the detection settings carry."""
        if settings is None:
            return cls()
        values = {
            name: getattr(settings, f"logo_{name}")
            for name in cls.__dataclass_fields__
            if hasattr(settings, f"logo_{name}")
        }
        return cls(**values)


@dataclass(frozen=True)
class LogoMatch:
    """A registered logo found in one listing image, with the region it occupies there."""

    asset_id: str
    listing_image: ListingImage
    reference: ReferenceImage
    inliers: int
    candidates: int  # ratio-test survivors the homography was fitted to
    bbox: tuple[int, int, int, int]  # [x0, y0, x1, y1] in listing-image pixels, clipped
    polygon: tuple[tuple[int, int], ...]  # the logo's 4 corners projected into the listing image
    view: str  # the rendered reference view most inliers came from
    outline: Alignment | None = None  # set when too few inliers needed the outline check
    shape: ShapeCheck | None = None  # set when the flat stage found it by colour and shape

    @property
    def inlier_ratio(self) -> float:
        return self.inliers / self.candidates if self.candidates else 0.0

    def score(self, params: LogoParams) -> float:
        """0.6 at the inlier cut-off, rising linearly to 1.0 at four times as many; for a
        placement the outline confirmed, 0.6 at the outline cut-off rising to 1.0 for an
        outline lying wholly on the photo's edges; for a flat logo found by colour and shape,
        0.6 at the agreement cut-off rising to 1.0 for full agreement."""
        if self.shape is not None:
            cut = params.flat.min_agreement
            rise = (self.shape.agreement - cut) / max(1e-6, 1.0 - cut)
            return 0.6 + 0.4 * min(1.0, max(0.0, rise))
        if self.outline is not None:
            room = max(1e-6, 1.0 - params.min_outline_along)
            rise = (self.outline.along - params.min_outline_along) / room
            return 0.6 + 0.4 * min(1.0, max(0.0, rise))
        span = 3 * params.min_inliers
        return 0.6 + 0.4 * min(1.0, (self.inliers - params.min_inliers) / span)

    def as_evidence(self) -> dict[str, Any]:
        """The image pair, the region and the numbers, JSON-able."""
        return {
            "listing_image_url": self.listing_image.url,
            "listing_image_sha256": self.listing_image.sha256,
            "reference_sha256": self.reference.sha256,
            "reference_label": self.reference.label,
            "bbox": list(self.bbox),
            "polygon": [list(p) for p in self.polygon],
            "inliers": self.inliers,
            "candidates": self.candidates,
            "inlier_ratio": round(self.inlier_ratio, 3),
            "view": self.view,
            "method": _method(self),
            **(
                {
                    "outline_along": round(self.outline.along, 3),
                    "outline_across": round(self.outline.across, 3),
                }
                if self.outline is not None
                else {}
            ),
            **(
                {
                    "shape_agreement": round(self.shape.agreement, 3),
                    "turn_degrees": self.shape.turn,
                    "hu_distance": round(self.shape.hu_distance, 3),
                    "colours": self.shape.colours,
                }
                if self.shape is not None
                else {}
            ),
        }


def _method(match: LogoMatch) -> str:
    if match.shape is not None:
        return "flat colour+shape"
    return "sift+magsac homography" if match.outline is None else "sift+outline"


def _plausible(
    homography: np.ndarray,
    ref: LogoReference,
    inlier_src: np.ndarray,
    shape: tuple[int, int],
    params: LogoParams,
    check_coverage: bool = True,
) -> np.ndarray | None:
    """The projected logo quad (4, 2) when the homography could be a printed logo, else None."""
    if not np.isfinite(homography).all():
        return None  # a degenerate fit (collinear points)
    w, h = ref.size
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    ones = np.ones((4, 1))
    projected = np.hstack([corners, ones]) @ homography.T
    if (projected[:, 2] <= 1e-9).any():
        return None  # a corner maps through the horizon
    quad: np.ndarray = projected[:, :2] / projected[:, 2:]
    if not np.isfinite(quad).all():
        return None
    # Local linear part at each corner: its determinant is the area scale there.
    dets, stretch = [], []
    for x, y in corners:
        jac = _jacobian(homography, x, y)
        dets.append(np.linalg.det(jac))
        s = np.linalg.svd(jac, compute_uv=False)
        stretch.append(s[0] / max(s[1], 1e-12))
    dets_arr = np.array(dets)
    if (dets_arr <= 0).any():
        return None  # mirrored or folded: print does not do that
    if dets_arr.max() / dets_arr.min() > params.max_perspective:
        return None
    if max(stretch) > params.max_anisotropy:
        return None
    if not cv2.isContourConvex(quad.astype(np.float32).reshape(-1, 1, 2)):
        return None
    area = cv2.contourArea(quad.astype(np.float32))
    photo_area = float(shape[0] * shape[1])
    if not params.min_area_fraction <= area / photo_area <= 1.0:
        return None
    if check_coverage:
        hull = cv2.convexHull(inlier_src.astype(np.float32))
        if cv2.contourArea(hull) < params.min_coverage * w * h:
            return None  # every inlier in one small patch: a texture echo, not the logo
    return quad


def _jacobian(h: np.ndarray, x: float, y: float) -> np.ndarray:
    u, v, s = h @ np.array([x, y, 1.0])
    return np.array(
        [
            [(h[0, 0] * s - u * h[2, 0]) / s**2, (h[0, 1] * s - u * h[2, 1]) / s**2],
            [(h[1, 0] * s - v * h[2, 0]) / s**2, (h[1, 1] * s - v * h[2, 1]) / s**2],
        ]
    )


def best_per_place(matches: Sequence[LogoMatch], params: LogoParams) -> list[LogoMatch]:
    """The best-scored logo for each place in a photo: one printed mark is one logo, so two
    registered logos found at the same place are not both there (ties: the earlier one)."""
    kept: list[LogoMatch] = []
    for match in sorted(matches, key=lambda m: (-m.score(params), -m.inliers)):
        if all(overlap(match.bbox, k.bbox) < SAME_PLACE for k in kept):
            kept.append(match)
    return kept


def logo_signal(
    asset: Asset, matches: Sequence[LogoMatch], settings: DetectionSettings | None = None
) -> Signal:
    """One signal per asset: the best-verified region, with every matching image as evidence."""
    params = LogoParams.from_settings(settings)
    ranked = sorted(matches, key=lambda m: (-m.inliers, m.listing_image.url))
    best = ranked[0]
    evidence = best.as_evidence()
    evidence["pairs"] = [m.as_evidence() for m in ranked]
    label = f" '{best.reference.label}'" if best.reference.label else ""
    x0, y0, x1, y1 = best.bbox
    others = f" It also appears in {len(ranked) - 1} other image(s)." if len(ranked) > 1 else ""
    if best.shape is not None:
        how = (
            f"its {best.shape.colours} colour(s) and shape agree with that region on "
            f"{best.shape.agreement:.0%} of their area (turned {best.shape.turn:+.0f} degrees);"
            " a flat logo has too few corners for local features."
        )
    elif best.outline is None:
        how = (
            f"{best.inliers} of {best.candidates} matched local features agree on one "
            "geometric placement."
        )
    else:
        how = (
            f"{best.inliers} of {best.candidates} matched local features place it there, and "
            f"{best.outline.along:.0%} of the logo's outline lies on edges of the photo running"
            f" the same way (edges running across it: {best.outline.across:.0%})."
        )
    detail = (
        f"The registered logo{label} of {asset.name} (sha256 {best.reference.sha256[:12]}) "
        f"appears in listing image {best.listing_image.url} at [{x0}, {y0}, {x1}, {y1}]: "
        f"{how}{others}"
    )
    return Signal(kind="logo", score=best.score(params), detail=detail, evidence=evidence)

"""Aligning a photo region to a flat reference's label map, and how well the two agree.

A pasted, printed or photographed flat logo reaches the photo turned, squeezed by perspective
and sometimes partly covered. Aligning a region by centroid, area and a sweep of turns alone
(a similarity) leaves a perspective-squeezed or partly covered logo a third off its reference,
below any cut that keeps other firms' shapes out. So each region is first placed two ways, by
the similarity and by its second moments (an affine map that undoes squeeze and shear), each
swept over turns; the best placement is then refined by ECC on the two silhouettes (a
homography, held to mild distortion). The agreement is counted on a canvas with a margin, so a
region spilling past the reference's frame counts against it.

A dark patch or a shadow that happens to cover a silhouette's area is not the silhouette: the
reference's outline, carried into the photo, must lie on the photo's edges (``edge_support``).
A printed logo has a sharp outline; a patch of shade does not have the logo's outline.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

NO_LABEL = 255
TURNS = tuple(range(-42, 43, 6))  # degrees tried when aligning a region to a reference
MARGIN = 0.5  # canvas margin around the canonical frame, share of its long side
MAX_SQUEEZE = 1.8  # largest ratio of a refined placement's two scale factors
MAX_PERSPECTIVE = 0.25  # largest change of scale across the canvas a refined placement has
HOLES_MIN_SHARE = 0.05  # holes smaller than this share of the logo are not checked
WELL_PLACED = 0.93  # agreement past which ECC refinement is not tried
BORDER_PX = 4.0  # outline points this close to the photo's border lie on the border's cut
ECC_CRITERIA = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 40, 1e-4)


@dataclass(frozen=True)
class Canvas:
    """A reference's label map on a canvas with a margin, and its outline, prepared once."""

    labels: np.ndarray  # (H, W) uint8, NO_LABEL outside the logo
    mask: np.ndarray  # (H, W) bool
    centre: tuple[float, float]
    root: np.ndarray  # (2, 2) square root of the silhouette's covariance
    outline: np.ndarray  # (n, 2) float32 points on the logo's boundaries (colour and outer)
    holes: np.ndarray  # (H, W) bool: inside the logo's convex hull but not the logo (a cut-out
    # letter, the gaps between a bird's wing and tail): a solid patch or square fills these

    @property
    def area(self) -> int:
        return int(self.mask.sum())


def canvas(labels: np.ndarray) -> Canvas:
    """The label map padded by ``MARGIN`` of its long side, with moments and outline."""
    pad = round(MARGIN * max(labels.shape))
    padded = np.pad(labels, pad, constant_values=NO_LABEL)
    mask = padded != NO_LABEL
    centre, cov = _moments(mask.astype(np.uint8))
    # Boundaries: where a pixel's label differs from its right or lower neighbour.
    right = padded[:, 1:] != padded[:, :-1]
    down = padded[1:, :] != padded[:-1, :]
    ys, xs = np.nonzero(right)
    ys2, xs2 = np.nonzero(down)
    points = np.concatenate(
        [np.stack([xs + 1.0, ys + 0.5], axis=1), np.stack([xs2 + 0.5, ys2 + 1.0], axis=1)]
    ).astype(np.float32)
    contours, _ = cv2.findContours(
        mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    hull = np.zeros(mask.shape, np.uint8)
    cv2.fillPoly(hull, [cv2.convexHull(np.concatenate(contours))], 1)
    holes = (hull > 0) & ~mask
    return Canvas(padded, mask, centre, _sqrtm(cov), points, holes)


def _moments(mask: np.ndarray) -> tuple[tuple[float, float], np.ndarray]:
    m = cv2.moments(mask, binaryImage=True)
    area = max(1e-9, m["m00"])
    centre = (m["m10"] / area, m["m01"] / area)
    cov = np.array([[m["mu20"], m["mu11"]], [m["mu11"], m["mu02"]]], np.float64) / area
    return centre, cov + np.eye(2) * 1e-3


def _sqrtm(cov: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(cov)
    return np.asarray(vectors @ np.diag(np.sqrt(np.maximum(values, 1e-9))) @ vectors.T)


def _turn(degrees: float) -> np.ndarray:
    t = np.deg2rad(degrees)
    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


@dataclass(frozen=True)
class Placement:
    """Where a region lands on the reference's canvas and how well it agrees there."""

    agreement: float  # same colour at the same place, over the union of both shapes
    turn: float  # degrees the region is turned relative to the reference
    warp: np.ndarray  # (3, 3) region window pixels -> canvas pixels
    holes: float = 1.0  # share of the reference's holes (``Canvas.holes``) left open
    stray_holes: float = 0.0  # the region's own holes on the reference's ink, share of its area


def _placed(ref: Canvas, region: np.ndarray, warp: np.ndarray) -> np.ndarray:
    h, w = ref.labels.shape
    return cv2.warpPerspective(region, warp, (w, h), flags=cv2.INTER_NEAREST, borderValue=NO_LABEL)


def _agreement(ref: Canvas, placed: np.ndarray) -> float:
    placed_mask = placed != NO_LABEL
    same = int((placed_mask & (placed == ref.labels)).sum())
    union = int((placed_mask | ref.mask).sum())
    return same / max(1, union)


def _stray_holes(ref: Canvas, placed: np.ndarray) -> float:
    """Holes of the placed region (inside its hull, not inked) that lie on the reference's ink:
    a ring placed on a disc with an off-centre cut-out, a grid of squares on a tile."""
    ink = (placed != NO_LABEL).astype(np.uint8)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    hull = np.zeros(ink.shape, np.uint8)
    cv2.fillPoly(hull, [cv2.convexHull(np.concatenate(contours))], 1)
    stray = (hull > 0) & (ink == 0) & ref.mask
    return float(stray.sum()) / max(1, ref.area)


def _open_holes(ref: Canvas, placed: np.ndarray) -> float:
    total = int(ref.holes.sum())
    if total < HOLES_MIN_SHARE * ref.area:
        return 1.0  # a convex logo: nothing to tell it from a solid patch of its outline
    return float((placed[ref.holes] == NO_LABEL).sum()) / total


def _starts(ref: Canvas, window: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """(turn, 3x3 warp) candidates: the similarity and the moment-affine, each at every turn."""
    centre, cov = _moments(window)
    area = float(window.sum())
    scale = float(np.sqrt(ref.area / max(1.0, area)))
    inverse_root = np.linalg.inv(_sqrtm(cov))
    out = []
    for turn in TURNS:
        rotation = _turn(-turn)
        for linear in (scale * rotation, ref.root @ rotation @ inverse_root):
            warp = np.eye(3)
            warp[:2, :2] = linear
            warp[:2, 2] = np.array(ref.centre) - linear @ np.array(centre)
            out.append((float(turn), warp))
    return out


def _refine(ref: Canvas, region: np.ndarray, warp: np.ndarray) -> np.ndarray | None:
    """ECC on the two silhouettes, both in the canvas frame (the region placed by ``warp``, so
    the cost does not grow with the print's size); None when it fails or distorts too much."""
    template = ref.mask.astype(np.float32)
    source = (_placed(ref, region, warp) != NO_LABEL).astype(np.float32)
    try:
        _, found = cv2.findTransformECC(  # the default Gaussian pre-filter (5 px)
            template, source, np.eye(3, dtype=np.float32), cv2.MOTION_HOMOGRAPHY, ECC_CRITERIA
        )
    except cv2.error:
        return None
    step = np.linalg.inv(found.astype(np.float64))  # ECC maps template pixels -> input pixels
    refined = step @ warp
    refined /= refined[2, 2]
    singular = np.linalg.svd(refined[:2, :2], compute_uv=False)
    if singular[1] <= 0 or singular[0] / singular[1] > MAX_SQUEEZE:
        return None
    if np.abs(refined[2, :2]).max() * max(ref.mask.shape) > MAX_PERSPECTIVE:
        return None  # a strong perspective: not a print of the logo
    return np.asarray(refined)


def align(ref: Canvas, labels: np.ndarray, window: np.ndarray, floor: float) -> Placement | None:
    """The region's best placement on the reference, refined, if it reaches ``floor`` before
    refinement (regions far below it are other shapes and not worth the refinement)."""
    region = np.where(window > 0, labels, NO_LABEL).astype(np.uint8)
    best: Placement | None = None
    for turn, warp in _starts(ref, window):
        agreement = _agreement(ref, _placed(ref, region, warp))
        if best is None or agreement > best.agreement:
            best = Placement(agreement, turn, warp)
    if best is None or best.agreement < floor:
        return None
    refined = _refine(ref, region, best.warp) if best.agreement < WELL_PLACED else None
    if refined is not None:
        agreement = _agreement(ref, _placed(ref, region, refined))
        if agreement > best.agreement:
            best = Placement(agreement, best.turn, refined)
    placed = _placed(ref, region, best.warp)
    holes = _open_holes(ref, placed)
    return Placement(best.agreement, best.turn, best.warp, holes, _stray_holes(ref, placed))


def colour_edges(lab: np.ndarray) -> np.ndarray:
    """Edges of any of the Lab channels, widened by a pixel: a red logo on a dark ground of
    the same grey has no edge in grey but a sharp one in colour."""
    found = np.zeros(lab.shape[:2], np.uint8)
    for channel in range(3):
        found = np.maximum(found, cv2.Canny(np.ascontiguousarray(lab[..., channel]), 40, 120))
    return cv2.dilate(found, np.ones((3, 3), np.uint8)) > 0


def _outline_in_photo(ref: Canvas, placement: Placement, offset: tuple[int, int]) -> np.ndarray:
    """The reference's outline points carried into the photo's work pixels."""
    back = np.linalg.inv(placement.warp)
    points = cv2.perspectiveTransform(ref.outline[None], back)[0]
    return np.asarray(points + np.array(offset, np.float32))


def seen_outline(
    ref: Canvas, placement: Placement, frame: tuple[int, int], offset: tuple[int, int]
) -> float:
    """Share of the reference's outline, carried into the photo (``frame``: its width and
    height in work pixels), that lies inside the photo and off its border: where the border cuts
    a region, the region's edge there is the photo's, so that part of the outline is unseen."""
    points = _outline_in_photo(ref, placement, offset)
    width, height = frame
    xs, ys = points[:, 0], points[:, 1]
    seen = (xs >= BORDER_PX) & (xs <= width - 1 - BORDER_PX)
    seen &= (ys >= BORDER_PX) & (ys <= height - 1 - BORDER_PX)
    return float(seen.mean()) if len(points) else 0.0


def edge_support(
    ref: Canvas, placement: Placement, edges: np.ndarray, offset: tuple[int, int]
) -> float:
    """Share of the reference's outline, carried into the photo, that lies on the photo's edges
    (``edges``: a dilated edge map of the work image; ``offset``: the region window's corner)."""
    points = _outline_in_photo(ref, placement, offset)
    xs = np.round(points[:, 0]).astype(int)
    ys = np.round(points[:, 1]).astype(int)
    height, width = edges.shape
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    if not inside.any():
        return 0.0
    on_edges = float(edges[ys[inside], xs[inside]].mean()) * float(inside.mean())
    density = float(edges.mean())  # a busy photo has edges everywhere: count only the excess
    return max(0.0, on_edges - density) / max(1e-6, 1.0 - density)

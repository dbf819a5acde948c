"""Design patents: a drawing's views (black line art) against product photos, by shape.

A drawing and a photo share little but the object's outline, so both are reduced to shape:
the drawing's ink is closed and filled into a silhouette, the photo's object is cut out by its
plain background or, failing that, GrabCut seeded with the centre of the frame. Each view and
each photo becomes a silhouette and an edge map in a common normalised frame; they are compared
by silhouette overlap (IoU, mirror allowed: drawings show either side), by a symmetric chamfer
distance between outlines, and by HOG of the edge maps (the interior lines). The score is their
weighted mean, and the evidence says which view met which photo and what each measure said.
This judges outline similarity only: two different bottles of the same proportions look alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from model import AssetKind, Signal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PIL import Image

    from detector.settings import DetectionSettings
    from model import Asset, ListingImage, ReferenceImage

FRAME = 128  # side of the normalised frame silhouettes and edges are compared in
WORK_SIDE = 320  # photos and drawings are shrunk to this long side before segmentation
WEIGHTS = {"silhouette_iou": 0.5, "outline_chamfer": 0.3, "edge_hog": 0.2}


@dataclass(frozen=True)
class DesignParams:
    """Tunables; ``from_settings`` reads any ``design_<name>`` detection setting."""

    min_score: float = 0.75  # a view and a photo this alike (0..1) make a match
    max_images: int = 8  # listing photos looked at per listing
    max_views: int = 12  # drawing views used per design patent
    grabcut_iterations: int = 4

    @classmethod
    def from_settings(cls, settings: DetectionSettings | None) -> DesignParams:
        if settings is None:
            return cls()
        values = {
            name: getattr(settings, f"design_{name}")
            for name in cls.__dataclass_fields__
            if hasattr(settings, f"design_{name}")
        }
        return cls(**values)


@dataclass(frozen=True)
class Shape:
    """An object reduced to its silhouette and edges in the normalised frame."""

    silhouette: np.ndarray  # (FRAME, FRAME) bool
    outline: np.ndarray  # (n, 2) float32 outline points in the frame
    edges: np.ndarray  # (FRAME, FRAME) uint8 edge map (outline and interior lines)
    hog: np.ndarray  # HOG of the edge map, L2-normalised
    method: str  # how the silhouette was found


def _shrink(gray: np.ndarray) -> np.ndarray:
    scale = WORK_SIDE / max(gray.shape)
    if scale >= 1:
        return gray
    size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def _largest_filled(mask: np.ndarray) -> np.ndarray | None:
    """The largest connected region of ``mask`` with its holes filled, or None if tiny."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    if count < 2:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[biggest, cv2.CC_STAT_AREA] < 0.01 * mask.size:
        return None
    region = (labels == biggest).astype(np.uint8)
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(region)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    solid: np.ndarray = filled.astype(bool)
    return solid


def drawing_silhouette(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(silhouette, ink) of a line drawing: ink closed into one outline, then filled."""
    ink = gray < min(160, cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0])
    if ink.sum() < 20:
        return None
    k = max(3, round(max(gray.shape) * 0.02)) | 1
    closed = cv2.morphologyEx(
        ink.astype(np.uint8), cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    silhouette = _largest_filled(closed)
    if silhouette is None:
        return None
    return silhouette, ink & cv2.dilate(silhouette.astype(np.uint8), np.ones((k, k))).astype(bool)


def photo_silhouette(rgb: np.ndarray, iterations: int) -> tuple[np.ndarray, str] | None:
    """The product's silhouette: by a plain background if the border is plain, else GrabCut."""
    h, w = rgb.shape[:2]
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).astype(np.int16)
    background = np.median(border, axis=0)
    if np.abs(border - background).max(axis=1).mean() < 12:
        mask = np.abs(rgb.astype(np.int16) - background).max(axis=2) > 24
        filled = _largest_filled(mask)
        if filled is not None:
            return filled, "plain background"
    cv2.setRNGSeed(0)  # GrabCut's GMM initialisation draws from OpenCV's RNG
    mask = np.zeros((h, w), np.uint8)
    rect = (max(1, w // 20), max(1, h // 20), w - 2 * max(1, w // 20), h - 2 * max(1, h // 20))
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(np.ascontiguousarray(rgb), mask, rect, bgd, fgd, iterations, cv2.GC_INIT_WITH_RECT)
    fg = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    filled = _largest_filled(fg)
    return None if filled is None else (filled, "grabcut")


def _normalise(silhouette: np.ndarray, edges: np.ndarray, method: str) -> Shape:
    """Crop to the silhouette, fit its longer side into the frame, centred."""
    ys, xs = np.nonzero(silhouette)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    side = max(y1 - y0, x1 - x0)
    inner = FRAME - 8
    scale = inner / side
    h, w = max(1, round((y1 - y0) * scale)), max(1, round((x1 - x0) * scale))
    top, left = (FRAME - h) // 2, (FRAME - w) // 2
    sil = np.zeros((FRAME, FRAME), np.uint8)
    sil[top : top + h, left : left + w] = cv2.resize(
        silhouette[y0:y1, x0:x1].astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST
    )
    edge = np.zeros((FRAME, FRAME), np.uint8)
    edge[top : top + h, left : left + w] = cv2.resize(
        edges[y0:y1, x0:x1].astype(np.uint8) * 255, (w, h), interpolation=cv2.INTER_AREA
    )
    edge = (edge > 40).astype(np.uint8) * 255
    contours, _ = cv2.findContours(sil, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = np.concatenate([c.reshape(-1, 2) for c in contours]).astype(np.float32)
    hog = _hog(edge)
    return Shape(sil.astype(bool), outline, edge, hog, method)


def _hog(edge: np.ndarray, cell: int = 16, bins: int = 9) -> np.ndarray:
    """Histogram of unsigned edge orientations per cell (a plain HOG), L2-normalised."""
    soft = cv2.GaussianBlur(edge, (0, 0), 2.0).astype(np.float32)
    gx, gy = cv2.Sobel(soft, cv2.CV_32F, 1, 0), cv2.Sobel(soft, cv2.CV_32F, 0, 1)
    magnitude, angle = cv2.cartToPolar(gx, gy)
    index = (np.mod(angle, np.pi) / np.pi * bins).astype(int) % bins
    cells = FRAME // cell
    cell_of = (np.arange(FRAME) // cell)[:, None] * cells + (np.arange(FRAME) // cell)[None, :]
    hist = np.zeros(cells * cells * bins, np.float32)
    np.add.at(hist, (cell_of * bins + index).ravel(), magnitude.ravel())
    norm = float(np.linalg.norm(hist))
    return hist / norm if norm else hist


def drawing_shape(image: Image.Image) -> Shape | None:
    """Shape of one drawing view, or None when no closed figure can be found."""
    gray = _shrink(np.asarray(image.convert("L")))
    found = drawing_silhouette(gray)
    if found is None:
        return None
    silhouette, ink = found
    return _normalise(silhouette, ink, "line drawing")


def photo_shape(image: Image.Image, iterations: int = 4) -> Shape | None:
    """Shape of the main object of a product photo, or None when none stands out."""
    rgb = np.asarray(image.convert("RGB"))
    gray = _shrink(np.asarray(image.convert("L")))
    if gray.shape != rgb.shape[:2]:
        rgb = cv2.resize(rgb, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_AREA)
    found = photo_silhouette(rgb, iterations)
    if found is None:
        return None
    silhouette, method = found
    blurred = cv2.GaussianBlur(gray, (0, 0), 1.2)
    canny = cv2.Canny(blurred, 50, 120) > 0
    band = cv2.dilate(silhouette.astype(np.uint8), np.ones((5, 5))).astype(bool)
    outline = cv2.morphologyEx(silhouette.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3)))
    return _normalise(silhouette, (canny & band) | outline.astype(bool), method)


def _chamfer_similarity(a: Shape, b: Shape) -> float:
    """1 - mean symmetric outline distance / 10% of the frame (clipped to 0..1)."""
    dist_b = cv2.distanceTransform((~_outline_mask(b)).astype(np.uint8), cv2.DIST_L2, 3)
    dist_a = cv2.distanceTransform((~_outline_mask(a)).astype(np.uint8), cv2.DIST_L2, 3)
    pa, pb = a.outline.astype(int), b.outline.astype(int)
    d = 0.5 * (dist_b[pa[:, 1], pa[:, 0]].mean() + dist_a[pb[:, 1], pb[:, 0]].mean())
    return float(max(0.0, 1.0 - d / (0.1 * FRAME)))


def _outline_mask(shape: Shape) -> np.ndarray:
    mask = np.zeros((FRAME, FRAME), bool)
    pts = shape.outline.astype(int)
    mask[pts[:, 1], pts[:, 0]] = True
    return mask


def _mirror(shape: Shape) -> Shape:
    outline = shape.outline.copy()
    outline[:, 0] = FRAME - 1 - outline[:, 0]
    edges = shape.edges[:, ::-1].copy()
    return Shape(shape.silhouette[:, ::-1].copy(), outline, edges, _hog(edges), shape.method)


def compare(view: Shape, photo: Shape) -> dict[str, float]:
    """The three measures and their weighted score, best over the photo and its mirror image."""
    best: dict[str, float] = {}
    for candidate, mirrored in ((photo, 0.0), (_mirror(photo), 1.0)):
        inter = np.logical_and(view.silhouette, candidate.silhouette).sum()
        union = np.logical_or(view.silhouette, candidate.silhouette).sum()
        measures = {
            "silhouette_iou": float(inter / union) if union else 0.0,
            "outline_chamfer": _chamfer_similarity(view, candidate),
            "edge_hog": float(max(0.0, view.hog @ candidate.hog)),
        }
        measures["score"] = sum(WEIGHTS[k] * measures[k] for k in WEIGHTS)
        measures["mirrored"] = mirrored
        if not best or measures["score"] > best["score"]:
            best = measures
    return best


@dataclass(frozen=True)
class DesignMatch:
    """One drawing view resembling one listing photo."""

    asset_id: str
    listing_image: ListingImage
    reference: ReferenceImage
    measures: dict[str, float]
    segmentation: str

    @property
    def score(self) -> float:
        return self.measures["score"]

    def as_evidence(self) -> dict[str, Any]:
        return {
            "listing_image_url": self.listing_image.url,
            "listing_image_sha256": self.listing_image.sha256,
            "reference_sha256": self.reference.sha256,
            "reference_label": self.reference.label,
            "score": round(self.score, 3),
            "silhouette_iou": round(self.measures["silhouette_iou"], 3),
            "outline_chamfer": round(self.measures["outline_chamfer"], 3),
            "edge_hog": round(self.measures["edge_hog"], 3),
            "mirrored": bool(self.measures["mirrored"]),
            "segmentation": self.segmentation,
            "method": "silhouette iou + outline chamfer + edge hog",
        }


class DesignMatcher:
    """Shapes of every design patent's drawing views, built once; ``match`` per listing."""

    def __init__(self, assets: Sequence[Asset], settings: DetectionSettings | None = None) -> None:
        self.params = DesignParams.from_settings(settings)
        self._views: list[tuple[str, ReferenceImage, Shape]] = []
        for asset in assets:
            if asset.kind is not AssetKind.DESIGN_PATENT:
                continue
            decoded = [r for r in asset.images if r.image is not None]
            for ref in decoded[: self.params.max_views]:
                assert ref.image is not None
                shape = drawing_shape(ref.image)
                if shape is not None:
                    self._views.append((asset.id, ref, shape))

    def __bool__(self) -> bool:
        return bool(self._views)

    def match(self, images: Sequence[ListingImage]) -> dict[str, list[DesignMatch]]:
        """Per asset id, the best-matching view for each listing photo scoring >= min_score."""
        if not self._views:
            return {}
        out: dict[str, list[DesignMatch]] = defaultdict(list)
        decoded = [i for i in images if i.image is not None][: self.params.max_images]
        for listing_image in decoded:
            assert listing_image.image is not None
            shape = photo_shape(listing_image.image, self.params.grabcut_iterations)
            if shape is None:
                continue
            best: dict[str, DesignMatch] = {}
            for asset_id, ref, view in self._views:
                measures = compare(view, shape)
                if measures["score"] < self.params.min_score:
                    continue
                held = best.get(asset_id)
                if held is None or measures["score"] > held.score:
                    best[asset_id] = DesignMatch(
                        asset_id, listing_image, ref, measures, shape.method
                    )
            for asset_id, found in best.items():
                out[asset_id].append(found)
        return dict(out)


def design_signal(
    asset: Asset, matches: Sequence[DesignMatch], settings: DetectionSettings | None = None
) -> Signal:
    """One signal per asset: the closest view/photo pair, every pair in the evidence."""
    ranked = sorted(matches, key=lambda m: (-m.score, m.listing_image.url))
    best = ranked[0]
    evidence = best.as_evidence()
    evidence["pairs"] = [m.as_evidence() for m in ranked]
    label = f" '{best.reference.label}'" if best.reference.label else ""
    m = best.measures
    detail = (
        f"The product in listing image {best.listing_image.url} has the shape of drawing view"
        f"{label} of design {asset.name} (sha256 {best.reference.sha256[:12]}): outline overlap"
        f" {m['silhouette_iou']:.0%}, outline distance score {m['outline_chamfer']:.2f}, interior"
        f" line similarity {m['edge_hog']:.2f} (score {best.score:.2f}; shape only, so look at"
        " the product itself)."
    )
    return Signal(kind="design", score=best.score, detail=detail, evidence=evidence)

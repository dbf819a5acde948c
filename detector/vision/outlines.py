"""Does a placed logo's outline lie on the photo's edges? A check for placements with few features.

A plain logo (rings, arches, stripes, a thin wordmark) gives SIFT only a handful of corners, so
a placement backed by four or five matched features is too weak to report on its own. Its
outline, though, is long and distinctive: placed correctly, nearly every outline point sits on
an edge of the photo running the same way; placed wrongly, only the few that land on chance
edges of that direction do. The outline is sampled once per registered logo with its normals;
each listing photo's edges are quantised into orientation bins (mod 180°, so a dark logo on
light ground and a light one on dark agree) and spread by a pixel, as in LINE-2D (Hinterstoisser
et al., 2012); a placement's score is the share of its outline points that find an edge of
their own direction (± one bin) under them, less the share that find one running across them
(in texture, edges of every direction are everywhere; along a real outline they are not).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_POINTS = 400  # outline samples kept per logo
BINS = 8  # orientation bins over 180 degrees
MIN_MAGNITUDE = 60.0  # Sobel magnitude (3x3, on 0..255 grey) that counts as an edge
SPREAD_PX = 1  # an edge also counts this many pixels away (printing, JPEG, fit error)
MIN_INSIDE = 0.7  # share of the outline that must land inside the photo


@dataclass(frozen=True)
class Outline:
    """Points on a logo's boundary (n, 2) in its canonical pixels, and unit normals (n, 2)."""

    points: np.ndarray
    normals: np.ndarray


def outline_of(mask: np.ndarray) -> Outline:
    """Evenly spaced boundary points of a binary mask (non-zero = logo) and their normals."""
    binary = (mask > 0).astype(np.uint8)
    padded = cv2.copyMakeBorder(binary, 2, 2, 2, 2, cv2.BORDER_CONSTANT, None, 0)
    contours, _ = cv2.findContours(padded, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return Outline(np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32))
    boundary = np.concatenate([c.reshape(-1, 2) for c in contours]).astype(np.float32)
    step = max(1, len(boundary) // MAX_POINTS)
    boundary = boundary[::step][:MAX_POINTS]
    smooth = cv2.GaussianBlur(padded.astype(np.float32), (0, 0), 1.5)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    xs, ys = boundary[:, 0].astype(int), boundary[:, 1].astype(int)
    normals = np.column_stack([gx[ys, xs], gy[ys, xs]])
    length = np.linalg.norm(normals, axis=1)
    keep = length > 1e-6
    points = boundary[keep] - 2.0  # undo the padding
    return Outline(points, normals[keep] / length[keep, None])


@dataclass(frozen=True)
class EdgeMap:
    """Per orientation bin, where a listing photo has an edge of that direction (spread)."""

    bins: np.ndarray  # (BINS, h, w) bool

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.bins.shape[1]), int(self.bins.shape[2])


def edge_map(gray: np.ndarray) -> EdgeMap:
    """The photo's edges by orientation, each spread by ``SPREAD_PX`` pixels."""
    smooth = cv2.GaussianBlur(gray, (0, 0), 1.0).astype(np.float32)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
    strong = np.hypot(gx, gy) >= MIN_MAGNITUDE
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    index = np.minimum((angle / np.pi * BINS).astype(np.int8), BINS - 1)
    kernel = np.ones((2 * SPREAD_PX + 1, 2 * SPREAD_PX + 1), np.uint8)
    bins = np.stack(
        [cv2.dilate((strong & (index == b)).astype(np.uint8), kernel) > 0 for b in range(BINS)]
    )
    return EdgeMap(bins)


@dataclass(frozen=True)
class Alignment:
    """Shares of a placed outline on photo edges running along it and running across it.

    Texture has edges of every direction, so ``across`` is the chance rate where the outline
    was placed; ``score`` is what the outline explains beyond that.
    """

    along: float
    across: float

    @property
    def score(self) -> float:
        return max(0.0, self.along - self.across)


NO_ALIGNMENT = Alignment(0.0, 0.0)


def alignment(outline: Outline, matrix: np.ndarray, edges: EdgeMap) -> Alignment:
    """Share of the placed outline on photo edges of its own direction (0 when mostly outside).

    ``matrix`` is a 3x3 homography (an affine one has last row 0, 0, 1) from canonical logo
    pixels to the photo's pixels.
    """
    if len(outline.points) == 0:
        return NO_ALIGNMENT
    ahead = outline.points + 2.0 * outline.normals
    both = np.concatenate([outline.points, ahead]).reshape(-1, 1, 2).astype(np.float64)
    placed = cv2.perspectiveTransform(both, matrix).reshape(-1, 2)
    points, tips = placed[: len(outline.points)], placed[len(outline.points) :]
    h, w = edges.shape
    xs, ys = np.round(points[:, 0]).astype(int), np.round(points[:, 1]).astype(int)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h) & np.isfinite(points).all(axis=1)
    if inside.mean() < MIN_INSIDE:
        return NO_ALIGNMENT
    direction = tips[inside] - points[inside]
    angle = np.mod(np.arctan2(direction[:, 1], direction[:, 0]), np.pi)
    index = np.minimum((angle / np.pi * BINS).astype(int), BINS - 1)
    x, y = xs[inside], ys[inside]
    hit = np.zeros(len(x), bool)
    across = np.zeros(len(x), bool)
    for offset in (-1, 0, 1):
        hit |= edges.bins[(index + offset) % BINS, y, x]
        across |= edges.bins[(index + BINS // 2 + offset) % BINS, y, x]
    n = len(outline.points)
    return Alignment(along=float(hit.sum() / n), across=float(across.sum() / n))

"""Candidate regions of a flat reference's colours in a photo, grouped on a coarse grid first.

Grouping a reference's inked pixels (dilation, then connected components over the whole work
image, at two spreads) was most of the flat stage's cost with many references: at 1,000
registered images it ran for each of some 100 colour-gated references per photo, twice (the
tight tolerance too), and three in four of those had at least one group, so skipping the
empty ones alone saves little. Here the inked pixels are first counted per ``CELL`` x ``CELL``
cell and the cells grouped: a k x k dilation joins pixels up to k apart, at most two cells
between them for k < 3 ``CELL``, so a 3x3 dilation of the grid joins whatever the widest
spread joins. Every pixel group the full segmentation makes thus lies inside one cell group:
cell groups holding too few inked pixels are dropped outright, the full segmentation runs on
the crops of the rest only, and the narrow spread only where the wide one found a group (or
the ground). The same regions as before, from fewer pixels.
"""

from __future__ import annotations

import cv2
import numpy as np

CELL = 8  # grid cell side in work pixels
MIN_SIDE = 12  # a region narrower and lower than this many work pixels is not a print


def regions(
    inked: np.ndarray, spreads: tuple[int, ...], min_area: float
) -> list[tuple[int, int, int, np.ndarray]]:
    """(area, x, y, mask) of each group of inked pixels (``inked``: 0 or 1 per pixel) at least
    ``min_area`` large, grouped at each spread (pixels up to ``spread`` apart join), largest
    first (ties in the order found)."""
    widest = max(spreads)
    if any(spread % 2 == 0 for spread in spreads):
        raise ValueError("spreads must be odd: an even dilation reaches further on one side")
    if widest >= 3 * CELL:  # pixels it joins could lie 3 cells apart: the grid cannot bound it
        raise ValueError(f"cells of {CELL} px cannot bound a spread of {widest} px")
    height, width = inked.shape
    counts = cell_counts(inked)
    grid = cv2.dilate((counts > 0).astype(np.uint8), np.ones((3, 3), np.uint8))
    count, cells, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    totals = np.bincount(cells.ravel(), weights=counts.ravel(), minlength=count)
    out: list[tuple[int, int, int, np.ndarray]] = []
    margin = widest  # the dilation of a spread never reaches past this around the group
    for label in range(1, count):
        if totals[label] < min_area:
            continue  # every pixel group inside this cell group is smaller still
        cx, cy, cw, ch, _ = stats[label]
        x0, y0 = max(0, cx * CELL - margin), max(0, cy * CELL - margin)
        x1 = min(width, (cx + cw) * CELL + margin)
        y1 = min(height, (cy + ch) * CELL + margin)
        # The group's cells, in pixels, over the crop (whose corner may sit inside a cell).
        r0, c0 = y0 // CELL, x0 // CELL
        r1, c1 = -(-y1 // CELL), -(-x1 // CELL)
        own = (cells[r0:r1, c0:c1] == label).astype(np.uint8)
        own = np.repeat(np.repeat(own, CELL, axis=0), CELL, axis=1)
        oy, ox = y0 - r0 * CELL, x0 - c0 * CELL
        crop = inked[y0:y1, x0:x1] * own[oy : oy + y1 - y0, ox : ox + x1 - x0]
        # Widest first: a narrower spread's groups lie inside the wider one's, so when none
        # of those is large enough (the ground aside), no narrower one is either.
        for spread in sorted(spreads, reverse=True):
            found, ground = _groups(crop, spread, min_area, (width, height))
            out.extend((area, x + x0, y + y0, window) for area, x, y, window in found)
            if not found and not ground:
                break
    out.sort(key=lambda r: -r[0])
    return out


def cell_counts(inked: np.ndarray) -> np.ndarray:
    """Inked pixels in each ``CELL`` x ``CELL`` cell (the last row and column of cells may be
    cut short by the image's edge), from one integral image: five times faster than summing a
    zero-padded copy's blocks (measured on the flat stage's own masks at 1,000 registered
    images), and the same integers."""
    height, width = inked.shape
    rows, cols = -(-height // CELL), -(-width // CELL)
    total = cv2.integral(inked, sdepth=cv2.CV_32S)
    ys = np.minimum(np.arange(rows + 1) * CELL, height)
    xs = np.minimum(np.arange(cols + 1) * CELL, width)
    corners = total[np.ix_(ys, xs)]
    return np.asarray(corners[1:, 1:] - corners[:-1, 1:] - corners[1:, :-1] + corners[:-1, :-1])


def _groups(
    inked: np.ndarray, spread: int, min_area: float, frame: tuple[int, int]
) -> tuple[list[tuple[int, int, int, np.ndarray]], bool]:
    """(area, x, y, mask) of each group of ``inked`` at least ``min_area`` large, and whether
    such a group covered nearly all of the photo (``frame``: its width and height): the
    ground, left out, inside which a narrower spread may still find groups."""
    grouped = cv2.dilate(inked, np.ones((spread, spread), np.uint8))
    # Labels only: OpenCV's per-group statistics cost four times the labelling on a photo's
    # speckle of small groups. The inked pixels per group are one count over the inked
    # pixels' labels (a boolean gather, a quarter of the cost of their coordinates), and the
    # box is found for the few large groups only.
    count, components = cv2.connectedComponents(grouped, connectivity=8)
    inside = np.bincount(components[inked.view(bool)], minlength=count)
    width, height = frame
    out = []
    ground = False
    for row in np.flatnonzero(inside[1:] >= min_area) + 1:
        # The dilated group is the union of its inked pixels' squares, so its box is theirs
        # widened by the dilation's reach and cut at the crop's edges.
        mine = components == row
        x, y, w, h = cv2.boundingRect(mine.view(np.uint8))
        if w > 0.95 * width and h > 0.95 * height:
            ground = True
            continue
        if max(w, h) < MIN_SIDE:
            continue
        window = inked[y : y + h, x : x + w] * mine[y : y + h, x : x + w]
        out.append((int(inside[row]), x, y, window))
    return out, ground

"""Candidate regions grouped on a coarse grid first must be the regions a plain segmentation of
the whole photo makes (dilation, connected components over every pixel): drawn masks of blobs,
dotted groups, a ground covering the photo, and each colour of a real photo."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.data

from detector.vision.flat_logos import BIN_SHIFT, GROUP_PX
from detector.vision.flat_regions import CELL, MIN_SIDE, cell_counts, regions

SPREADS = (GROUP_PX, 3 * GROUP_PX)


def plain(inked: np.ndarray, min_area: float) -> set[tuple[int, int, int, bytes]]:
    """The whole-photo segmentation at each spread, written out directly."""
    height, width = inked.shape
    out = set()
    for spread in SPREADS:
        grouped = cv2.dilate(inked, np.ones((spread, spread), np.uint8))
        count, components, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
        for row in range(1, count):
            x, y, w, h, _ = stats[row]
            if max(w, h) < MIN_SIDE or (w > 0.95 * width and h > 0.95 * height):
                continue
            window = inked[y : y + h, x : x + w] * (components[y : y + h, x : x + w] == row)
            if window.sum() >= min_area:
                out.add((int(window.sum()), int(x), int(y), window.tobytes()))
    return out


def gridded(inked: np.ndarray, min_area: float) -> set[tuple[int, int, int, bytes]]:
    return {(a, x, y, w.tobytes()) for a, x, y, w in regions(inked, SPREADS, min_area)}


def drawn(seed: int) -> np.ndarray:
    """Blobs, rows of dots gapped just under and over the spreads, and speckle."""
    rng = np.random.default_rng(seed)
    inked = np.zeros((384, 512), np.uint8)
    for _ in range(6):
        centre = (int(rng.integers(0, 512)), int(rng.integers(0, 384)))
        axes = (int(rng.integers(5, 60)), int(rng.integers(5, 60)))
        cv2.ellipse(inked, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1, -1)
    for gap in (GROUP_PX - 1, GROUP_PX + 1, 3 * GROUP_PX - 1, 3 * GROUP_PX + 1):
        y = int(rng.integers(10, 370))
        for x in range(5, 300, gap + 4):
            inked[y : y + 4, x : x + 4] = 1
    inked |= (rng.random(inked.shape) < 0.01).astype(np.uint8)
    return inked


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("min_area", [30, 400])
def test_grid_grouping_gives_the_whole_photo_segmentation(seed: int, min_area: int) -> None:
    inked = drawn(seed)
    assert gridded(inked, min_area) == plain(inked, min_area)


def test_a_ground_over_the_photo_still_yields_the_groups_inside_it() -> None:
    inked = np.zeros((384, 512), np.uint8)
    inked[::12, :] = 1  # lines 12 px apart: one ground at the wide spread, apart at the narrow
    inked[80:180, 180:280] = 0  # a clearing 20 px around a square: its own at the narrow only
    inked[100:160, 200:260] = 1
    assert gridded(inked, 300) == plain(inked, 300)
    assert any(area == 60 * 60 for area, _, _, _ in regions(inked, SPREADS, 300))


def test_each_colour_of_a_real_photo_groups_the_same() -> None:
    rgb = cv2.resize(skimage.data.astronaut(), (512, 512), interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab) >> BIN_SHIFT
    for a in np.unique(lab[..., 1])[::3]:
        inked = (lab[..., 1] == a).astype(np.uint8)
        assert gridded(inked, 200) == plain(inked, 200)


def test_a_spread_the_grid_cannot_bound_is_refused() -> None:
    with pytest.raises(ValueError):
        regions(np.zeros((64, 64), np.uint8), (3 * CELL,), 10)


@pytest.mark.parametrize("shape", [(384, 512), (383, 509), (7, 13), (1, 1), (64, 9)])
def test_cell_counts_are_the_padded_block_sums(shape: tuple[int, int]) -> None:
    """The integral-image counts equal summing each cell of a zero-padded copy, cut cells at
    the right and bottom edges included."""
    inked = (np.random.default_rng(sum(shape)).random(shape) < 0.3).astype(np.uint8)
    rows, cols = -(-shape[0] // CELL), -(-shape[1] // CELL)
    padded = np.zeros((rows * CELL, cols * CELL), np.uint8)
    padded[: shape[0], : shape[1]] = inked
    expected = padded.reshape(rows, CELL, cols, CELL).sum(axis=(1, 3))
    assert np.array_equal(cell_counts(inked), expected)

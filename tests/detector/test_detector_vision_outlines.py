"""The outline check: a placed logo's boundary on the photo's edges, along and across."""

from __future__ import annotations

import numpy as np

from detector.vision.outlines import NO_ALIGNMENT, alignment, edge_map, outline_of


def square_mask(size: int = 60) -> np.ndarray:
    mask = np.zeros((size, size), np.uint8)
    mask[10:50, 10:50] = 1
    return mask


def photo_with_square(dark: bool, offset: tuple[int, int] = (100, 80)) -> np.ndarray:
    """A grey photo with the 40-pixel square printed at ``offset`` + (10, 10)."""
    gray = np.full((240, 320), 200 if dark else 40, np.uint8)
    x, y = offset
    gray[y + 10 : y + 50, x + 10 : x + 50] = 30 if dark else 220
    return gray


def placed_at(x: float, y: float, turn: float = 0.0) -> np.ndarray:
    c, s = np.cos(turn), np.sin(turn)
    return np.array([[c, -s, x], [s, c, y], [0.0, 0.0, 1.0]])


def test_outline_points_sit_on_the_boundary_with_normals_across_it() -> None:
    outline = outline_of(square_mask())
    assert 100 <= len(outline.points) <= 400
    xs, ys = outline.points[:, 0], outline.points[:, 1]
    on_edge = np.isclose(xs, 10, atol=1) | np.isclose(xs, 49, atol=1)
    on_edge |= np.isclose(ys, 10, atol=1) | np.isclose(ys, 49, atol=1)
    assert on_edge.all()
    assert np.allclose(np.linalg.norm(outline.normals, axis=1), 1.0, atol=1e-5)
    left = np.isclose(xs, 10, atol=1) & (ys > 15) & (ys < 45)
    assert (np.abs(outline.normals[left, 0]) > 0.9).all()  # horizontal normal on a vertical side


def test_a_correct_placement_lies_on_edges_in_either_polarity() -> None:
    outline = outline_of(square_mask())
    for dark in (True, False):
        fit = alignment(outline, placed_at(100, 80), edge_map(photo_with_square(dark)))
        assert fit.along >= 0.9 and fit.across <= 0.1 and fit.score >= 0.8


def test_a_wrong_placement_does_not() -> None:
    outline = outline_of(square_mask())
    edges = edge_map(photo_with_square(True))
    assert alignment(outline, placed_at(160, 150), edges).along <= 0.1  # on plain ground
    shifted = alignment(outline, placed_at(108, 86), edges)  # crosses the square's sides
    assert shifted.along <= 0.5
    turned = alignment(outline, placed_at(100, 80, np.deg2rad(45)), edges)
    assert turned.score <= 0.3


def test_texture_does_not_pass_because_its_edges_run_every_way() -> None:
    rng = np.random.default_rng(3)
    noise = (rng.random((240, 320)) * 255).astype(np.uint8)
    fit = alignment(outline_of(square_mask()), placed_at(100, 80), edge_map(noise))
    assert fit.along > 0.5  # edges under much of it, by chance...
    assert fit.score < 0.25  # ...but as many running across it


def test_a_placement_mostly_outside_the_photo_scores_nothing() -> None:
    edges = edge_map(photo_with_square(True))
    assert alignment(outline_of(square_mask()), placed_at(300, 220), edges) == NO_ALIGNMENT
    empty = outline_of(np.zeros((20, 20), np.uint8))
    assert len(empty.points) == 0
    assert alignment(empty, placed_at(0, 0), edges) == NO_ALIGNMENT

"""Local features shared by the copy, region and logo matchers: described the same way,
matched in one batched search, fitted with the same robust estimators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    from PIL.Image import Image

HOMOGRAPHY_METHOD = getattr(cv2, "USAC_MAGSAC", cv2.RANSAC)


def describe_keypoints(
    sift: cv2.SIFT, gray: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Keypoint coordinates (n, 2) and descriptors (n, 128), in a deterministic order."""
    pts, desc, _ = describe_frames(sift, gray, mask)
    return pts, desc


def describe_frames(
    sift: cv2.SIFT, gray: np.ndarray, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As ``describe_keypoints``, plus each keypoint's frame (n, 2): size and angle (degrees)."""
    keypoints, desc = sift.detectAndCompute(gray, mask)
    if desc is None or not keypoints:
        empty = np.zeros((0, 2), np.float32)
        return empty, np.zeros((0, 128), np.float32), empty.copy()
    pts = np.array([k.pt for k in keypoints], np.float32)
    frames = np.array([(k.size, k.angle) for k in keypoints], np.float32)
    # Threaded detection may list keypoints in any order; sort so matching ties break the same.
    keys = np.array([(-k.response, k.pt[1], k.pt[0], k.size, k.angle) for k in keypoints])
    order = np.lexsort(keys.T[::-1])
    return pts[order], desc[order], frames[order]


@dataclass(frozen=True)
class SceneFeatures:
    """What the logo stage extracts from a listing photo alone, whatever the registry holds:
    keypoints (n, 2) in the shrunk work image's pixels, SIFT descriptors (n, 128) and frames
    (n, 2: size, angle), as ``describe_frames`` orders them."""

    points: np.ndarray
    descriptors: np.ndarray
    frames: np.ndarray


def work_shape(size: tuple[int, int], max_side: int) -> tuple[float, tuple[int, int]]:
    """(scale, (height, width)) of a photo of ``size`` (width, height) shrunk to ``max_side``."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    if scale < 1.0:
        return scale, (max(1, round(height * scale)), max(1, round(width * scale)))
    return scale, (height, width)


def work_image(image: Image, max_side: int) -> tuple[np.ndarray, float]:
    """The photo in grey, shrunk (area-averaged) to a long side of at most ``max_side``."""
    gray = np.asarray(image.convert("L"))
    scale, (height, width) = work_shape(image.size, max_side)
    if scale < 1.0:
        gray = cv2.resize(gray, (width, height), interpolation=cv2.INTER_AREA)
    return gray, scale


def describe_scene(image: Image, max_side: int, max_features: int) -> SceneFeatures:
    """The logo stage's SIFT features of a listing photo (a detector per call: threads share
    nothing)."""
    gray, _ = work_image(image, max_side)
    points, desc, frames = describe_frames(cv2.SIFT.create(nfeatures=max_features), gray)
    return SceneFeatures(points, desc, frames)


def ratio_pairs(query: np.ndarray, train: np.ndarray, ratio: float) -> list[tuple[int, int]]:
    """(query row, train row) pairs passing Lowe's ratio test, brute force (one pair of photos;
    a matcher per call, so threads share nothing)."""
    if len(query) < 2 or len(train) < 2:
        return []
    pairs = cv2.BFMatcher(cv2.NORM_L2).knnMatch(query, train, k=2)
    return [
        (p[0].queryIdx, p[0].trainIdx)
        for p in pairs
        if len(p) == 2 and p[0].distance < ratio * p[1].distance
    ]


def two_nearest(queries: np.ndarray, scene: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query descriptor, the distances (n, 2) to and rows (n, 2) of its two nearest
    scene descriptors, by one exact faiss search (batched BLAS): with every registered logo's
    descriptors as the queries, one call serves them all."""
    import faiss

    index = faiss.IndexFlatL2(scene.shape[1])
    index.add(np.ascontiguousarray(scene, np.float32))
    squared, rows = index.search(queries, 2)
    return np.sqrt(np.maximum(squared, 0.0)), rows


def fit_model(
    model: str, src: np.ndarray, dst: np.ndarray, reprojection_px: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """(3x3 matrix, boolean inlier mask) of a robust homography or affine fit, or None."""
    cv2.setRNGSeed(0)
    if model == "homography":
        matrix, mask = cv2.findHomography(
            src, dst, HOMOGRAPHY_METHOD, reprojection_px, maxIters=2000, confidence=0.999
        )
    else:
        affine, mask = cv2.estimateAffine2D(
            src,
            dst,
            method=cv2.RANSAC,
            ransacReprojThreshold=reprojection_px,
            maxIters=2000,
            confidence=0.999,
        )
        matrix = None if affine is None else np.vstack([affine, [0.0, 0.0, 1.0]])
    if matrix is None or mask is None:
        return None
    return matrix, mask.ravel().astype(bool)

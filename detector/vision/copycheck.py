"""Geometric check of a learned-descriptor copy: a copy shares local features with its source.

A global descriptor says two photos *look alike*; two different photos of white sneakers on white,
or two logos on white, look alike too. A copied photo — cropped, bordered, stamped with text or
put inside another picture — keeps the source's own pixels, so many of its SIFT features match
the source's and agree on one homography. A look-alike photo of another object does not. The
check runs only on the pairs the descriptor proposes, on copies at most ``MAX_SIDE`` pixels.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from detector.vision.keypoints import describe_keypoints, ratio_pairs

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_SIDE = 640  # both images are shrunk to this long side: enough detail, bounded work
MAX_FEATURES = 2000
RATIO = 0.8  # Lowe's ratio test
MIN_INLIERS = 12  # features agreeing on one homography that make a copy
REPROJECTION_PX = 6.0


@dataclass(frozen=True)
class CopyCheck:
    """How many of the listing photo's features agree with the source on one homography."""

    inliers: int
    candidates: int

    @property
    def passed(self) -> bool:
        return self.inliers >= MIN_INLIERS


class CopyChecker:
    """SIFT features of registered images, computed once per image digest; thread-safe."""

    def __init__(self) -> None:
        self._sift = cv2.SIFT.create(nfeatures=MAX_FEATURES)
        self._references: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def _features(self, image: Image) -> tuple[np.ndarray, np.ndarray]:
        grey = image.convert("L")
        scale = MAX_SIDE / max(grey.size)
        if scale < 1.0:
            size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
            grey = grey.resize(size)
        return describe_keypoints(self._sift, np.asarray(grey))

    def listing_features(self, listing: Image) -> tuple[np.ndarray, np.ndarray]:
        """A listing photo's features, to check it against several references without
        describing it again."""
        return self._features(listing)

    def check(
        self,
        reference_key: str,
        reference: Image,
        listing: Image | tuple[np.ndarray, np.ndarray],
    ) -> CopyCheck:
        """Inliers of the best homography between the two images' matched features
        (``listing`` is a photo or the ``listing_features`` of one)."""
        with self._lock:
            if reference_key not in self._references:
                self._references[reference_key] = self._features(reference)
            ref_points, ref_desc = self._references[reference_key]
        points, desc = listing if isinstance(listing, tuple) else self._features(listing)
        good = ratio_pairs(desc, ref_desc, RATIO)
        if len(good) < MIN_INLIERS:
            return CopyCheck(0, len(good))
        src = np.array([ref_points[t] for _, t in good], dtype=np.float32).reshape(-1, 1, 2)
        dst = np.array([points[q] for q, _ in good], dtype=np.float32).reshape(-1, 1, 2)
        cv2.setRNGSeed(0)
        _, mask = cv2.findHomography(src, dst, cv2.USAC_MAGSAC, REPROJECTION_PX)
        inliers = int(mask.sum()) if mask is not None else 0
        return CopyCheck(inliers, len(good))

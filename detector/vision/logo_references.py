"""Registered logos prepared once for matching: masked, cropped, described at several sizes in
both polarities, with their outline for the outline check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from detector.vision.keypoints import describe_frames
from detector.vision.outlines import Outline, outline_of

if TYPE_CHECKING:
    from PIL import Image

    from model import ReferenceImage


def foreground(image: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """(luminance on a contrasting background, foreground mask) of a registered logo image."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = np.asarray(image.convert("RGBA"), np.float32)
        alpha = rgba[..., 3] / 255.0
        lum = rgba[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)
        mask = alpha > 0.1
        fg_lum = float(lum[mask].mean()) if mask.any() else 0.0
        background = 255.0 if fg_lum < 128 else 0.0
        gray = lum * alpha + background * (1.0 - alpha)
        return gray.astype(np.uint8), mask
    rgb = np.asarray(image.convert("RGB"), np.int16)
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    background_rgb = np.median(border, axis=0)
    gray = np.asarray(image.convert("L"))
    if np.abs(border - background_rgb).max(axis=1).mean() > 24:
        return gray, np.ones(gray.shape, bool)  # no plain background to mask: keep it all
    mask = np.abs(rgb - background_rgb).max(axis=2) > 32
    return gray, mask


@dataclass(frozen=True)
class LogoReference:
    """Features of one registered logo image, in canonical (cropped-logo pixel) coordinates."""

    asset_id: str
    image: ReferenceImage
    size: tuple[float, float]  # width, height of the cropped logo in canonical units
    points: np.ndarray  # (n, 2) canonical coordinates
    descriptors: np.ndarray  # (n, 128)
    frames: np.ndarray  # (n, 2) keypoint size (canonical units) and angle (degrees)
    views: tuple[str, ...]  # which rendered view each feature came from
    outline: Outline  # boundary samples and normals, canonical coordinates


def prepare_reference(
    asset_id: str, ref: ReferenceImage, sizes: tuple[int, ...], sift: cv2.SIFT
) -> LogoReference | None:
    """Mask, crop and pad the logo, then describe it at each size in both polarities."""
    assert ref.image is not None
    gray, mask = foreground(ref.image)
    ys, xs = np.nonzero(mask)
    if len(xs) < 16:
        return None  # an empty or nearly empty image has nothing to find
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    crop, crop_mask = gray[y0:y1, x0:x1], mask[y0:y1, x0:x1].astype(np.uint8) * 255
    background = int(np.median(crop[crop_mask == 0])) if (crop_mask == 0).any() else 255
    long_side = max(crop.shape)
    points, descriptors, frames, views = [], [], [], []
    for size in sizes:
        scale = size / long_side
        w, h = max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))
        interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        small = cv2.resize(crop, (w, h), interpolation=interp)
        small_mask = cv2.resize(crop_mask, (w, h), interpolation=cv2.INTER_NEAREST)
        pad = max(8, size // 6)  # room for descriptors of keypoints on the logo's edge
        padded = cv2.copyMakeBorder(
            small, pad, pad, pad, pad, cv2.BORDER_CONSTANT, None, background
        )
        padded = cv2.GaussianBlur(padded, (0, 0), 0.7)  # a printed, photographed logo is soft
        feature_mask = cv2.dilate(
            cv2.copyMakeBorder(small_mask, pad, pad, pad, pad, cv2.BORDER_CONSTANT, None, 0),
            np.ones((2 * pad // 3 + 1, 2 * pad // 3 + 1), np.uint8),
        )
        for polarity, view in (("", padded), ("inverted ", 255 - padded)):
            pts, desc, view_frames = describe_frames(sift, view, feature_mask)
            points.append((pts - pad) / scale)
            frames.append(view_frames / np.array([scale, 1.0], np.float32))
            descriptors.append(desc)
            views.extend([f"{polarity}{size}px"] * len(pts))
    return LogoReference(
        asset_id=asset_id,
        image=ref,
        size=(float(crop.shape[1]), float(crop.shape[0])),
        points=np.concatenate(points),
        descriptors=np.concatenate(descriptors),
        frames=np.concatenate(frames),
        views=tuple(views),
        outline=outline_of(crop_mask),
    )

"""Composite a brand logo into a real photo the way it shows up on a product, with its region.

The logo is rasterised by resvg, given a width that is a set share of the photo's width, and
warped by a homography (identity, a rotation, or a rotation plus corner jitter for
perspective) onto the photo; an occluded variant then covers part of it with a patch cut from
another real photo (a hand, a strap, a sticker in real listings). Every random choice is made
by the planner and passed in, so one recipe always gives the same pixels; the warped logo's
4-point polygon and bounding box are returned as the ground truth.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from bench.imageset_sources import render_logo

LOGO_VARIANTS = ("plain", "rotated", "perspective", "occluded")
LOGO_SCALES = (0.1, 0.2, 0.3, 0.4)
BACKGROUND_WIDTH = 640  # logo scenes are this wide, so a 10% logo is 64 pixels across
FINAL_JPEG_QUALITY = 88  # seller photos are JPEGs: one realistic recompression at the end


@dataclass(frozen=True)
class Placement:
    """The logo's quadrilateral in scene pixels and its axis-aligned bounding box."""

    polygon: list[list[int]]
    bbox: list[int]


def _luma(colour: tuple[int, int, int]) -> float:
    r, g, b = colour
    return 0.299 * r + 0.587 * g + 0.114 * b


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def background(photo: Image.Image, crop: list[float], mirror: bool) -> Image.Image:
    """A crop of the photo (fractions x0, y0, x1, y1), maybe mirrored, ``BACKGROUND_WIDTH`` wide."""
    w, h = photo.size
    box = (round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h))
    scene = photo.crop(box)
    if mirror:
        scene = scene.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    height = round(scene.height * BACKGROUND_WIDTH / scene.width)
    return scene.resize((BACKGROUND_WIDTH, height), Image.Resampling.LANCZOS)


def _destination(
    size: tuple[int, int], recipe: dict[str, Any], scene_size: tuple[int, int]
) -> np.ndarray:
    """Where the logo's corners land: rotated and jittered about its centre, then placed."""
    w, h = size
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64) - [w / 2, h / 2]
    angle = np.deg2rad(recipe.get("angle", 0.0))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    jitter = np.array(recipe.get("jitter", [[0, 0]] * 4), dtype=np.float64) * min(w, h)
    moved = (corners + jitter) @ rotation.T
    lo, hi = moved.min(axis=0), moved.max(axis=0)
    free = np.array(scene_size, dtype=np.float64) - (hi - lo)
    position = np.array(recipe["position"]) * np.maximum(free, 0) - lo
    return moved + position


def _pick_colour(scene: Image.Image, bbox: list[int], wanted: str) -> tuple[int, int, int]:
    """The wanted ink, unless it would vanish into the photo there: then black or white."""
    region = np.asarray(scene.crop(tuple(bbox)).convert("L"), dtype=np.float64)
    ground = float(region.mean()) if region.size else 128.0
    colour = _hex(wanted)
    if abs(_luma(colour) - ground) >= 70:
        return colour
    return (0, 0, 0) if ground > 128 else (255, 255, 255)


def composite(
    scene: Image.Image, slug: str, recipe: dict[str, Any], occluder: Image.Image | None
) -> tuple[Image.Image, Placement]:
    """Draw logo ``slug`` into ``scene`` as the recipe says; returns the photo and the region."""
    logo_width = round(recipe["scale"] * scene.width)
    mark = render_logo(slug, logo_width * 2)  # render larger, warp down: clean edges
    factor = logo_width / mark.width
    dst = _destination(
        (logo_width, max(1, round(mark.height * factor))), recipe, (scene.width, scene.height)
    )
    src = np.array(
        [[0, 0], [mark.width, 0], [mark.width, mark.height], [0, mark.height]], dtype=np.float32
    )
    homography = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    alpha = cv2.warpPerspective(
        np.asarray(mark.getchannel("A")),
        homography,
        scene.size,
        flags=cv2.INTER_AREA,
        borderValue=0,
    )
    xs, ys = dst[:, 0], dst[:, 1]
    bbox = [
        max(0, int(np.floor(xs.min()))),
        max(0, int(np.floor(ys.min()))),
        min(scene.width, int(np.ceil(xs.max()))),
        min(scene.height, int(np.ceil(ys.max()))),
    ]
    ink = np.array(_pick_colour(scene, bbox, recipe["colour"]), dtype=np.float64)
    weight = alpha.astype(np.float64)[..., None] / 255.0 * recipe.get("opacity", 1.0)
    pixels = np.asarray(scene, dtype=np.float64)
    out = Image.fromarray(np.clip(pixels * (1 - weight) + ink * weight, 0, 255).astype(np.uint8))
    if occluder is not None and "occlusion" in recipe:
        out = _occlude(out, bbox, recipe["occlusion"], occluder)
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=FINAL_JPEG_QUALITY)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        final = decoded.convert("RGB")
    polygon = [[round(float(x)), round(float(y))] for x, y in dst]
    return final, Placement(polygon=polygon, bbox=bbox)


def _occlude(
    scene: Image.Image, bbox: list[int], occlusion: dict[str, Any], occluder: Image.Image
) -> Image.Image:
    """Cover ``share`` of the logo's box from one side with a patch of another photo."""
    x0, y0, x1, y1 = bbox
    share = occlusion["share"]
    side = occlusion["side"]
    if side in ("left", "right"):
        cut = round((x1 - x0) * share)
        box = (x0, y0, x0 + cut, y1) if side == "left" else (x1 - cut, y0, x1, y1)
    else:
        cut = round((y1 - y0) * share)
        box = (x0, y0, x1, y0 + cut) if side == "top" else (x0, y1 - cut, x1, y1)
    width, height = max(1, box[2] - box[0]), max(1, box[3] - box[1])
    ox, oy = occlusion["offset"]
    left = round(ox * max(0, occluder.width - width))
    top = round(oy * max(0, occluder.height - height))
    patch = occluder.crop((left, top, left + width, top + height))
    covered = scene.copy()
    covered.paste(patch, box[:2])
    return covered

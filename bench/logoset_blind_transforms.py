"""The blind logo set's transforms: how a logo is pasted into a photo and the photo finished.

Why apart: the ways a logo is altered (rotation, perspective, occlusion, colour, blur, JPEG,
downscaling, a label behind it) are one idea, chosen without reading the matchers' own
transforms; which logos go into which photos is another (``bench/logoset_blind.py``).
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from typing import Any

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from bench.logoset_blind_sources import Logo

LISTING_SMALL_WIDTH = 400
TRANSFORMS: tuple[str, ...] = (
    "plain",
    "rotate",
    "perspective",
    "occlude",
    "colour",
    "blur",
    "jpeg",
    "downscale",
    "patch",
)
PATCH_COLOURS = ("#ffffff", "#f6f0e1", "#e4e4e4", "#fff3b0", "#dbe9f7", "#1f2a44", "#222222")


def _perspective_coeffs(
    src: Sequence[tuple[float, float]], dst: Sequence[tuple[float, float]]
) -> list[float]:
    """PIL's 8 perspective coefficients that map output corners ``dst`` to input ``src``."""
    import numpy as np

    rows = []
    rhs = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, float), np.array(rhs, float))]


def warp_logo(art: Image.Image, transform: str, rng: random.Random) -> tuple[Image.Image, dict]:
    """Geometric transforms of the logo itself (rotation, perspective or shear)."""
    meta: dict[str, Any] = {}
    if transform == "rotate":
        angle = rng.uniform(5, 30) * rng.choice((-1, 1))
        meta["angle"] = round(angle, 1)
        return art.rotate(angle, resample=Image.BICUBIC, expand=True), meta
    if transform == "perspective":
        w, h = art.size
        pad = int(max(w, h) * 0.3)
        canvas = Image.new("RGBA", (w + 2 * pad, h + 2 * pad), (0, 0, 0, 0))
        canvas.paste(art, (pad, pad))
        if rng.random() < 0.5:
            shear = rng.uniform(0.15, 0.35) * rng.choice((-1, 1))
            meta.update(kind="shear", shear=round(shear, 2))
            cw, ch = canvas.size
            out = canvas.transform(
                (cw, ch),
                Image.AFFINE,
                (1, shear, -shear * ch / 2, 0, 1, 0),
                resample=Image.BICUBIC,
            )
        else:
            src = [(pad, pad), (pad + w, pad), (pad + w, pad + h), (pad, pad + h)]
            squeeze = rng.uniform(0.1, 0.25)
            side = rng.choice(("left", "right", "top", "bottom"))
            meta.update(kind="perspective", side=side, squeeze=round(squeeze, 2))
            dx, dy = squeeze * h / 2, squeeze * w / 2
            dst = list(src)
            if side == "left":
                dst[0], dst[3] = (pad, pad + dx), (pad, pad + h - dx)
            elif side == "right":
                dst[1], dst[2] = (pad + w, pad + dx), (pad + w, pad + h - dx)
            elif side == "top":
                dst[0], dst[1] = (pad + dy, pad), (pad + w - dy, pad)
            else:
                dst[3], dst[2] = (pad + dy, pad + h), (pad + w - dy, pad + h)
            out = canvas.transform(
                canvas.size,
                Image.PERSPECTIVE,
                _perspective_coeffs(src, dst),
                resample=Image.BICUBIC,
            )
        box = out.getbbox()
        return (out.crop(box) if box else out), meta
    return art, meta


def on_patch(art: Image.Image, rng: random.Random) -> tuple[Image.Image, dict]:
    """The logo printed on a coloured label (rounded rectangle with a margin)."""
    colour = rng.choice(PATCH_COLOURS)
    margin = int(max(art.width, art.height) * rng.uniform(0.12, 0.3))
    label = Image.new("RGBA", (art.width + 2 * margin, art.height + 2 * margin), (0, 0, 0, 0))
    ImageDraw.Draw(label).rounded_rectangle(
        (0, 0, label.width - 1, label.height - 1), radius=margin // 2, fill=colour
    )
    label.alpha_composite(art, (margin, margin))
    return label, {"patch": colour}


def _place(
    photo: Image.Image, art: Image.Image, rng: random.Random, region: tuple[int, int] | None = None
) -> tuple[int, int]:
    """A random top-left corner that keeps the art inside the photo (or a horizontal region)."""
    lo, hi = region or (0, photo.width)
    x = rng.randint(lo, max(lo, hi - art.width))
    y = rng.randint(0, max(0, photo.height - art.height))
    return x, y


def occlude(
    image: Image.Image, box: tuple[int, int, int, int], rng: random.Random
) -> dict[str, Any]:
    """Cover 10-30 % of the pasted logo's box from one edge (a finger, a sticker, a fold)."""
    x0, y0, x1, y1 = box
    fraction = rng.uniform(0.10, 0.30)
    side = rng.choice(("left", "right", "top", "bottom"))
    w, h = x1 - x0, y1 - y0
    if side == "left":
        cover = (x0, y0, x0 + int(w * fraction), y1)
    elif side == "right":
        cover = (x1 - int(w * fraction), y0, x1, y1)
    elif side == "top":
        cover = (x0, y0, x1, y0 + int(h * fraction))
    else:
        cover = (x0, y1 - int(h * fraction), x1, y1)
    fill = tuple(rng.randint(60, 220) for _ in range(3))
    ImageDraw.Draw(image).rectangle(cover, fill=fill)
    return {"covered": round(fraction, 2), "side": side}


def finish(image: Image.Image, transform: str, rng: random.Random) -> tuple[Image.Image, str, dict]:
    """Whole-photo transforms after pasting; returns the image, its format and metadata."""
    meta: dict[str, Any] = {}
    fmt = "png"
    if transform == "colour":
        b, c, s = (rng.uniform(0.7, 1.3), rng.uniform(0.7, 1.3), rng.uniform(0.6, 1.4))
        image = ImageEnhance.Brightness(image).enhance(b)
        image = ImageEnhance.Contrast(image).enhance(c)
        image = ImageEnhance.Color(image).enhance(s)
        gains = [rng.uniform(0.88, 1.12) for _ in range(3)]
        bands = [
            band.point(lambda v, g=g: min(255, int(v * g)))
            for band, g in zip(image.split(), gains, strict=True)
        ]
        image = Image.merge("RGB", bands)
        meta.update(
            brightness=round(b, 2),
            contrast=round(c, 2),
            saturation=round(s, 2),
            gains=[round(g, 2) for g in gains],
        )
    elif transform == "blur":
        radius = rng.uniform(1.0, 2.5)
        image = image.filter(ImageFilter.GaussianBlur(radius))
        meta["radius"] = round(radius, 2)
    elif transform == "jpeg":
        meta["quality"] = rng.randint(40, 70)
        fmt = "jpg"
    elif transform == "downscale":
        height = round(image.height * LISTING_SMALL_WIDTH / image.width)
        image = image.resize((LISTING_SMALL_WIDTH, height), Image.LANCZOS)
        meta["photo_width"] = LISTING_SMALL_WIDTH
    return image, fmt, meta


def compose(
    photo: Image.Image,
    pastes: Sequence[tuple[Logo, int]],
    transform: str,
    rng: random.Random,
) -> tuple[Image.Image, str, list[dict[str, Any]], dict[str, Any]]:
    """Paste logos (each at a % of the photo width) into a copy of the photo, then finish it.

    Several logos go side by side in equal horizontal strips so they never overlap.
    Returns the image, its file format, one metadata row per paste and the finishing metadata.
    """
    image = photo.copy()
    rows: list[dict[str, Any]] = []
    strip = photo.width // max(1, len(pastes))
    for index, (logo, width_pct) in enumerate(pastes):
        art = logo.render(max(4, round(photo.width * width_pct / 100)))
        art, meta = warp_logo(art, transform, rng)
        if transform == "patch":
            art, extra = on_patch(art, rng)
            meta.update(extra)
        region = (index * strip, (index + 1) * strip) if len(pastes) > 1 else None
        x, y = _place(image, art, rng, region)
        image.paste(art, (x, y), art)
        box = (x, y, x + art.width, y + art.height)
        if transform == "occlude":
            meta.update(occlude(image, box, rng))
        rows.append({"logo": logo.id, "width_pct": width_pct, "box": list(box), **meta})
    image, fmt, finish_meta = finish(image, transform, rng)
    return image, fmt, rows, finish_meta


def encode(image: Image.Image, fmt: str, meta: dict[str, Any]) -> bytes:
    """The case file's bytes (PNG, or JPEG at the case's quality)."""
    out = io.BytesIO()
    if fmt == "jpg":
        image.save(out, "JPEG", quality=int(meta.get("quality", 60)))
    else:
        image.save(out, "PNG", optimize=False)
    return out.getvalue()

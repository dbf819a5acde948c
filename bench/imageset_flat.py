"""The flat-logo group: logos of a few flat colours with few corners, pasted into real photos.

simple-icons logos are one colour each, so the multi-colour flat marks are drawn here with PIL
(three coloured squares, a 2x2 grid, a bird silhouette, a letter cut out of a rounded tile);
flat simple-icons logos (a bullseye, a quote mark in a disc) join them. Registered logos are
pasted in their own colours; the negatives are other firms' flat logos: the same shapes in
other colours, similar shapes, and unregistered flat simple-icons logos. Every random choice
comes from one seed; placement (scale, turn, perspective, occlusion) reuses the logo group's
``bench/imageset_logos.py`` geometry, so the two groups are made alike.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from bench.imageset_logos import LOGO_SCALES, LOGO_VARIANTS, _destination, _occlude, background
from bench.imageset_plan import placement
from bench.imageset_sources import load_photo, logo_reference, photos, render_logo

if TYPE_CHECKING:
    from collections.abc import Callable

SEED = 15
JPEG_QUALITY = 88
TRIO = ("#d81b60", "#2e7d32", "#1565c0")
GRID = ("#f25022", "#7fba00", "#00a4ef", "#ffb900")


def squares(colours: tuple[str, ...], width: int = 512) -> Image.Image:
    """Coloured squares in a row with small gaps, RGBA on transparent."""
    n = len(colours)
    gap = width // 33
    side = (width - gap * (n - 1)) // n
    im = Image.new("RGBA", (width, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    for i, colour in enumerate(colours):
        x = i * (side + gap)
        draw.rectangle([x, 0, x + side - 1, side - 1], fill=colour)
    return im


def grid(colours: tuple[str, ...], width: int = 512) -> Image.Image:
    """Four coloured squares in a 2x2 grid."""
    gap = width // 24
    side = (width - gap) // 2
    im = Image.new("RGBA", (width, width), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    for i, colour in enumerate(colours[:4]):
        x, y = (i % 2) * (side + gap), (i // 2) * (side + gap)
        draw.rectangle([x, y, x + side - 1, y + side - 1], fill=colour)
    return im


def bird(colour: str, width: int = 512, crest: bool = False) -> Image.Image:
    """A bird silhouette; ``crest`` gives another firm's similar bird (crest, longer tail)."""
    im = Image.new("RGBA", (width, width), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    s = width / 100
    draw.ellipse([20 * s, 35 * s, 75 * s, 70 * s], fill=colour)
    draw.ellipse([62 * s, 22 * s, 86 * s, 46 * s], fill=colour)
    draw.polygon([(84 * s, 30 * s), (99 * s, 36 * s), (84 * s, 40 * s)], fill=colour)
    draw.polygon([(30 * s, 45 * s), (55 * s, 5 * s), (60 * s, 45 * s)], fill=colour)
    if crest:
        draw.polygon([(66 * s, 26 * s), (70 * s, 8 * s), (76 * s, 24 * s)], fill=colour)
        draw.polygon([(24 * s, 50 * s), (0, 50 * s), (4 * s, 75 * s)], fill=colour)
    else:
        draw.polygon([(24 * s, 48 * s), (2 * s, 30 * s), (6 * s, 62 * s)], fill=colour)
    return im.crop(im.getchannel("A").getbbox())


def letter_tile(colour: str, width: int = 512, letter: str = "K") -> Image.Image:
    """A one-letter icon: the letter cut out of a rounded tile (drawn as strokes, no font)."""
    im = Image.new("RGBA", (width, width), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    s = width / 100
    draw.rounded_rectangle([0, 0, width - 1, width - 1], radius=round(18 * s), fill=colour)
    clear = (0, 0, 0, 0)
    stroke = round(14 * s)
    draw.rectangle([26 * s, 20 * s, 26 * s + stroke, 80 * s], fill=clear)
    if letter == "K":
        draw.line([(34 * s, 52 * s), (74 * s, 20 * s)], fill=clear, width=stroke)
        draw.line([(40 * s, 48 * s), (76 * s, 80 * s)], fill=clear, width=stroke)
    else:  # "F"
        draw.rectangle([26 * s, 20 * s, 76 * s, 20 * s + stroke], fill=clear)
        draw.rectangle([26 * s, 45 * s, 66 * s, 45 * s + stroke], fill=clear)
    return im


@dataclass(frozen=True)
class FlatLogo:
    name: str
    draw: Callable[[], Image.Image] | None  # the mark in its own colours, RGBA on transparent
    registered: bool
    kind: str  # "registered" | "other_colours" | "similar_shape" | "other_flat_logo"
    slug: str | None = None  # a simple-icons logo, rendered in its brand colour

    def mark(self) -> Image.Image:
        if self.slug is not None:
            return render_logo(self.slug, 512)
        assert self.draw is not None
        return self.draw()


FLAT_LOGOS: tuple[FlatLogo, ...] = (
    FlatLogo("trio-squares", lambda: squares(TRIO), True, "registered"),
    FlatLogo("grid-squares", lambda: grid(GRID), True, "registered"),
    FlatLogo("bird", lambda: bird("#263238"), True, "registered"),
    FlatLogo("letter-k", lambda: letter_tile("#e65100"), True, "registered"),
    FlatLogo("target", None, True, "registered", "target"),
    FlatLogo("vodafone", None, True, "registered", "vodafone"),
    FlatLogo(
        "trio-other", lambda: squares(("#f9a825", "#6a1b9a", "#00838f")), False, "other_colours"
    ),
    FlatLogo(
        "grid-other",
        lambda: grid(("#8e24aa", "#fdd835", "#3949ab", "#00897b")),
        False,
        "other_colours",
    ),
    FlatLogo("bird-red", lambda: bird("#c62828"), False, "other_colours"),
    FlatLogo("letter-k-teal", lambda: letter_tile("#00897b"), False, "other_colours"),
    FlatLogo(
        "quad-squares",
        lambda: squares(("#fb8c00", "#5e35b1", "#43a047", "#e53935")),
        False,
        "similar_shape",
    ),
    FlatLogo("bird-crest", lambda: bird("#1e88e5", crest=True), False, "similar_shape"),
    FlatLogo("letter-f", lambda: letter_tile("#6d4c41", letter="F"), False, "similar_shape"),
    *(
        FlatLogo(slug, None, False, "other_flat_logo", slug)
        for slug in ("snapchat", "opera", "facebook", "xiaomi", "mastercard", "airbnb")
    ),
)


def reference(logo: FlatLogo) -> Image.Image:
    """The registered image: the mark on white with a margin (simple-icons: the sources' own)."""
    if logo.slug is not None:
        return logo_reference(logo.slug)
    mark = logo.mark()
    pad = mark.width // 16
    ground = Image.new("RGB", (mark.width + 2 * pad, mark.height + 2 * pad), "white")
    ground.paste(mark, (pad, pad), mark)
    return ground


def paste_mark(
    scene: Image.Image, mark: Image.Image, recipe: dict[str, Any], occluder: Image.Image | None
) -> tuple[Image.Image, list[int]]:
    """Warp the RGBA mark, in its own colours, into the scene as the recipe says; a JPEG."""
    width = round(recipe["scale"] * scene.width)
    height = max(1, round(mark.height * width / mark.width))
    dst = _destination((width, height), recipe, scene.size)
    src = np.array(
        [[0, 0], [mark.width, 0], [mark.width, mark.height], [0, mark.height]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    rgba = cv2.warpPerspective(np.asarray(mark), matrix, scene.size, flags=cv2.INTER_AREA)
    weight = rgba[..., 3:].astype(np.float64) / 255.0 * recipe.get("opacity", 1.0)
    pixels = np.asarray(scene, np.float64)
    blended = pixels * (1 - weight) + rgba[..., :3].astype(np.float64) * weight
    out = Image.fromarray(np.clip(blended, 0, 255).astype(np.uint8))
    xs, ys = dst[:, 0], dst[:, 1]
    bbox = [
        max(0, int(xs.min())),
        max(0, int(ys.min())),
        min(scene.width, int(np.ceil(xs.max()))),
        min(scene.height, int(np.ceil(ys.max()))),
    ]
    if occluder is not None and "occlusion" in recipe:
        out = _occlude(out, bbox, recipe["occlusion"], occluder)
    buffer = io.BytesIO()
    out.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    with Image.open(io.BytesIO(buffer.getvalue())) as decoded:
        return decoded.convert("RGB"), bbox


def _recipe(rng: random.Random, scale: float, variant: str) -> dict[str, Any]:
    """As the logo group's recipes (``imageset_plan._logo_recipe``), in the mark's colours."""
    return {"scale": scale, **placement(rng, variant)}


def flat_cases(seed: int = SEED) -> list[dict[str, Any]]:
    """Every registered flat logo at each scale and variant; each negative at each scale in two
    variants; the case's image under "image"."""
    rng = random.Random(f"flat-{seed}")
    scenes = [load_photo(p) for p in photos() if p.category != "document"]
    cases = []
    for logo in FLAT_LOGOS:
        mark = logo.mark()
        for scale in LOGO_SCALES:
            variants = LOGO_VARIANTS if logo.registered else rng.sample(LOGO_VARIANTS, 2)
            for variant in variants:
                photo, occluder = rng.sample(scenes, 2)
                crop = [0.0, 0.0, 1.0, 1.0]
                scene = background(photo, crop, mirror=rng.random() < 0.5)
                image, bbox = paste_mark(scene, mark, _recipe(rng, scale, variant), occluder)
                cases.append(
                    {
                        "id": f"flat-{logo.name}-{round(scale * 100)}-{variant}",
                        "expect": "match" if logo.registered else "no_match",
                        "asset_id": f"flat-{logo.name}" if logo.registered else None,
                        "kind": logo.kind,
                        "scale": scale,
                        "variant": variant,
                        "bbox": bbox,
                        "image": image,
                    }
                )
    return cases

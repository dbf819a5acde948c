"""The copy transforms of the image set, as AugLy op lists with every parameter drawn up front.

Each transform is one function ``(rng, size) -> ops``; an op is ``[augly function, kwargs]``
run by ``bench/augly_transforms.py`` in the AugLy virtualenv. Drawing every parameter here
(nothing left to AugLy's defaults or its own randomness) is what makes a seed reproduce the
set, and the manifest records the exact ops of every generated image.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import random
    from collections.abc import Callable

Op = list[Any]  # [name, kwargs]
Size = tuple[int, int]

FONTS = ("Raleway-ExtraBold", "Chunkfive", "IBMPlexSans-Bold", "IBMPlexMono-Bold")
CAPTIONS = (
    "SALE 50% OFF",
    "BEST PRICE",
    "FREE SHIPPING",
    "NEW ARRIVAL",
    "HOT DEAL",
    "LIMITED STOCK",
    "ORIGINAL QUALITY",
    "BUY 2 GET 1",
)
MEME_TEXT = ("when it ships", "me irl", "worth it", "so real", "top quality", "wow")
EMOJI = (
    "smileys/smiling_face_with_heart_eyes.png",
    "smileys/alien.png",
    "people/baby.png",
    "animals_and_nature/bear.png",
    "food_and_drink/banana.png",
    "objects/backpack.png",
    "travel_and_places/airplane.png",
    "activity/balloon.png",
)
SCREENSHOTS = ("web.png", "mobile.png")


def _colour(rng: random.Random) -> list[int]:
    return [rng.randrange(256) for _ in range(3)]


def _text_indices(text: str) -> list[int]:
    """AugLy's overlay_text takes indices into the font's character list, which starts at
    U+0020 for the Latin fonts used here: so an ASCII character's index is ``ord - 32``."""
    return [ord(c) - 32 for c in text]


def _font(rng: random.Random) -> str:
    return f"augly-asset:fonts/{rng.choice(FONTS)}.ttf"


def resize(rng: random.Random, size: Size) -> list[Op]:
    w, h = size
    down = rng.random() < 0.6
    fx = rng.uniform(0.3, 0.7) if down else rng.uniform(1.2, 1.6)
    fy = fx * rng.uniform(0.85, 1.15)  # a little aspect change, as marketplaces do
    return [["resize", {"width": max(16, round(w * fx)), "height": max(16, round(h * fy))}]]


def crop_transform(share: float) -> Callable[[random.Random, Size], list[Op]]:
    """Remove ``share`` of the area: a window of ``1 - share`` of it, random shape and place."""

    def crop(rng: random.Random, size: Size) -> list[Op]:
        keep = 1.0 - share
        aspect = rng.uniform(0.75, 1.33)
        kw = min(1.0, math.sqrt(keep * aspect))
        kh = min(1.0, keep / kw)
        x1 = rng.uniform(0.0, 1.0 - kw)
        y1 = rng.uniform(0.0, 1.0 - kh)
        box = {"x1": round(x1, 4), "y1": round(y1, 4)}
        box |= {"x2": round(min(1.0, x1 + kw), 4), "y2": round(min(1.0, y1 + kh), 4)}
        return [["crop", box]]

    return crop


def pad(rng: random.Random, size: Size) -> list[Op]:
    kwargs = {
        "w_factor": round(rng.uniform(0.1, 0.35), 3),
        "h_factor": round(rng.uniform(0.1, 0.35), 3),
    }
    return [["pad", kwargs | {"color": _colour(rng)}]]


def overlay_text(rng: random.Random, size: Size) -> list[Op]:
    kwargs = {
        "text": _text_indices(rng.choice(CAPTIONS)),
        "font_file": _font(rng),
        "font_size": round(rng.uniform(0.08, 0.16), 3),
        "color": _colour(rng),
        "x_pos": round(rng.uniform(0.0, 0.3), 3),
        "y_pos": round(rng.uniform(0.05, 0.8), 3),
    }
    return [["overlay_text", kwargs]]


def overlay_emoji(rng: random.Random, size: Size) -> list[Op]:
    kwargs = {
        "emoji_path": f"augly-asset:twemojis/{rng.choice(EMOJI)}",
        "emoji_size": round(rng.uniform(0.15, 0.35), 3),
        "x_pos": round(rng.uniform(0.0, 0.7), 3),
        "y_pos": round(rng.uniform(0.0, 0.7), 3),
    }
    return [["overlay_emoji", kwargs]]


def overlay_stripes(rng: random.Random, size: Size) -> list[Op]:
    kwargs = {
        "line_width": round(rng.uniform(0.1, 0.4), 3),
        "line_color": _colour(rng),
        "line_angle": round(rng.uniform(-60, 60), 1),
        "line_density": round(rng.uniform(0.2, 0.5), 3),
        "line_type": rng.choice(["solid", "dashed", "dotted"]),
        "line_opacity": round(rng.uniform(0.4, 0.9), 3),
    }
    return [["overlay_stripes", kwargs]]


def meme(rng: random.Random, size: Size) -> list[Op]:
    kwargs = {
        "text": rng.choice(MEME_TEXT),
        "caption_height": max(24, round(size[1] * rng.uniform(0.15, 0.3))),
        "text_color": [0, 0, 0],
        "meme_bg_color": [255, 255, 255],
    }
    return [["meme_format", kwargs]]


def rotate(rng: random.Random, size: Size) -> list[Op]:
    return [["rotate", {"degrees": round(rng.choice([-1, 1]) * rng.uniform(5, 25), 1)}]]


def perspective(rng: random.Random, size: Size) -> list[Op]:
    kwargs = {"sigma": round(rng.uniform(20, 45), 1), "seed": rng.randrange(1 << 30)}
    return [["perspective_transform", kwargs]]


def blur(rng: random.Random, size: Size) -> list[Op]:
    return [["blur", {"radius": round(rng.uniform(2.0, 5.0), 2)}]]


def jpeg(rng: random.Random, size: Size) -> list[Op]:
    return [["encoding_quality", {"quality": rng.randint(10, 30)}]]


def _factor(rng: random.Random, low: tuple[float, float], high: tuple[float, float]) -> float:
    return round(rng.uniform(*low) if rng.random() < 0.5 else rng.uniform(*high), 3)


def brightness(rng: random.Random, size: Size) -> list[Op]:
    return [["brightness", {"factor": _factor(rng, (0.4, 0.7), (1.3, 1.8))}]]


def contrast(rng: random.Random, size: Size) -> list[Op]:
    return [["contrast", {"factor": _factor(rng, (0.4, 0.7), (1.4, 2.2))}]]


def saturation(rng: random.Random, size: Size) -> list[Op]:
    return [["saturation", {"factor": _factor(rng, (0.0, 0.5), (1.6, 3.0))}]]


def greyscale(rng: random.Random, size: Size) -> list[Op]:
    return [["grayscale", {}]]


def mirror(rng: random.Random, size: Size) -> list[Op]:
    return [["hflip", {}]]


def screenshot(rng: random.Random, size: Size) -> list[Op]:
    """The photo inside a web or mobile page template (two draws get the two templates: the
    planner redraws identical ops, and the template is the only parameter that shows)."""
    template = rng.choice(SCREENSHOTS)
    kwargs = {
        "template_filepath": f"augly-asset:screenshot_templates/{template}",
        "template_bboxes_filepath": "augly-asset:screenshot_templates/bboxes.json",
    }
    return [["overlay_onto_screenshot", kwargs]]


def image_in_image(rng: random.Random, size: Size) -> list[Op]:
    """The photo pasted into another real photo; ``photo:`` names the background (the planner
    picks an unregistered one), resolved to a file by the renderer."""
    kwargs = {
        "background_image": "photo:?",
        "overlay_size": round(rng.uniform(0.5, 0.8), 3),
        "x_pos": round(rng.uniform(0.0, 0.2), 3),
        "y_pos": round(rng.uniform(0.0, 0.2), 3),
        "scale_bg": False,
    }
    return [["overlay_onto_background_image", kwargs]]


def watermark(rng: random.Random, size: Size) -> list[Op]:
    grey = rng.randrange(180, 256)
    kwargs = {
        "text": _text_indices(rng.choice(("SAMPLE", "PREVIEW", "(c) SHOPNAME", "STOCK PHOTO"))),
        "font_file": _font(rng),
        "font_size": round(rng.uniform(0.12, 0.2), 3),
        "opacity": round(rng.uniform(0.3, 0.55), 3),
        "color": [grey, grey, grey],
        "x_pos": round(rng.uniform(0.0, 0.25), 3),
        "y_pos": round(rng.uniform(0.3, 0.6), 3),
    }
    return [["overlay_text", kwargs]]


def combo(rng: random.Random, size: Size) -> list[Op]:
    """What a reseller does in one go: trim, caption, shrink and recompress."""
    return [
        *crop_transform(0.1)(rng, size),
        *overlay_text(rng, size),
        *resize(rng, size),
        ["encoding_quality", {"quality": rng.randint(30, 60)}],
    ]


COPY_TRANSFORMS: dict[str, Callable[[random.Random, Size], list[Op]]] = {
    "resize": resize,
    "crop_10": crop_transform(0.1),
    "crop_30": crop_transform(0.3),
    "crop_50": crop_transform(0.5),
    "pad": pad,
    "overlay_text": overlay_text,
    "overlay_emoji": overlay_emoji,
    "overlay_stripes": overlay_stripes,
    "meme": meme,
    "rotate": rotate,
    "perspective": perspective,
    "blur": blur,
    "jpeg": jpeg,
    "brightness": brightness,
    "contrast": contrast,
    "saturation": saturation,
    "greyscale": greyscale,
    "mirror": mirror,
    "screenshot": screenshot,
    "image_in_image": image_in_image,
    "watermark": watermark,
    "combo": combo,
}

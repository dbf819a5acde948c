"""Deterministic product photos, their infringing copies and hostile image files, drawn with Pillow.

Nothing binary is committed: every image is rendered from its name, so the same name always
gives the same bytes (tests pin this) and official photos differ enough for perceptual hashes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from demomarket import hostile

SIZE = 480
RGB = tuple[int, int, int]
Draw = ImageDraw.ImageDraw

# (scale, crop fractions left/top/right/bottom, JPEG quality): what a copier typically does.
COPY_VARIANTS: dict[str, tuple[float, tuple[float, float, float, float], int]] = {
    "a": (0.72, (0.02, 0.02, 0.02, 0.02), 62),
    "b": (0.64, (0.0, 0.0, 0.0, 0.04), 55),
    "c": (0.78, (0.03, 0.03, 0.03, 0.03), 68),
}


def _seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font, so text renders the same on every machine with this Pillow."""
    return ImageFont.load_default(size=size)


def _backdrop(top: RGB, bottom: RGB, diagonal: bool = False) -> Image.Image:
    """A studio-style gradient background."""
    ramp = np.linspace(0.0, 1.0, SIZE)
    weight = (ramp[:, None] + ramp[None, :]) / 2 if diagonal else np.repeat(ramp[:, None], SIZE, 1)
    pixels = np.array(top) * (1 - weight[..., None]) + np.array(bottom) * weight[..., None]
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def _grain(image: Image.Image, seed: int, amount: int = 5) -> Image.Image:
    """Sensor-like noise, seeded so it is reproducible."""
    rng = np.random.default_rng(seed)
    noise = rng.integers(-amount, amount + 1, size=(image.height, image.width, 1))
    pixels = np.asarray(image, dtype=np.int16) + noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _bolt(draw: Draw, x: int, y: int, scale: float, fill: RGB) -> None:
    """Leiting's lightning-bolt device."""
    points = [(0, 0), (30, 0), (18, 34), (38, 34), (6, 90), (14, 46), (-4, 46)]
    draw.polygon([(x + px * scale, y + py * scale) for px, py in points], fill=fill)


def _chevron(draw: Draw, x: int, y: int, scale: float, fill: RGB, accent: RGB) -> None:
    """NOVAFLEX's double-chevron device."""
    for offset, colour in ((0, fill), (26, accent)):
        points = [(0, 0), (24, 0), (60, 40), (24, 80), (0, 80), (36, 40)]
        draw.polygon(
            [(x + (px + offset) * scale, y + py * scale) for px, py in points], fill=colour
        )


def _shoe(draw: Draw) -> None:
    draw.polygon([(60, 330), (420, 330), (430, 360), (70, 370)], fill=(40, 40, 48))
    draw.polygon([(70, 330), (120, 220), (220, 190), (300, 250), (410, 290), (420, 330)],
                 fill=(245, 120, 30))  # fmt: skip
    for dx in (0, 28, 56):
        draw.line([(210 + dx, 220 + dx // 3), (250 + dx, 320)], fill=(255, 255, 255), width=9)
    _chevron(draw, 30, 30, 0.7, (20, 40, 90), (245, 120, 30))
    draw.text((60, 400), "NOVAFLEX", fill=(20, 40, 90), font=_font(44))


def _jacket(draw: Draw) -> None:
    draw.polygon([(150, 110), (330, 110), (440, 300), (390, 320), (340, 220), (340, 420),
                  (140, 420), (140, 220), (90, 320), (40, 300)], fill=(20, 140, 140))  # fmt: skip
    draw.ellipse([(190, 60), (290, 150)], fill=(15, 110, 110))
    draw.line([(240, 150), (240, 420)], fill=(230, 230, 230), width=5)
    _chevron(draw, 270, 170, 0.45, (255, 255, 255), (245, 120, 30))
    draw.text((20, 20), "NOVAFLEX", fill=(30, 30, 30), font=_font(32))


def _backpack(draw: Draw) -> None:
    draw.rounded_rectangle([(130, 90), (350, 430)], radius=60, fill=(95, 110, 50))
    draw.rounded_rectangle([(165, 260), (315, 400)], radius=25, fill=(75, 88, 38))
    draw.arc([(190, 40), (290, 140)], 180, 360, fill=(50, 50, 50), width=12)
    _chevron(draw, 205, 290, 0.6, (245, 120, 30), (255, 255, 255))
    draw.text((300, 440), "NOVAFLEX", fill=(60, 60, 40), font=_font(26))


def _lamp(draw: Draw) -> None:
    draw.polygon([(240, 160), (110, 420), (370, 420)], fill=(70, 70, 40))
    draw.ellipse([(150, 400), (330, 440)], fill=(200, 200, 210))
    draw.line([(240, 420), (240, 200)], fill=(200, 200, 210), width=10)
    draw.ellipse([(150, 60), (330, 240)], outline=(255, 236, 170), width=22)
    draw.text((30, 30), "Lumora", fill=(255, 236, 170), font=_font(40))


def _serum(draw: Draw) -> None:
    draw.rounded_rectangle([(180, 170), (300, 430)], radius=18, fill=(190, 110, 30))
    draw.rectangle([(205, 110), (275, 170)], fill=(20, 20, 20))
    draw.ellipse([(215, 40), (265, 120)], fill=(30, 30, 30))
    draw.rectangle([(190, 250), (290, 360)], fill=(250, 246, 240))
    draw.text((196, 285), "Lumora", fill=(150, 80, 40), font=_font(22))
    draw.text((196, 320), "GLOW C15", fill=(150, 80, 40), font=_font(16))


def _earbuds(draw: Draw) -> None:
    draw.rounded_rectangle([(90, 250), (390, 420)], radius=70, fill=(250, 250, 250),
                           outline=(120, 120, 120), width=4)  # fmt: skip
    for x in (140, 280):
        draw.ellipse([(x, 90), (x + 70, 160)], fill=(25, 25, 30))
        draw.rounded_rectangle([(x + 22, 140), (x + 48, 240)], radius=12, fill=(25, 25, 30))
    _bolt(draw, 225, 300, 0.9, (230, 40, 40))
    draw.text((20, 440), "LEITING 雷霆", fill=(230, 40, 40), font=_font(26))


def _powerbank(draw: Draw) -> None:
    draw.rounded_rectangle([(110, 70), (370, 430)], radius=30, fill=(45, 45, 50))
    for index in range(4):
        draw.ellipse([(180 + index * 30, 390), (196 + index * 30, 406)], fill=(80, 220, 255))
    _bolt(draw, 215, 150, 1.6, (255, 200, 0))
    draw.text((150, 90), "LEITING", fill=(255, 255, 255), font=_font(36))


OFFICIAL: dict[str, tuple[Callable[[Draw], None], RGB, RGB, bool]] = {
    "novaflex-aero-runner": (_shoe, (200, 225, 250), (255, 255, 255), False),
    "novaflex-storm-jacket": (_jacket, (230, 230, 230), (160, 170, 180), True),
    "novaflex-trail-pack": (_backpack, (245, 235, 210), (255, 255, 250), False),
    "lumora-halo-lamp": (_lamp, (20, 30, 70), (0, 0, 10), False),
    "lumora-glow-serum": (_serum, (250, 200, 210), (255, 225, 190), True),
    "leiting-thunderbuds": (_earbuds, (255, 255, 255), (200, 200, 205), False),
    "leiting-powercell": (_powerbank, (150, 20, 20), (250, 140, 40), True),
}


def official_photo(stem: str) -> Image.Image:
    """The rights holder's own product photo."""
    paint, top, bottom, diagonal = OFFICIAL[stem]
    image = _backdrop(top, bottom, diagonal)
    paint(ImageDraw.Draw(image))
    return _grain(image, _seed(stem))


def logo() -> Image.Image:
    """The NOVAFLEX figurative mark: double chevron over the word mark."""
    image = Image.new("RGB", (320, 320), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    _chevron(draw, 70, 40, 1.9, (20, 40, 90), (245, 120, 30))
    draw.text((42, 236), "NOVAFLEX", fill=(20, 40, 90), font=_font(42))
    return image


def still_life(name: str) -> Image.Image:
    """An unrelated product photo: a seeded arrangement of shapes on a seeded backdrop."""
    rng = np.random.default_rng(_seed(name))
    top, bottom = (tuple(int(v) for v in rng.integers(0, 256, 3)) for _ in range(2))
    image = _backdrop(top, bottom, bool(rng.integers(0, 2)))  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(2, 6))):
        x0, y0 = (int(v) for v in rng.integers(20, 300, 2))
        x1, y1 = x0 + int(rng.integers(60, 180)), y0 + int(rng.integers(60, 180))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        shape = int(rng.integers(0, 3))
        if shape == 0:
            draw.ellipse([(x0, y0), (x1, y1)], fill=colour)
        elif shape == 1:
            draw.rounded_rectangle([(x0, y0), (x1, y1)], radius=16, fill=colour)
        else:
            draw.polygon([(x0, y1), ((x0 + x1) // 2, y0), (x1, y1)], fill=colour)
    return _grain(image, _seed(name) + 1)


def copy_of(source: Image.Image, variant: str) -> Image.Image:
    """What a copier does to an official photo: crop a little, then shrink."""
    scale, (left, top, right, bottom), _quality = COPY_VARIANTS[variant]
    width, height = source.size
    box = (int(width * left), int(height * top), width - int(width * right),
           height - int(height * bottom))  # fmt: skip
    cropped = source.crop(box)
    return cropped.resize(
        (int(cropped.width * scale), int(cropped.height * scale)), Image.Resampling.LANCZOS
    )


def encode(image: Image.Image, fmt: str, quality: int = 88) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=False)
    else:
        image.save(out, "JPEG", quality=quality, optimize=False, progressive=False)
    return out.getvalue()


def _source(stem: str) -> Image.Image:
    return logo() if stem == "novaflex-logo" else official_photo(stem)


def render(name: str) -> tuple[bytes, str]:
    """Bytes and media type of the image called ``name``; KeyError if no such image exists."""
    stem, _, ext = name.rpartition(".")
    media = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif"}.get(ext)
    if media is None or not stem:
        raise KeyError(name)
    if name in hostile.FILES:
        return hostile.FILES[name](), media
    if name == "placeholder.gif":
        return encode_gif(Image.new("P", (1, 1), 0)), media
    if ext == "png" and (stem in OFFICIAL or stem == "novaflex-logo"):
        return encode(_source(stem), "PNG"), media
    original, sep, variant = stem.partition("--copy-")
    if (
        ext == "jpg"
        and sep
        and variant in COPY_VARIANTS
        and original in (*OFFICIAL, "novaflex-logo")
    ):
        quality = COPY_VARIANTS[variant][2]
        return encode(copy_of(_source(original), variant), "JPEG", quality), media
    if ext == "jpg" and stem.startswith("gen-"):
        return encode(still_life(stem), "JPEG"), media
    raise KeyError(name)


def encode_gif(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "GIF", transparency=0)
    return out.getvalue()


@lru_cache(maxsize=4096)
def cached(name: str) -> tuple[bytes, str]:
    """``render`` memoised: images are pure functions of their name. Large enough for a
    generated shop's photos (about 35 kB each): a CDN answers a conditional GET without
    drawing the photo again, and a shop that re-rendered each one would time the server."""
    return render(name)

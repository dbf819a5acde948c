"""Real source pictures for the image set: scikit-image's bundled photos and simple-icons logos.

Only pictures that ship inside installed wheels are used, so the set is made offline. Photos
carry a category, so a negative can be "the same kind of picture, a different photo" (another
texture, another microscope slide). ``motorcycle_right`` is left out on purpose: it is the
stereo twin of ``motorcycle_left``, the same scene a few centimetres over, and whether that is
a copy is a matter of opinion, not a label. Synthetic images (phantom, chessboards, colour
wheel) and tiny ones (lfw_subset faces, microaneurysms) are left out too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import resvg_py
import simple_icons_pack
import skimage
from PIL import Image

SKIMAGE_DATA = Path(skimage.__file__).resolve().parent / "data"
PHOTO_MAX_SIDE = 512  # sources are shrunk to this long side: big enough, quick to transform

# file in skimage/data -> category
PHOTOS: dict[str, str] = {
    "astronaut.png": "people",
    "camera.png": "people",
    "chelsea.png": "animal",
    "coffee.png": "food",
    "hubble_deep_field.jpg": "space",
    "moon.png": "space",
    "motorcycle_left.png": "vehicle",
    "rocket.jpg": "vehicle",
    "ihc.png": "microscopy",
    "cell.png": "microscopy",
    "retina.jpg": "medical",
    "brick.png": "texture",
    "grass.png": "texture",
    "gravel.png": "texture",
    "coins.png": "object",
    "clock_motion.png": "object",
    "page.png": "document",
    "text.png": "document",
}

# simple-icons slugs: well-known consumer brands, the kind counterfeiters copy. Half are
# registered in the bench registry and half serve as "other logos" negatives (seeded split).
LOGOS: tuple[str, ...] = (
    "adidas",
    "apple",
    "audi",
    "bmw",
    "burgerking",
    "cocacola",
    "dior",
    "ferrari",
    "fila",
    "ford",
    "huawei",
    "ikea",
    "jordan",
    "kfc",
    "lamborghini",
    "mcdonalds",
    "newbalance",
    "nike",
    "playstation",
    "porsche",
    "puma",
    "redbull",
    "reebok",
    "samsung",
    "shell",
    "sony",
    "starbucks",
    "thenorthface",
    "toyota",
    "underarmour",
    "volkswagen",
    "xiaomi",
)


@dataclass(frozen=True)
class Photo:
    name: str  # file stem, e.g. "astronaut"
    category: str
    source: str  # provenance written to the manifest, e.g. "skimage.data:astronaut.png"


def photos() -> list[Photo]:
    """Every usable bundled photo, in a fixed order; fails loudly when one is missing."""
    out = []
    for filename, category in PHOTOS.items():
        if not (SKIMAGE_DATA / filename).is_file():
            raise FileNotFoundError(
                f"{SKIMAGE_DATA / filename} is missing; reinstall scikit-image (its wheel "
                "ships the photo)"
            )
        out.append(Photo(Path(filename).stem, category, f"skimage.data:{filename}"))
    return out


def load_photo(photo: Photo) -> Image.Image:
    """The photo as RGB, long side at most ``PHOTO_MAX_SIDE`` (a copy: callers may draw on it)."""
    return _load_photo(photo).copy()


@lru_cache(maxsize=32)
def _load_photo(photo: Photo) -> Image.Image:
    filename = photo.source.removeprefix("skimage.data:")
    with Image.open(SKIMAGE_DATA / filename) as im:
        image = im.convert("RGB")
    if max(image.size) > PHOTO_MAX_SIDE:
        scale = PHOTO_MAX_SIDE / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def is_grey(image: Image.Image) -> bool:
    """True when the three channels are equal everywhere (a greyscale photo stored as RGB)."""
    r, g, b = image.split()
    return r.tobytes() == g.tobytes() == b.tobytes()


def logo_svg(slug: str, colour: str | None = None) -> str:
    """The simple-icons SVG, filled with ``colour`` (default: the brand's own hex colour)."""
    icon = simple_icons_pack.get_icon(slug)
    if icon is None:
        raise KeyError(f"simple-icons-pack has no icon {slug!r}; pick another slug")
    fill = colour or f"#{icon.hex}"
    return icon.svg.replace("<svg ", f'<svg fill="{fill}" ', 1)


def render_logo(slug: str, width: int, colour: str | None = None) -> Image.Image:
    """The logo rasterised by resvg at ``width`` pixels wide, RGBA with a transparent ground."""
    png = resvg_py.svg_to_bytes(svg_string=logo_svg(slug, colour), width=width)
    with Image.open(io.BytesIO(bytes(png))) as im:
        image = im.convert("RGBA")
    bbox = image.getchannel("A").getbbox()  # simple-icons draw in a 24x24 box: trim the margin
    return image.crop(bbox) if bbox else image


NEAR_WHITE_LUMA = 230  # a brand colour this light would vanish on white


def logo_reference(slug: str, width: int = 512) -> Image.Image:
    """The registered image of a logo: brand colour on white, as a rights holder would file it;
    a white or near-white brand colour (Sony's is #FFFFFF) is filed in black."""
    icon = simple_icons_pack.get_icon(slug)
    colour = None
    if icon is not None:
        r, g, b = (int(icon.hex[i : i + 2], 16) for i in (0, 2, 4))
        if 0.299 * r + 0.587 * g + 0.114 * b > NEAR_WHITE_LUMA:
            colour = "#000000"
    mark = render_logo(slug, width, colour)
    pad = width // 16
    ground = Image.new("RGB", (mark.width + 2 * pad, mark.height + 2 * pad), "white")
    ground.paste(mark, (pad, pad), mark)
    return ground


# The word element of each logo that has one, as a trademark register records a figurative
# mark's verbal elements (read off the rendered icons by eye; a picture-only logo has none).
WORD_ELEMENTS: dict[str, str] = {
    "bmw": "BMW",
    "burgerking": "Burger King",
    "cocacola": "Coca-Cola",
    "dior": "Dior",
    "fila": "FILA",
    "ford": "Ford",
    "ikea": "IKEA",
    "kfc": "KFC",
    "porsche": "Porsche",
    "samsung": "Samsung",
    "sony": "Sony",
    "thenorthface": "The North Face",
}


def logo_title(slug: str) -> str:
    icon = simple_icons_pack.get_icon(slug)
    return icon.title if icon is not None else slug

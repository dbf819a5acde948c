"""The blind logo set's sources: the pinned logo pack and scikit-image's photos.

Why apart: fetching, checking and rasterising third-party material is one idea; what the set
does with it (``bench/logoset_blind_transforms.py``, ``bench/logoset_blind.py``) is another.
Nothing third-party is committed.

- Logos: the npm package ``@iconify-json/logos`` 1.2.20 ("SVG Logos" by Gil Barbara, licence
  CC0-1.0 per its ``package.json`` and ``info.json``; the marks themselves remain their
  owners' trade marks, used here only to test detection). The tarball is fetched with urllib
  into the git-ignored ``bench/.cache/`` and checked against the registry's ``dist.integrity``
  (sha512) before it is read; each icon's SVG body is wrapped in ``<svg viewBox=...>`` and
  rasterised with ``resvg_py``.
- Photos: the real photographs shipped in scikit-image's wheel (``skimage/data``: astronaut,
  chelsea, coffee, rocket, motorcycle_left, hubble_deep_field, retina, ihc, camera, brick,
  gravel, coins), each scaled to 800 px wide; the grey ones are converted to RGB.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
import re
import tarfile
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

PACKAGE, VERSION = "@iconify-json/logos", "1.2.20"
TARBALL_URL = "https://registry.npmjs.org/@iconify-json/logos/-/logos-1.2.20.tgz"
INTEGRITY = (
    "sha512-HDSte2/+sgGNn9i/eYMiIRDbdigWxZe6EFauQGtxfRG/4sUtUBFgLIdxotKQysKNsFJlLYDF"
    "zPILOs3mh9viRQ=="
)
CACHE = Path(__file__).resolve().parent / ".cache"

PHOTO_NAMES = (
    "astronaut.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "motorcycle_left.png",
    "hubble_deep_field.jpg",
    "retina.jpg",
    "ihc.png",
    "camera.png",
    "brick.png",
    "gravel.png",
    "coins.png",
)
PHOTO_WIDTH = 800
# Other firms' colours for re-coloured flat marks (Coca-Cola red, IKEA blue/yellow, Starbucks
# green, UPS brown/gold, FedEx purple/orange, T-Mobile magenta, Cadbury purple, Tiffany blue).
FIRM_COLOURS: tuple[str, ...] = (
    "#f40009",
    "#0058a3",
    "#ffda1a",
    "#00704a",
    "#351c15",
    "#ffb500",
    "#4d148c",
    "#ff6600",
    "#e20074",
    "#3c1053",
    "#0abab5",
)

Renderer = Callable[[int], Image.Image]


@dataclass(frozen=True)
class Logo:
    """A logo of the set: its id, kind ("full"/"flat") and a renderer to RGBA at a width."""

    id: str
    kind: str
    render: Renderer


def fetch(cache: Path = CACHE) -> Path:
    """The pinned tarball in the cache, fetched with urllib when missing; its sha512 checked."""
    path = cache / f"logos-{VERSION}.tgz"
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(TARBALL_URL, timeout=60) as response:
            path.write_bytes(response.read())
    digest = "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(
            f"{path}: {digest} is not the pinned {INTEGRITY}; delete the file and run again "
            "(or pin the new release after reviewing it)"
        )
    return path


def read_icons(archive: Path) -> dict[str, Any]:
    """The icon set (``icons.json``) of the tarball."""
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("package/icons.json")
        if member is None:
            raise SystemExit(f"{archive}: no package/icons.json")
        return json.loads(member.read())


def icon_svg(icons: dict[str, Any], name: str, body: str | None = None) -> str:
    """A full SVG document for one icon of the set (optionally with a replaced body)."""
    icon = icons["icons"][name]
    width = icon.get("width", icons.get("width", 16))
    height = icon.get("height", icons.get("height", 16))
    left, top = icon.get("left", 0), icon.get("top", 0)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{left} {top} {width} {height}">{body if body is not None else icon["body"]}'
        "</svg>"
    )


def svg_renderer(svg: str) -> Renderer:
    """Rasterise an SVG to RGBA at a pixel width (resvg keeps the aspect ratio)."""

    cache: dict[int, Image.Image] = {}

    def render(width: int) -> Image.Image:
        import resvg_py

        width = max(1, int(width))
        if width not in cache:
            png = resvg_py.svg_to_bytes(svg_string=svg, width=width)
            cache[width] = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
        return cache[width].copy()

    return render


def _rgb(colour: str) -> tuple[int, int, int]:
    from PIL import ImageColor

    return ImageColor.getrgb(colour)[:3]


def _distance(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(_rgb(a), _rgb(b), strict=True)) ** 0.5


FILL = re.compile(r'fill="([^"]+)"')
UNFILLED = re.compile(r"<(?:path|circle|rect|ellipse|polygon)\b(?![^>]*\bfill=)")


def recolour_body(
    body: str, rng: random.Random, avoid: Sequence[str] = ()
) -> tuple[str, dict[str, str]]:
    """The SVG body with every colour but white swapped for a distant one of another firm's.

    Shapes without a fill draw in the default black, so black is swapped through a wrapping
    group; each new colour is at least 150 apart (RGB distance) from the one it replaces and
    none is in ``avoid`` (another variant's colours) while the palette allows.
    """
    found = sorted({v for v in FILL.findall(body) if v != "none" and not v.startswith("url(")})
    if UNFILLED.search(body):
        found.append("#000000")
    palette = [c for c in FIRM_COLOURS if c not in avoid] or list(FIRM_COLOURS)
    rng.shuffle(palette)
    mapping: dict[str, str] = {}
    for colour in found:
        if _rgb(colour) == (255, 255, 255):
            continue
        choices = [c for c in palette if _distance(c, colour) > 150 and c not in mapping.values()]
        mapping[colour] = (choices or palette)[0]
    body = FILL.sub(lambda m: f'fill="{mapping.get(m.group(1), m.group(1))}"', body)
    if "#000000" in mapping:
        body = f'<g fill="{mapping["#000000"]}">{body}</g>'
    return body, mapping


def load_photos() -> dict[str, Image.Image]:
    """scikit-image's real photos, RGB, 800 px wide."""
    import skimage

    root = Path(skimage.__file__).resolve().parent / "data"
    photos: dict[str, Image.Image] = {}
    for name in PHOTO_NAMES:
        image = Image.open(root / name).convert("RGB")
        height = round(image.height * PHOTO_WIDTH / image.width)
        photos[name.rsplit(".", 1)[0]] = image.resize((PHOTO_WIDTH, height), Image.LANCZOS)
    return photos

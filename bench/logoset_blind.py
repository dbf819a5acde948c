"""A blind logo set: real brand logos pasted into real photos, written apart from the matchers.

Why: ipwatch's own logo figures come from sets written beside the matcher; an outside check
found far lower recall. This set is built without reading the matchers, their sets or their
transforms, and is scored once (``bench/logo_quality_blind.py``).

Sources (nothing third-party is committed):

- Logos: the npm package ``@iconify-json/logos`` 1.2.20 ("SVG Logos" by Gil Barbara, licence
  CC0-1.0 per its ``package.json`` and ``info.json``; the marks themselves remain their
  owners' trade marks, used here only to test detection). The tarball is fetched with urllib
  into the git-ignored ``bench/.cache/`` and checked against the registry's ``dist.integrity``
  (sha512) before it is read; each icon's SVG body is wrapped in ``<svg viewBox=...>`` and
  rasterised with ``resvg_py``.
- Photos: the real photographs shipped in scikit-image's wheel (``skimage/data``: astronaut,
  chelsea, coffee, rocket, motorcycle_left, hubble_deep_field, retina, ihc, camera, brick,
  gravel, coins), each scaled to 800 px wide; the grey ones are converted to RGB.

Registered: 12 full-colour/textured/lettered logos and 8 flat ones (few colours, simple
geometry: tiles, a silhouette, a single letter, ellipses, a play button, stripes on a disc).
Each reference is rendered 512 px wide on white, RGB, as a rights holder would file it.

Positives: each registered logo pasted at 10/20/30/40 % of the photo width under one of the
transforms in ``TRANSFORMS``; a few photos carry two registered logos. Negatives: the photos
with no logo, with other (unregistered) logos of the pack, with look-alikes of registered
ones (same colours or similar shapes), and with registered flat shapes re-coloured in other
firms' colours. The last follows a colour claim: a flat mark in different colours is
labelled negative (kind ``recolour``); the scorer reports it apart so that the other reading
(shape alone is the mark, so these are positives) can be computed too.
"""

from __future__ import annotations

import argparse
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

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

PACKAGE, VERSION = "@iconify-json/logos", "1.2.20"
TARBALL_URL = "https://registry.npmjs.org/@iconify-json/logos/-/logos-1.2.20.tgz"
INTEGRITY = (
    "sha512-HDSte2/+sgGNn9i/eYMiIRDbdigWxZe6EFauQGtxfRG/4sUtUBFgLIdxotKQysKNsFJlLYDF"
    "zPILOs3mh9viRQ=="
)
CACHE = Path(__file__).resolve().parent / ".cache"
DEFAULT_OUT = CACHE / "logoset_blind"
DEFAULT_SEED = 20261207

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
LISTING_SMALL_WIDTH = 400
REFERENCE_WIDTH = 512

# Registered logos: (pack icon name, kind).
REGISTERED: tuple[tuple[str, str], ...] = (
    ("firefox", "full"),
    ("chrome", "full"),
    ("google-icon", "full"),
    ("slack-icon", "full"),
    ("mastercard", "full"),
    ("netflix-icon", "full"),
    ("whatsapp-icon", "full"),
    ("skype", "full"),
    ("opera", "full"),
    ("microsoft-edge", "full"),
    ("visa", "full"),
    ("telegram", "full"),
    ("microsoft-icon", "flat"),
    ("apple", "flat"),
    ("dropbox", "flat"),
    ("spotify-icon", "flat"),
    ("tumblr-icon", "flat"),
    ("youtube-icon", "flat"),
    ("unity", "flat"),
    ("medium-icon", "flat"),
)
# Look-alikes of registered logos (same colours or similar shapes), never registered.
LOOKALIKES: dict[str, tuple[str, ...]] = {
    "google-icon": ("google-play-icon", "google-photos"),
    "chrome": ("google-drive", "google-photos"),
    "slack-icon": ("google-photos", "google-meet"),
    "mastercard": ("maestro",),
    "microsoft-icon": ("microsoft-windows-icon", "microsoft-teams"),
    "skype": ("microsoft-teams", "microsoft-onedrive"),
    "telegram": ("messenger", "signal"),
    "whatsapp-icon": ("signal", "messenger"),
    "opera": ("vivaldi-icon", "brave"),
    "firefox": ("brave", "vivaldi-icon"),
    "netflix-icon": ("tiktok-icon", "netlify-icon"),
    "dropbox": ("box", "codepen-icon"),
    "apple": ("android-icon", "linux-tux"),
    "tumblr-icon": ("facebook", "pinterest"),
    "youtube-icon": ("vimeo-icon", "twitch"),
    "spotify-icon": ("soundcloud", "tidal-icon"),
    "medium-icon": ("tidal-icon", "codepen-icon"),
    "unity": ("codepen-icon", "figma"),
    "visa": ("amex", "unionpay"),
    "microsoft-edge": ("microsoft-onedrive", "microsoft-teams"),
}
# Other unregistered logos of the pack, unrelated to any registered one (none is a look-alike).
OTHERS: tuple[str, ...] = (
    "trello",
    "kotlin-icon",
    "discord-icon",
    "ethereum",
    "jcb",
    "docker-icon",
    "github-icon",
    "python",
    "nodejs-icon",
    "react",
    "aws",
    "atlassian",
    "airbnb",
    "nvidia",
    "ubuntu",
    "paypal",
    "bitcoin",
    "reddit-icon",
    "shopify",
    "wordpress-icon",
    "angular-icon",
    "gitlab",
    "redis",
    "postgresql",
)
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
WIDTHS: tuple[int, ...] = (10, 20, 30, 40)
POSITIVES_PER_LOGO = 14
TWO_LOGO_CASES = 20
NEGATIVE_COUNTS = {"no_logo": 60, "other_logo": 100, "lookalike": 80, "recolour": 64}
PATCH_COLOURS = ("#ffffff", "#f6f0e1", "#e4e4e4", "#fff3b0", "#dbe9f7", "#1f2a44", "#222222")

Renderer = Callable[[int], Image.Image]


@dataclass(frozen=True)
class Logo:
    """A logo of the set: its id, kind ("full"/"flat") and a renderer to RGBA at a width."""

    id: str
    kind: str
    render: Renderer


# ----------------------------------------------------------------------------- the pack
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


# ----------------------------------------------------------------------------- transforms
def reference_image(logo: Logo) -> Image.Image:
    """The logo as filed: 512 px wide, composited on white, RGB (with a small margin)."""
    art = logo.render(REFERENCE_WIDTH - 32)
    canvas = Image.new("RGB", (REFERENCE_WIDTH, art.height + 32), "white")
    canvas.paste(art, (16, 16), art)
    return canvas


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


# ----------------------------------------------------------------------------- the set
def _fits(photo: Image.Image, logo: Logo, width_pct: int) -> bool:
    """Whether the logo at that width (plus some room for rotation) fits the photo."""
    art = logo.render(max(4, round(photo.width * width_pct / 100)))
    return art.height * 1.2 < photo.height and art.width * 1.2 < photo.width


def _pick_photo(
    photos: dict[str, Image.Image], names: list[str], start: int, logos: Sequence[Logo], width: int
) -> str:
    for step in range(len(names)):
        name = names[(start + step) % len(names)]
        if all(_fits(photos[name], logo, width) for logo in logos):
            return name
    raise ValueError(f"no photo fits {[logo.id for logo in logos]} at {width} %")


def generate(
    registered: Sequence[Logo],
    unregistered: dict[str, Logo],
    recoloured: dict[str, list[Logo]],
    lookalikes: dict[str, tuple[str, ...]],
    photos: dict[str, Image.Image],
    seed: int = DEFAULT_SEED,
    per_logo: int = POSITIVES_PER_LOGO,
    two_logo: int = TWO_LOGO_CASES,
    negative_counts: dict[str, int] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """All cases (manifest rows) and their file bytes; deterministic for the seed.

    ``recoloured`` maps a registered flat logo id to re-coloured variants (unregistered ids);
    ``lookalikes`` maps a registered id to unregistered look-alike ids.
    """
    counts = dict(NEGATIVE_COUNTS if negative_counts is None else negative_counts)
    names = sorted(photos)
    cases: list[dict[str, Any]] = []
    files: dict[str, bytes] = {}
    registered_ids = {logo.id for logo in registered}
    kinds = {logo.id: logo.kind for logo in registered}

    def add(
        case_id: str,
        photo_name: str,
        pastes: list[tuple[Logo, int]],
        transform: str,
        rng: random.Random,
        negative: str | None,
    ) -> None:
        image, fmt, rows, finish_meta = compose(photos[photo_name], pastes, transform, rng)
        file = f"{case_id}.{fmt}"
        files[file] = encode(image, fmt, finish_meta)
        labels = sorted({row["logo"] for row in rows} & registered_ids)
        cases.append(
            {
                "id": case_id,
                "file": file,
                "photo": photo_name,
                "labels": labels,
                "positive": negative is None,
                "negative_kind": negative,
                "transform": transform,
                "label_kinds": {label: kinds[label] for label in labels},
                "pasted": rows,
                "finish": finish_meta,
            }
        )

    # Positives: one logo, every width and a spread of transforms per logo.
    for li, logo in enumerate(registered):
        for i in range(per_logo):
            case_id = f"pos-{logo.id}-{i:02d}"
            rng = random.Random(f"{seed}:{case_id}")
            width = WIDTHS[(i + li) % len(WIDTHS)]
            transform = TRANSFORMS[(i + 2 * li) % len(TRANSFORMS)]
            photo = _pick_photo(photos, names, li * 5 + i * 7, [logo], width)
            add(case_id, photo, [(logo, width)], transform, rng, None)
    # Positives: two registered logos in one photo.
    for i in range(two_logo):
        case_id = f"pos2-{i:02d}"
        rng = random.Random(f"{seed}:{case_id}")
        first, second = rng.sample(list(registered), 2)
        widths = (rng.choice(WIDTHS[:2]), rng.choice(WIDTHS[:2]))  # two fit side by side
        transform = rng.choice(TRANSFORMS)
        photo = _pick_photo(photos, names, i * 3, [first, second], max(widths))
        add(case_id, photo, [(first, widths[0]), (second, widths[1])], transform, rng, None)
    # Negatives: the photos alone.
    for i in range(counts.get("no_logo", 0)):
        case_id = f"neg-none-{i:03d}"
        rng = random.Random(f"{seed}:{case_id}")
        add(case_id, names[i % len(names)], [], TRANSFORMS[i % len(TRANSFORMS)], rng, "no_logo")
    # Negatives: other logos of the pack, look-alikes, re-coloured flat marks.
    alike_ids = {a for alikes in lookalikes.values() for a in alikes}
    recolour_all = {v.id for vs in recoloured.values() for v in vs}
    others = sorted(set(unregistered) - alike_ids - recolour_all)
    lookalike_pairs = [
        (reg, alike)
        for reg in sorted(lookalikes)
        for alike in lookalikes[reg]
        if alike in unregistered
    ]
    recolour_ids = [v.id for reg in sorted(recoloured) for v in recoloured[reg]]
    source_of = {v.id: reg for reg, variants in recoloured.items() for v in variants}
    pools = {
        "other_logo": others,
        "lookalike": [a for _, a in lookalike_pairs],
        "recolour": recolour_ids,
    }
    for kind in ("other_logo", "lookalike", "recolour"):
        pool = pools[kind]
        for i in range(counts.get(kind, 0) if pool else 0):
            case_id = f"neg-{kind}-{i:03d}"
            rng = random.Random(f"{seed}:{case_id}")
            logo = unregistered[pool[i % len(pool)]]
            width = WIDTHS[(i // len(pool) + i) % len(WIDTHS)]
            transform = TRANSFORMS[(i * 5 + len(kind)) % len(TRANSFORMS)]
            photo = _pick_photo(photos, names, i * 5 + len(kind), [logo], width)
            add(case_id, photo, [(logo, width)], transform, rng, kind)
            if kind == "lookalike":
                cases[-1]["lookalike_of"] = lookalike_pairs[i % len(lookalike_pairs)][0]
            if kind == "recolour":
                cases[-1]["recolour_of"] = source_of[logo.id]
    return cases, files


def pack_logos(
    icons: dict[str, Any], seed: int
) -> tuple[list[Logo], dict[str, Logo], dict[str, list[Logo]], list[dict[str, Any]]]:
    """Registered logos, unregistered ones (others, look-alikes, re-coloured) and recolour notes."""
    registered = [
        Logo(name, kind, svg_renderer(icon_svg(icons, name))) for name, kind in REGISTERED
    ]
    wanted = sorted(set(OTHERS) | {a for alikes in LOOKALIKES.values() for a in alikes})
    missing = [n for n in wanted + [n for n, _ in REGISTERED] if n not in icons["icons"]]
    if missing:
        raise SystemExit(f"icons missing from {PACKAGE} {VERSION}: {missing}")
    unregistered = {
        name: Logo(name, "other", svg_renderer(icon_svg(icons, name))) for name in wanted
    }
    recoloured: dict[str, list[Logo]] = {}
    notes: list[dict[str, Any]] = []
    for name, kind in REGISTERED:
        if kind != "flat":
            continue
        rng = random.Random(f"{seed}:recolour:{name}")
        recoloured[name] = []
        used: list[str] = []
        for variant in range(2):
            body, mapping = recolour_body(icons["icons"][name]["body"], rng, used)
            used += mapping.values()
            vid = f"{name}~recolour{variant}"
            logo = Logo(vid, "recolour", svg_renderer(icon_svg(icons, name, body)))
            recoloured[name].append(logo)
            unregistered[vid] = logo
            notes.append({"id": vid, "of": name, "colours": mapping})
    return registered, unregistered, recoloured, notes


def write(out: Path, seed: int) -> dict[str, Any]:
    """Fetch and check the pack, build every case, write files and ``manifest.json``."""
    icons = read_icons(fetch())
    registered, unregistered, recoloured, notes = pack_logos(icons, seed)
    photos = load_photos()
    out.mkdir(parents=True, exist_ok=True)
    (out / "reference").mkdir(exist_ok=True)
    (out / "cases").mkdir(exist_ok=True)
    assets = []
    for logo in registered:
        ref = io.BytesIO()
        reference_image(logo).save(ref, "PNG")
        path = out / "reference" / f"{logo.id}.png"
        path.write_bytes(ref.getvalue())
        assets.append({"id": logo.id, "kind": logo.kind, "reference": f"reference/{logo.id}.png"})
    cases, files = generate(registered, unregistered, recoloured, LOOKALIKES, photos, seed)
    for name, data in files.items():
        (out / "cases" / name).write_bytes(data)
    for case in cases:
        case["file"] = f"cases/{case['file']}"
    manifest = {
        "source": f"{PACKAGE} {VERSION} (CC0-1.0); photos: scikit-image data",
        "seed": seed,
        "assets": assets,
        "recolours": notes,
        "cases": cases,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    manifest = write(args.out, args.seed)
    cases = manifest["cases"]
    positives = sum(1 for c in cases if c["positive"])
    print(
        f"{len(cases)} cases ({positives} positive, {len(cases) - positives} negative), "
        f"{len(manifest['assets'])} registered logos -> {args.out}"
    )


if __name__ == "__main__":
    main()

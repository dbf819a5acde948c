"""A blind logo set: real brand logos pasted into real photos, written apart from the matchers.

Why: ipwatch's own logo figures come from sets written beside the matcher; an outside check
found far lower recall. This set is built without reading the matchers, their sets or their
transforms, and is scored once (``bench/logo_quality_blind.py``).

Sources: the pinned ``@iconify-json/logos`` pack (CC0-1.0) and scikit-image's photos,
fetched, checked and rasterised in ``bench/logoset_blind_sources.py``; nothing third-party is
committed. The transforms are in ``bench/logoset_blind_transforms.py``; this module chooses
the logos, generates the cases and writes the manifest.

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
import io
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.logoset_blind_sources import (
    CACHE,
    PACKAGE,
    VERSION,
    Logo,
    fetch,
    icon_svg,
    load_photos,
    read_icons,
    recolour_body,
    svg_renderer,
)
from bench.logoset_blind_transforms import TRANSFORMS, compose, encode

DEFAULT_OUT = CACHE / "logoset_blind"
DEFAULT_SEED = 20261207
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
WIDTHS: tuple[int, ...] = (10, 20, 30, 40)
POSITIVES_PER_LOGO = 14
TWO_LOGO_CASES = 20
NEGATIVE_COUNTS = {"no_logo": 60, "other_logo": 100, "lookalike": 80, "recolour": 64}


def reference_image(logo: Logo) -> Image.Image:
    """The logo as filed: 512 px wide, composited on white, RGB (with a small margin)."""
    art = logo.render(REFERENCE_WIDTH - 32)
    canvas = Image.new("RGB", (REFERENCE_WIDTH, art.height + 32), "white")
    canvas.paste(art, (16, 16), art)
    return canvas


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

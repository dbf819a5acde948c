"""The plan of the labelled image set: which photos and logos are registered, and every case.

Pure: draws every parameter of every case from the seed (``random.Random`` streams named per
part, so adding a case kind does not reshuffle the others) and makes no image; rendering and
the manifest live in ``bench/imageset.py``.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import simple_icons_pack

from bench.imageset_copies import COPY_TRANSFORMS, crop_transform
from bench.imageset_logos import LOGO_SCALES, LOGO_VARIANTS
from bench.imageset_sources import (
    LOGOS,
    WORD_ELEMENTS,
    Photo,
    is_grey,
    load_photo,
    logo_title,
    photos,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_SEED = 5
COPY_DRAWS = 2  # each registered photo goes through each transform this many times
NEGATIVE_DRAWS = 2  # and each unregistered photo too (as a negative)
OTHER_CROPS = (0.1, 0.3, 0.5)
REGISTERED_LOGOS = 16
NEGATIVE_LOGO_VARIANTS = 2  # per unregistered logo and scale
LOGO_FREE_SCENES = 32
COLOUR_ONLY = frozenset({"greyscale", "saturation"})  # skipped on photos that are already grey


@dataclass(frozen=True)
class AssetSpec:
    """A registered asset of the bench registry and its one reference image."""

    id: str
    kind: str  # "product_image" | "figurative_mark"
    name: str
    source: str
    category: str = ""
    keywords: tuple[str, ...] = ()  # a logo's word element, read from photos by OCR


@dataclass
class Case:
    """One listing image with its label; ``recipe`` holds every parameter needed to make it."""

    id: str
    group: str  # "copy" | "logo"
    kind: str  # the transform (positives) or the kind of negative
    expect: str  # "match" | "no_match"
    asset_id: str | None
    source: str
    recipe: dict[str, Any]
    scale: float | None = None
    variant: str | None = None
    polygon: list[list[int]] | None = None
    bbox: list[int] | None = None
    file: str = ""
    sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    seed: int
    assets: list[AssetSpec]
    cases: list[Case]


def _photo_asset(photo: Photo) -> AssetSpec:
    return AssetSpec(
        f"photo-{photo.name}", "product_image", photo.name, photo.source, photo.category
    )


def _logo_asset(slug: str) -> AssetSpec:
    word = WORD_ELEMENTS.get(slug)
    return AssetSpec(
        f"logo-{slug}",
        "figurative_mark",
        logo_title(slug),
        f"simple-icons:{slug}",
        keywords=(word,) if word else (),
    )


def split_photos(seed: int) -> tuple[list[Photo], list[Photo]]:
    """One registered photo per category; of the single-photo categories one stays unregistered
    (an unrelated negative). Returns (registered, unregistered)."""
    rng = random.Random(f"photos-{seed}")
    by_category: dict[str, list[Photo]] = defaultdict(list)
    for photo in photos():
        by_category[photo.category].append(photo)
    singles = sorted(c for c, members in by_category.items() if len(members) == 1)
    unrelated = rng.choice(singles)
    registered, unregistered = [], []
    for category in sorted(by_category):
        members = list(by_category[category])
        rng.shuffle(members)
        if category == unrelated:
            unregistered.extend(members)
            continue
        registered.append(members[0])
        unregistered.extend(members[1:])
    return registered, unregistered


def plan(seed: int = DEFAULT_SEED) -> Plan:
    """Every asset and case of the set, all parameters drawn; makes no image."""
    registered, unregistered = split_photos(seed)
    sizes = {p.name: load_photo(p).size for p in photos()}
    grey = {p.name for p in photos() if is_grey(load_photo(p))}
    logos = list(LOGOS)
    random.Random(f"logos-{seed}").shuffle(logos)
    reg_logos, other_logos = sorted(logos[:REGISTERED_LOGOS]), sorted(logos[REGISTERED_LOGOS:])
    assets = [_photo_asset(p) for p in registered] + [_logo_asset(s) for s in reg_logos]
    cases = _copy_cases(seed, registered, unregistered, sizes, grey, other_logos)
    cases += _logo_cases(seed, unregistered, reg_logos, other_logos)
    return Plan(seed, assets, cases)


def _copy_cases(
    seed: int,
    registered: Sequence[Photo],
    unregistered: Sequence[Photo],
    sizes: dict[str, tuple[int, int]],
    grey: set[str],
    other_logos: Sequence[str],
) -> list[Case]:
    rng = random.Random(f"copies-{seed}")
    registered_categories = {p.category for p in registered}
    cases: list[Case] = []

    drawn: set[str] = set()

    def add(photo: Photo, transform: str, draw: int, positive: bool) -> None:
        if transform in COLOUR_ONLY and photo.name in grey:
            return  # a no-op on a grey photo: it would only be the reference again
        ops = COPY_TRANSFORMS[transform](rng, sizes[photo.name])
        for _ in range(20):  # a second draw must differ from the first (e.g. same JPEG quality)
            if json.dumps([photo.name, ops]) not in drawn:
                break
            ops = COPY_TRANSFORMS[transform](rng, sizes[photo.name])
        else:  # a transform without parameters (mirror, greyscale): add a marketplace resize
            ops = [*ops, *COPY_TRANSFORMS["resize"](rng, sizes[photo.name])]
        drawn.add(json.dumps([photo.name, ops]))
        for _, kwargs in ops:
            if kwargs.get("background_image") == "photo:?":
                others = [p.name for p in unregistered if p.name != photo.name]
                kwargs["background_image"] = f"photo:{rng.choice(others)}"
        if positive:
            kind, expect, asset = transform, "match", f"photo-{photo.name}"
            case_id = f"copy-{photo.name}-{transform}-{draw}"
        else:
            same = photo.category in registered_categories
            kind = "same_category_transformed" if same else "unrelated_transformed"
            expect, asset, case_id = "no_match", None, f"neg-{photo.name}-{transform}-{draw}"
        recipe = {"photo": photo.name, "ops": ops, "seed": rng.randrange(1 << 30)}
        extra = {"transform": transform}
        cases.append(Case(case_id, "copy", kind, expect, asset, photo.source, recipe, extra=extra))

    for photo in registered:
        for transform in COPY_TRANSFORMS:
            for draw in range(COPY_DRAWS):
                add(photo, transform, draw, positive=True)
    for photo in unregistered:
        same = photo.category in registered_categories
        kind = "same_category" if same else "unrelated"
        recipe = {"photo": photo.name, "ops": [], "seed": 0}
        cases.append(
            Case(f"neg-{photo.name}", "copy", kind, "no_match", None, photo.source, recipe)
        )
        for transform in COPY_TRANSFORMS:
            for draw in range(NEGATIVE_DRAWS):
                add(photo, transform, draw, positive=False)
        for share in OTHER_CROPS:
            ops = crop_transform(share)(rng, sizes[photo.name])
            recipe = {"photo": photo.name, "ops": ops, "seed": 0}
            case_id = f"neg-{photo.name}-crop-{round(share * 100)}"
            cases.append(
                Case(case_id, "copy", "other_crop", "no_match", None, photo.source, recipe)
            )
    for slug in other_logos:
        recipe = {"logo": slug}
        source = f"simple-icons:{slug}"
        cases.append(
            Case(f"neg-logo-{slug}", "copy", "other_logo", "no_match", None, source, recipe)
        )
    return cases


def _scene(rng: random.Random, scenes: Sequence[Photo]) -> dict[str, Any]:
    photo, occluder = rng.sample(list(scenes), 2)
    keep_w, keep_h = rng.uniform(0.7, 1.0), rng.uniform(0.7, 1.0)
    x0, y0 = rng.uniform(0, 1 - keep_w), rng.uniform(0, 1 - keep_h)
    crop = [round(x0, 4), round(y0, 4), round(x0 + keep_w, 4), round(y0 + keep_h, 4)]
    return {
        "photo": photo.name,
        "crop": crop,
        "mirror": rng.random() < 0.5,
        "occluder": occluder.name,
    }


def _logo_recipe(rng: random.Random, scale: float, variant: str, slug: str) -> dict[str, Any]:
    icon = simple_icons_pack.get_icon(slug)
    brand = f"#{icon.hex}" if icon is not None else "#000000"
    colour = rng.choice([brand, brand, "#000000", "#FFFFFF"])
    return {"scale": scale, "variant": variant, "colour": colour, **placement(rng, variant)}


def placement(rng: random.Random, variant: str) -> dict[str, Any]:
    """Where and how a pasted logo sits (opacity, position, and the variant's rotation,
    perspective jitter or occlusion); the flat-logo set draws its own the same way."""
    recipe: dict[str, Any] = {
        "opacity": round(rng.uniform(0.85, 1.0), 3),
        "position": [round(rng.uniform(0.05, 0.95), 3), round(rng.uniform(0.05, 0.95), 3)],
    }
    if variant in ("rotated", "perspective"):
        recipe["angle"] = round(rng.choice([-1, 1]) * rng.uniform(10, 35), 1)
    if variant == "perspective":
        recipe["angle"] = round(recipe["angle"] / 3, 1)
        recipe["jitter"] = [
            [round(rng.uniform(-0.15, 0.15), 3) for _ in range(2)] for _ in range(4)
        ]
    if variant == "occluded":
        recipe["occlusion"] = {
            "share": round(rng.uniform(0.2, 0.35), 3),
            "side": rng.choice(["left", "right", "top", "bottom"]),
            "offset": [round(rng.random(), 3), round(rng.random(), 3)],
        }
    return recipe


def _logo_cases(
    seed: int, unregistered: Sequence[Photo], reg_logos: Sequence[str], other_logos: Sequence[str]
) -> list[Case]:
    rng = random.Random(f"logos-scenes-{seed}")
    scenes = [p for p in unregistered if p.category != "document"]  # too thin for a product
    cases = []
    for slug in reg_logos:
        for scale in LOGO_SCALES:
            for variant in LOGO_VARIANTS:
                recipe = (
                    _scene(rng, scenes) | _logo_recipe(rng, scale, variant, slug) | {"logo": slug}
                )
                case_id = f"logo-{slug}-{round(scale * 100)}-{variant}"
                source = f"simple-icons:{slug}"
                cases.append(
                    Case(
                        case_id,
                        "logo",
                        variant,
                        "match",
                        f"logo-{slug}",
                        source,
                        recipe,
                        scale,
                        variant,
                    )
                )
    for slug in other_logos:
        for scale in LOGO_SCALES:
            for variant in rng.sample(LOGO_VARIANTS, NEGATIVE_LOGO_VARIANTS):
                recipe = (
                    _scene(rng, scenes) | _logo_recipe(rng, scale, variant, slug) | {"logo": slug}
                )
                case_id = f"neglogo-{slug}-{round(scale * 100)}-{variant}"
                source = f"simple-icons:{slug}"
                cases.append(
                    Case(
                        case_id,
                        "logo",
                        "other_logo",
                        "no_match",
                        None,
                        source,
                        recipe,
                        scale,
                        variant,
                    )
                )
    for index in range(LOGO_FREE_SCENES):
        recipe = _scene(rng, scenes)
        source = f"skimage.data:{recipe['photo']}"
        cases.append(
            Case(f"scene-{index:02d}", "logo", "no_logo", "no_match", None, source, recipe)
        )
    return cases

"""The labelled image set: reproducible from its seed, matching its manifest, labelled right."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image

from bench import imageset, imageset_plan
from bench.imageset_copies import COPY_TRANSFORMS
from bench.imageset_logos import LOGO_SCALES, LOGO_VARIANTS
from bench.imageset_sources import LOGOS
from tests import lockcheck

if TYPE_CHECKING:
    from pathlib import Path

LABEL_FIELDS = ("id", "group", "kind", "expect", "asset_id", "source", "recipe", "scale", "variant")


@pytest.fixture(scope="module")
def plan() -> imageset.Plan:
    return imageset.plan(imageset.DEFAULT_SEED)


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return imageset.load_manifest()


def _labels(case: dict[str, Any]) -> dict[str, Any]:
    return {k: case.get(k) for k in LABEL_FIELDS}


def needs_augly() -> None:
    if not (imageset.DEFAULT_VENV / "bin" / "python").exists():
        pytest.skip(f"no AugLy virtualenv at {imageset.DEFAULT_VENV}: run bash bench/augly_venv.sh")


def test_committed_manifest_was_rendered_with_the_locked_versions(
    committed: dict[str, Any],
) -> None:
    """The manifest's digests hold for the versions in the locks; a lock that moves an imaging
    library (make lock UPGRADE=1) must come with a regenerated manifest and checked figures."""
    venv = lockcheck.parse_lock(lockcheck.LOCK.read_text(encoding="utf-8"))
    augly = lockcheck.parse_lock(lockcheck.AUGLY_LOCK.read_text(encoding="utf-8"))
    locked = {
        "venv": {name: venv[name].version for name in imageset.RENDER_LIBRARIES},
        "augly_venv": {name: augly[name].version for name in ("augly", "pillow")},
    }
    assert committed["tools"] == locked, (
        f"bench/data/imageset_manifest.json was rendered with {committed['tools']}, the locks "
        f"say {locked}; {imageset.REGENERATE}"
    )


def test_plan_is_deterministic_for_a_seed(plan: imageset.Plan) -> None:
    again = imageset.plan(imageset.DEFAULT_SEED)
    assert [dataclasses.asdict(c) for c in again.cases] == [
        dataclasses.asdict(c) for c in plan.cases
    ]
    assert again.assets == plan.assets
    other = imageset.plan(imageset.DEFAULT_SEED + 1)
    assert [c.recipe for c in other.cases] != [c.recipe for c in plan.cases]


def test_committed_manifest_holds_the_plans_labels(
    plan: imageset.Plan, committed: dict[str, Any]
) -> None:
    assert committed["seed"] == plan.seed
    assert [_labels(c) for c in committed["cases"]] == [
        _labels(dataclasses.asdict(c)) for c in plan.cases
    ]
    assert [a["id"] for a in committed["assets"]] == [a.id for a in plan.assets]
    digests = [entry["sha256"] for entry in [*committed["assets"], *committed["cases"]]]
    assert all(len(d) == 64 for d in digests)
    assert len(set(digests)) == len(digests), "two generated images are byte-identical"


def test_labels_are_consistent(plan: imageset.Plan) -> None:
    assets = {a.id: a for a in plan.assets}
    registered_photos = {a.name for a in assets.values() if a.kind == "product_image"}
    registered_logos = {
        a.id.removeprefix("logo-") for a in assets.values() if a.kind != "product_image"
    }
    assert len(registered_logos) == imageset_plan.REGISTERED_LOGOS
    assert registered_logos < set(LOGOS)
    assert len({c.id for c in plan.cases}) == len(plan.cases)
    for case in plan.cases:
        if case.expect == "match":
            assert case.asset_id in assets, case.id
        else:
            assert case.expect == "no_match" and case.asset_id is None, case.id
        photo = case.recipe.get("photo")
        if case.group == "copy" and case.expect == "match":
            assert case.asset_id == f"photo-{photo}"
            assert case.kind == case.extra["transform"]
        elif case.group == "copy" and photo is not None:
            assert photo not in registered_photos, (
                case.id
            )  # negatives never show a registered photo
        if case.group == "logo":
            assert photo not in registered_photos  # logo scenes never trigger a copy
            assert case.recipe.get("occluder") not in registered_photos
            logo = case.recipe.get("logo")
            if case.expect == "match":
                assert case.asset_id == f"logo-{logo}" and logo in registered_logos
            elif logo is not None:
                assert logo not in registered_logos, case.id
        for _, kwargs in case.recipe.get("ops", []):
            background = kwargs.get("background_image", "photo:")
            assert background.removeprefix("photo:") not in registered_photos


def test_every_transform_scale_and_negative_kind_appears(plan: imageset.Plan) -> None:
    positives = [c for c in plan.cases if c.expect == "match"]
    copies = {c.kind for c in positives if c.group == "copy"}
    assert copies == set(COPY_TRANSFORMS)
    assert {"crop_10", "crop_30", "crop_50", "jpeg", "screenshot", "watermark"} <= copies
    negative_transforms = {
        c.extra["transform"] for c in plan.cases if c.expect == "no_match" and c.extra
    }
    assert negative_transforms == set(COPY_TRANSFORMS)
    logo_cells = {(c.scale, c.variant) for c in positives if c.group == "logo"}
    assert logo_cells == {(s, v) for s in LOGO_SCALES for v in LOGO_VARIANTS}
    negative_kinds = {c.kind for c in plan.cases if c.expect == "no_match"}
    assert {"same_category", "unrelated", "other_crop", "other_logo", "no_logo"} <= negative_kinds
    for transform in COPY_TRANSFORMS:
        count = sum(c.kind == transform for c in positives)
        assert count >= 10, transform


def test_rendering_a_subset_twice_gives_the_manifests_pictures(
    plan: imageset.Plan, committed: dict[str, Any], tmp_path: Path
) -> None:
    """Twice on one machine: the same bytes (the generator is deterministic). Against the
    committed manifest: the same picture, within the tolerance of ``imageset.same_picture``,
    since another machine's SIMD or codec build may round a pixel differently; the bench's
    cache still checks bytes (``imageset.verify``)."""
    needs_augly()
    ids = imageset.sample_ids(plan)
    fresh = imageset.plan(imageset.DEFAULT_SEED)
    imageset.render(fresh, tmp_path / "a", only=ids)
    again = imageset.plan(imageset.DEFAULT_SEED)
    imageset.render(again, tmp_path / "b", only=ids)
    by_id = {c["id"]: c for c in committed["cases"]}
    first = {c.id: c for c in fresh.cases}
    versions = (
        f"manifest made with {committed['tools']}, this venv has {imageset.library_versions()}"
    )
    differ = []
    for case in again.cases:
        if case.id not in ids:
            continue
        assert case.sha256 == first[case.id].sha256, f"{case.id}: two renders differ in bytes"
        kept = by_id[case.id]
        mean, largest = imageset.pixel_difference(tmp_path / "b" / case.file, kept["pixels"])
        if not imageset.same_picture(tmp_path / "b" / case.file, kept["pixels"]):
            differ.append(f"{case.id} (mean {mean:.2f}, max {largest})")
        assert case.polygon == kept.get("polygon"), (
            f"{case.id}: logo placed at {case.polygon}, not {kept.get('polygon')}; "
            f"{imageset.REGENERATE}"
        )
        if case.bbox is not None:
            with Image.open(tmp_path / "b" / case.file) as im:
                x0, y0, x1, y1 = case.bbox
                assert 0 <= x0 < x1 <= im.width and 0 <= y0 < y1 <= im.height
    assert not differ, (
        f"{len(differ)} rendered pictures differ from the manifest by more than a mean of "
        f"{imageset.MEAN_TOLERANCE} and a max of {imageset.MAX_TOLERANCE} grey levels "
        f"(32x32 thumbnails): {differ}; {versions}; {imageset.REGENERATE}"
    )


def test_ensure_makes_missing_files_and_repairs_tampered_ones(
    plan: imageset.Plan, committed: dict[str, Any], tmp_path: Path
) -> None:
    needs_augly()
    keep = set(imageset.sample_ids(plan)[:6])
    small = committed | {"cases": [c for c in committed["cases"] if c["id"] in keep]}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(small), encoding="utf-8")
    cache = tmp_path / "cache"
    assert len(imageset.verify(small, cache)) == len(small["assets"]) + len(keep)
    imageset.ensure(cache, manifest_path=manifest)
    assert imageset.verify(small, cache) == []
    victim = cache / small["cases"][0]["file"]
    with Image.open(victim) as im:
        im.convert("RGB").rotate(1).save(victim)
    assert imageset.verify(small, cache) == [small["cases"][0]["id"]]
    imageset.ensure(cache, manifest_path=manifest)
    assert imageset.verify(small, cache) == []


def test_ensure_refuses_a_manifest_the_generator_no_longer_makes(
    committed: dict[str, Any], tmp_path: Path
) -> None:
    needs_augly()
    case = dict(committed["cases"][0]) | {"sha256": "0" * 64}
    small = committed | {"assets": committed["assets"][:1], "cases": [case]}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(small), encoding="utf-8")
    with pytest.raises(imageset.ImageSetError, match=r"differ from manifest\.json"):
        imageset.ensure(tmp_path / "cache", manifest_path=manifest)

"""Generate the labelled image set: copies of real photos and real logos inside real photos.

Sources are real pictures shipped in installed wheels (``bench/imageset_sources.py``):
scikit-image's bundled photographs and simple-icons brand logos rasterised with resvg. From
one seed the planner (``bench/imageset_plan.py``) registers one photo per category (the rest
are negatives) and half the logos, then draws every parameter of every case:

- ``copy`` group: each registered photo through every transform of
  ``bench/imageset_copies.py`` (AugLy 1.0, run in its own virtualenv by
  ``bench/augly_transforms.py``), ``COPY_DRAWS`` times; negatives are the unregistered photos
  (same category, different photo) as they are and through the same transforms, crops of
  them, and unregistered logos.
- ``logo`` group: each registered logo composited into an unregistered photo at 10/20/30/40 %
  of its width, plain, rotated, in perspective and partly occluded (``bench/imageset_logos.py``);
  negatives are other logos composited the same way and the scenes without any logo.

Images go to a cache folder (not committed: they are large); the committed manifest
``bench/data/imageset_manifest.json`` lists every asset and case with its label, its exact
transform parameters and the SHA-256 of the generated file, so a regeneration is verified.

Run: .venv/bin/python bench/imageset.py [--seed 5] [--cache .cache/imageset] [--venv .venv-augly]
     [--write-manifest]
The AugLy virtualenv is made once with ``bash bench/augly_venv.sh``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.imageset_logos import background, composite
from bench.imageset_plan import DEFAULT_SEED, Case, Plan, plan
from bench.imageset_sources import Photo, load_photo, logo_reference, photos

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = ROOT / ".cache" / "imageset"
DEFAULT_VENV = Path(os.environ.get("IPWATCH_AUGLY_VENV", ROOT / ".venv-augly"))
MANIFEST = Path(__file__).resolve().parent / "data" / "imageset_manifest.json"
WORKER = Path(__file__).resolve().parent / "augly_transforms.py"
WORKERS = 2  # AugLy subprocesses; the bench machines have two cores
# The libraries the rendered pixels and PNG bytes depend on (besides AugLy's own venv); their
# versions are locked in requirements/venv.txt and requirements/augly.txt, and recorded in the
# manifest's "tools".
RENDER_LIBRARIES = (
    *("pillow", "numpy", "opencv-python-headless", "resvg-py", "simple-icons-pack"),
    "scikit-image",
)
REGENERATE = (
    "the versions are locked in requirements/venv.txt and requirements/augly.txt (make install "
    "augly-venv installs them; make lock changes them); if a lock or the generator changed on "
    "purpose, regenerate with .venv/bin/python bench/imageset.py --write-manifest and rerun "
    "bench/image_quality.py to check the figures the README cites"
)
# "Same picture" for the sample cases whose pixels the manifest keeps (``sample_ids``): their
# 32x32 grey thumbnails may differ by a mean of 1 grey level and at most 16 in any cell (about
# a one-pixel shift of a sharp edge), which SIMD rounding or another PNG/JPEG build can cause.
THUMB = 32
MEAN_TOLERANCE = 1.0
MAX_TOLERANCE = 16


class ImageSetError(RuntimeError):
    """The set cannot be generated or does not match its manifest; the message says why."""


# --- rendering ------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _save(image: Image.Image, path: Path) -> str:
    """Save as PNG with fixed settings (so bytes depend only on pixels) and return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").save(path, format="PNG", compress_level=1)  # speed over size: a cache
    return _sha256(path)


def thumbnail(path: Path) -> np.ndarray:
    """The decoded image as a THUMB x THUMB grey array (box filter: each cell a block mean)."""
    with Image.open(path) as im:
        small = im.convert("L").resize((THUMB, THUMB), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.int16)


def encode_thumbnail(path: Path) -> str:
    return base64.b64encode(thumbnail(path).astype(np.uint8).tobytes()).decode("ascii")


def pixel_difference(path: Path, encoded: str) -> tuple[float, int]:
    """Mean and largest absolute grey-level difference between a file and a kept thumbnail."""
    kept = np.frombuffer(base64.b64decode(encoded), dtype=np.uint8).reshape(THUMB, THUMB)
    diff = np.abs(thumbnail(path) - kept.astype(np.int16))
    return float(diff.mean()), int(diff.max())


def same_picture(path: Path, encoded: str) -> bool:
    mean, largest = pixel_difference(path, encoded)
    return mean <= MEAN_TOLERANCE and largest <= MAX_TOLERANCE


def sample_ids(the_plan: Plan) -> list[str]:
    """One case per group, kind, label and logo scale: quick to render, covers every recipe."""
    seen: set[tuple[Any, ...]] = set()
    ids = []
    for case in the_plan.cases:
        key = (case.group, case.kind, case.expect, case.scale)
        if key not in seen:
            seen.add(key)
            ids.append(case.id)
    return ids


def library_versions() -> dict[str, str]:
    """Versions of the RENDER_LIBRARIES in this interpreter, for the manifest's ``tools``."""
    return {name: metadata.version(name) for name in RENDER_LIBRARIES}


def asset_file(cache: Path, asset_id: str) -> Path:
    return cache / "refs" / f"{asset_id}.png"


def case_file(cache: Path, case_id: str) -> Path:
    return cache / "images" / f"{case_id}.png"


def _write_sources(cache: Path) -> dict[str, Path]:
    out = {}
    for photo in photos():
        path = cache / "sources" / f"{photo.name}.png"
        if not path.exists():
            _save(load_photo(photo), path)
        out[photo.name] = path
    return out


def augly_python(venv: Path) -> Path:
    """The AugLy virtualenv's interpreter, or an error that says how to make it."""
    python = venv / "bin" / "python"
    if not python.exists():
        raise ImageSetError(
            f"no AugLy virtualenv at {venv}; create it with: bash bench/augly_venv.sh {venv}"
        )
    return python


def _run_augly(venv: Path, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Run the jobs in ``WORKERS`` AugLy subprocesses; each job seeds itself, so order is free."""
    python = augly_python(venv)
    chunks = [jobs[i::WORKERS] for i in range(WORKERS) if jobs[i::WORKERS]]

    def work(chunk: list[dict[str, Any]]) -> dict[str, Any]:
        done = subprocess.run(
            [str(python), str(WORKER)],
            input=json.dumps({"jobs": chunk}),
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
        if done.returncode != 0:
            raise ImageSetError(f"AugLy worker failed:\n{done.stderr[-2000:]}")
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    with ThreadPoolExecutor(len(chunks) or 1) as pool:
        reports = list(pool.map(work, chunks))
    return reports[0] if reports else {}


def render(
    the_plan: Plan, cache: Path, venv: Path = DEFAULT_VENV, only: Iterable[str] | None = None
) -> dict[str, Any]:
    """Make the reference images and the cases (all, or the ids in ``only``) in ``cache``.

    Fills each case's ``file``, ``sha256`` (and for logos ``polygon`` and ``bbox``); returns
    the tool versions for the manifest."""
    wanted = None if only is None else set(only)
    cases = [c for c in the_plan.cases if wanted is None or c.id in wanted]
    sources = _write_sources(cache)
    photo_by_name = {p.name: p for p in photos()}
    for asset in the_plan.assets:
        path = asset_file(cache, asset.id)
        if wanted is not None and asset.id not in wanted and path.exists():
            continue
        if asset.kind == "product_image":
            image = load_photo(photo_by_name[asset.name])
        else:
            image = logo_reference(asset.id.removeprefix("logo-"))
        _save(image, path)
    jobs = []
    with tempfile.TemporaryDirectory(prefix="imageset-") as tmp:
        for case in cases:
            if case.group != "copy" or "photo" not in case.recipe:
                continue
            ops = [[name, _bind(kwargs, sources)] for name, kwargs in case.recipe["ops"]]
            src, out = sources[case.recipe["photo"]], Path(tmp) / f"{case.id}.png"
            jobs.append({"src": str(src), "out": str(out), "seed": case.recipe["seed"], "ops": ops})
        versions = _run_augly(venv, jobs) if jobs else {}

        def finish(case: Case) -> None:
            path = case_file(cache, case.id)
            case.file = str(path.relative_to(cache))
            if case.group == "copy" and "photo" in case.recipe:
                with Image.open(Path(tmp) / f"{case.id}.png") as im:
                    case.sha256 = _save(im.convert("RGB"), path)
            elif case.group == "copy":
                case.sha256 = _save(logo_reference(case.recipe["logo"]), path)
            else:
                _render_logo_case(case, path, photo_by_name)

        with ThreadPoolExecutor(WORKERS) as pool:  # PNG, OpenCV and resvg release the GIL
            list(pool.map(finish, cases))
    versions.pop("done", None)
    return versions


def _bind(kwargs: dict[str, Any], sources: dict[str, Path]) -> dict[str, Any]:
    """``photo:NAME`` arguments become ``image:PATH`` of that source photo."""
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("photo:"):
            value = f"image:{sources[value.removeprefix('photo:')]}"
        out[key] = value
    return out


def _render_logo_case(case: Case, path: Path, photo_by_name: dict[str, Photo]) -> None:
    recipe = case.recipe
    scene = background(load_photo(photo_by_name[recipe["photo"]]), recipe["crop"], recipe["mirror"])
    if "logo" not in recipe:
        case.sha256 = _save(scene, path)
        return
    occluder = load_photo(photo_by_name[recipe["occluder"]])
    image, placement = composite(scene, recipe["logo"], recipe, occluder)
    case.polygon, case.bbox = placement.polygon, placement.bbox
    case.sha256 = _save(image, path)


# --- manifest -------------------------------------------------------------------------------


def manifest(the_plan: Plan, cache: Path, versions: dict[str, Any]) -> dict[str, Any]:
    """The committed description of the set: labels, parameters and digests, the versions it
    was rendered with, and for the ``sample_ids`` cases a thumbnail of their pixels."""
    assets = []
    for asset in the_plan.assets:
        path = asset_file(cache, asset.id)
        entry = asdict(asset) | {"file": str(path.relative_to(cache)), "sha256": _sha256(path)}
        assets.append(entry)
    sampled = set(sample_ids(the_plan))
    cases = []
    for case in the_plan.cases:
        entry = {k: v for k, v in asdict(case).items() if v not in (None, {}, "")}
        if case.id in sampled:
            entry["pixels"] = encode_thumbnail(cache / case.file)
        cases.append(entry)
    return {
        "generator": "bench/imageset.py",
        "seed": the_plan.seed,
        "tools": {"augly_venv": versions, "venv": library_versions()},
        "counts": _counts(the_plan.cases),
        "assets": assets,
        "cases": cases,
    }


def _counts(cases: Sequence[Case]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        counts[f"{case.group}:{case.expect}"] += 1
    return dict(sorted(counts.items()))


def dump(document: dict[str, Any]) -> str:
    """JSON with one case per line: small diffs, readable in review."""
    head = {k: v for k, v in document.items() if k != "cases"}
    lines = [json.dumps(head, sort_keys=True)[:-1] + ', "cases": [']
    cases = [json.dumps(c, sort_keys=True, separators=(",", ":")) for c in document["cases"]]
    lines.append(",\n".join(cases))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    if not path.exists():
        raise ImageSetError(
            f"{path} is missing; run .venv/bin/python bench/imageset.py --write-manifest"
        )
    return dict(json.loads(path.read_text(encoding="utf-8")))


def verify(document: dict[str, Any], cache: Path) -> list[str]:
    """Ids whose file in ``cache`` is missing or differs from the manifest's SHA-256."""
    bad = []
    for entry in [*document["assets"], *document["cases"]]:
        path = cache / entry["file"]
        if not path.exists() or _sha256(path) != entry["sha256"]:
            bad.append(entry["id"])
    return bad


def ensure(
    cache: Path = DEFAULT_CACHE, venv: Path = DEFAULT_VENV, manifest_path: Path = MANIFEST
) -> dict[str, Any]:
    """The manifest, after (re)making whatever in ``cache`` is missing or stale; raises when a
    regenerated file still differs (the generator or a library changed)."""
    document = load_manifest(manifest_path)
    stale = verify(document, cache)
    if stale:
        the_plan = plan(document["seed"])
        render(the_plan, cache, venv, only=stale)
        still = verify(document, cache)
        if still:
            raise ImageSetError(
                f"{len(still)} regenerated images differ from {manifest_path.name} "
                f"(first: {still[:3]}); a library or the generator changed: {REGENERATE}"
            )
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where images go")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="the AugLy virtualenv")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument(
        "--write-manifest",
        action="store_true",
        help="write the manifest from this generation instead of checking against it",
    )
    args = parser.parse_args(argv)
    try:
        the_plan = plan(args.seed)
        versions = render(the_plan, args.cache, args.venv)
        document = manifest(the_plan, args.cache, versions)
        if args.write_manifest:
            args.manifest.parent.mkdir(parents=True, exist_ok=True)
            args.manifest.write_text(dump(document), encoding="utf-8")
            print(f"wrote {args.manifest} ({len(document['cases'])} cases, {document['counts']})")
            return 0
        committed = load_manifest(args.manifest)
    except ImageSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if committed["seed"] != args.seed:
        print(f"the manifest is for seed {committed['seed']}, not {args.seed}", file=sys.stderr)
        return 1
    bad = verify(committed, args.cache)
    if bad:
        print(
            f"{len(bad)} images differ from {args.manifest} (first: {bad[:5]}); {REGENERATE}",
            file=sys.stderr,
        )
        return 1
    total = len(committed["assets"]) + len(committed["cases"])
    print(f"{total} images in {args.cache} match {args.manifest}: {committed['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

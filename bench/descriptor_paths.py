"""Cheaper paths for the learned descriptor on the CPU, each with its recall and precision.

The detector embeds each listing's photos when it scores that listing, so on the usual
one-photo listing the network runs on a batch of one. Measured side by side on the copy group
of the labelled image set (``bench/imageset.py``), in one process, the chunks of photos
interleaved so every path sees the same machine load:

- ``torch x1``: the current path (``EfficientNetLite0Descriptor.embed`` one photo a call);
- ``torch x16``: the same network over 16 photos a call (several listings' photos batched);
- ``onnxruntime x1`` / ``x16``: the same weights exported to ONNX, run by ONNX Runtime (already
  installed for OCR); the export needs the ``onnx`` package, and the path is skipped without it;
- ``torch 224px x16``: a smaller input (7 x 7 feature cells for R-MAC instead of 10 x 10).

Each path's vectors of the registered photos and of the cases are matched exactly as
``DescriptorMatcher`` does (cosine, the 5 most similar, production threshold), and recall and
precision are printed beside the cost per photo, with the largest cosine gap to the current
path's vectors: speed may not silently buy lost quality. Print the load beside it.

Run: .venv/bin/python bench/descriptor_paths.py [--cache .cache/imageset] [--every 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

os.environ.setdefault("IPWATCH_DESCRIPTOR_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import imageset
from bench.image_quality import load
from bench.imageset_metrics import Predictions, best_recall_at, fmt, score

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PIL.Image import Image

    from detector.vision.descriptor_models import EfficientNetLite0Descriptor

CHUNK = 16  # photos per batched call (and per interleaving round)
HITS = 5  # as DescriptorMatcher.MAX_HITS_PER_IMAGE
Embed = Callable[[list[Any]], np.ndarray]


def paths(
    model: EfficientNetLite0Descriptor, onnx: EfficientNetLite0Descriptor | None
) -> dict[str, tuple[Embed, int]]:
    """Name -> (embed function, photos per call). ``model`` runs in torch, ``onnx`` (the same
    weights) in ONNX Runtime, as ``descriptor_runtime: onnxruntime`` builds it."""
    import torch

    from detector.vision.descriptor import l2_normalise

    def at_side(side: int) -> Embed:
        def embed(images: list[Image]) -> np.ndarray:
            with torch.inference_mode():
                return l2_normalise(model._rmac(model._feature_map(model._tensor(images, side))))

        return embed

    out: dict[str, tuple[Embed, int]] = {
        "torch x1": (model.embed, 1),
        "torch x16": (model.embed, CHUNK),
    }
    if onnx is not None:
        out["onnxruntime x1"] = (onnx.embed, 1)
        out["onnxruntime x16"] = (onnx.embed, CHUNK)
    out["torch 224px x16"] = (at_side(224), CHUNK)
    return out


def embed_all(
    named: dict[str, tuple[Embed, int]], images: Sequence[Image]
) -> tuple[dict[str, np.ndarray], dict[str, float], dict[str, float]]:
    """Every path's vectors of ``images``, wall seconds and CPU seconds (all of this process's
    threads) spent, chunks interleaved across paths."""
    vectors: dict[str, list[np.ndarray]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    for start in range(0, len(images), CHUNK):
        chunk = list(images[start : start + CHUNK])
        for name, (embed, per_call) in named.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            for i in range(0, len(chunk), per_call):
                vectors[name].append(embed(chunk[i : i + per_call]))
            seconds[name] += time.perf_counter() - began
            cpu[name] += time.process_time() - began_cpu
    return (
        {name: np.concatenate(rows) for name, rows in vectors.items()},
        dict(seconds),
        dict(cpu),
    )


def predictions(
    refs: np.ndarray, cases: np.ndarray, asset_ids: list[str], case_ids: list[str], cut: float
) -> Predictions:
    """As ``DescriptorMatcher``: per case, the ``HITS`` most similar references at or above
    ``cut``; score 0.5 at the cut, 1.0 for an identical picture (as bench/image_quality.py)."""
    similarity = cases @ refs.T
    out: Predictions = {}
    for case_id, row in zip(case_ids, similarity, strict=True):
        found: dict[str, float] = {}
        for j in np.argsort(-row, kind="stable")[:HITS]:
            if row[j] >= cut:
                value = 0.5 + 0.5 * (float(row[j]) - cut) / (1.0 - cut)
                found[asset_ids[j]] = max(value, found.get(asset_ids[j], 0.0))
        out[case_id] = found
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=imageset.DEFAULT_CACHE)
    parser.add_argument("--venv", type=Path, default=imageset.DEFAULT_VENV)
    parser.add_argument("--every", type=int, default=8, help="about one copy case in N")
    args = parser.parse_args(argv)
    from detector.settings import DetectionSettings
    from detector.vision.descriptor import DescriptorUnavailableError, min_similarity
    from detector.vision.descriptor_models import EfficientNetLite0Descriptor

    document = imageset.ensure(args.cache, args.venv)
    loaded = load(document, args.cache, every=args.every, group="copy")
    cases = loaded.cases
    refs = [(a.id, r.image) for a in loaded.assets for r in a.images if r.image is not None]
    print(f"load: {os.getloadavg()}  cores: {os.cpu_count()}  crc32 subset 1/{args.every}")
    print(
        f"{len(cases)} copy cases ({sum(c['expect'] == 'match' for c in cases)} copies),"
        f" {len(refs)} registered images"
    )
    model = EfficientNetLite0Descriptor(runtime="torch")
    model.embed([refs[0][1]])  # weights loaded and first-call set-up outside the clock
    onnx = None
    try:
        onnx = EfficientNetLite0Descriptor(runtime="onnxruntime")
        onnx.embed([refs[0][1]])
    except DescriptorUnavailableError as exc:
        print(f"onnxruntime: skipped ({exc})")
    named = paths(model, onnx)
    # The registered photos in batches on every path (they are embedded once per registry;
    # only the case photos are timed).
    batched = {name: (embed, CHUNK) for name, (embed, _) in named.items()}
    ref_vectors, _, _ = embed_all(batched, [image for _, image in refs])
    images = [loaded.images[c["id"]].image for c in cases]
    case_vectors, seconds, cpu = embed_all(named, images)
    cut = min_similarity(DetectionSettings())
    base = "torch x1"
    asset_ids = [asset_id for asset_id, _ in refs]
    case_ids = [c["id"] for c in cases]
    print(f"\nproduction cosine threshold {cut:.2f}; cost over {len(images)} case photos")
    print(
        f"  {'path':20} {'ms/photo':>9} {'vs torch':>8} {'CPU ms':>7} {'vs torch':>8}"
        f" {'recall':>7} {'precis.':>7}"
        f" {'R@P.99':>7} {'max |cos gap|':>14}"
    )
    for name in named:
        picks = predictions(ref_vectors[name], case_vectors[name], asset_ids, case_ids, cut)
        result = score(cases, picks)
        _, at99 = best_recall_at(cases, picks, 0.99)
        gap = np.abs(
            (case_vectors[name] @ ref_vectors[name].T) - (case_vectors[base] @ ref_vectors[base].T)
        ).max()
        per, per_cpu = seconds[name] / len(images), cpu[name] / len(images)
        print(
            f"  {name:20} {per * 1000:9.1f} {per / (seconds[base] / len(images)):8.2f}"
            f" {per_cpu * 1000:7.1f} {per_cpu / (cpu[base] / len(images)):8.2f}"
            f" {fmt(result.recall):>7} {fmt(result.precision):>7}"
            f" {fmt(at99.recall if at99 else None):>7} {gap:14.4f}"
        )
    print(f"load: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

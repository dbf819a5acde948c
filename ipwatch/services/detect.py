"""Batch detection: score listings exported from anywhere against a registry file.

The registry file is imported into a throwaway in-memory registry, so the workspace's own is
untouched; findings are handed to a sink as each listing is scored (memory stays flat).
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

    from detector.engine import Detector
    from detector.settings import DetectionSettings
    from detector.workers import Detection
    from ipwatch.services.batch_listings import BatchEntry, ImageLimits
    from ipwatch.services.workspace import Workspace
    from model import Asset, Finding


@dataclasses.dataclass
class DetectCounts:
    """What a batch did, for the progress line, the summary and the exit code."""

    listings: int = 0
    bad_lines: int = 0
    image_problems: int = 0
    findings: int = 0
    flagged: int = 0


def finding_json(finding: Finding) -> str:
    """One output line: the documented keys, each signal with its evidence."""
    return json.dumps(
        {
            "listing_id": finding.listing_id,
            "asset_id": finding.asset_id,
            "risk": finding.risk,
            "flagged": finding.flagged,
            "signals": [
                # Shallow: json.dumps walks the evidence itself (asdict would deep-copy it first).
                {"kind": s.kind, "score": s.score, "detail": s.detail, "evidence": s.evidence}
                for s in finding.signals
            ],
        },
        ensure_ascii=False,
        default=str,
    )


def registry_detector(path: Path, settings: DetectionSettings) -> Detector:
    """Import the registry file into a throwaway in-memory registry: the home one is untouched."""
    from detector.engine import Detector

    return Detector(_registry_assets(path), settings)


def registry_detection(
    path: Path, settings: DetectionSettings, cache_dir: Path | None = None
) -> Detection:
    """The registry file's assets scored by ``settings.workers`` detection workers (or in this
    process), findings cached in ``cache_dir/detect.sqlite`` when given; close it when done."""
    from detector.cache import FindingsCache, registry_key
    from detector.engine import Detector
    from detector.workers import open_detection

    assets = _registry_assets(path)
    cache = None
    image_cache = cache_dir / "images.sqlite" if cache_dir is not None else None
    if cache_dir is not None:
        cache = FindingsCache(cache_dir / "detect.sqlite", registry_key(assets, settings))
    return open_detection(
        assets,
        settings,
        detector=lambda: Detector(assets, settings, image_cache=image_cache),
        cache=cache,
        image_cache=image_cache,
    )


def _registry_assets(path: Path) -> list[Asset]:
    from registry.store import Registry

    registry = Registry("sqlite://")
    try:
        registry.import_file(path)
        assets = registry.detector_assets()
    finally:
        registry.close()
    if not assets:
        raise InvalidRequestError(f"{path} registers no assets; add at least one (see README)")
    return assets


def batch_limits(workspace: Workspace, allowed_private_hosts: Sequence[str] = ()) -> ImageLimits:
    """The crawl's image caps and private-host allowances, plus the hosts given for this run."""
    from ipwatch.services.batch_listings import ImageLimits

    crawl = workspace.config.crawl
    return ImageLimits(
        per_listing=crawl.images_per_listing,
        max_bytes=crawl.image_max_bytes,
        max_pixels=crawl.image_max_pixels,
        allowed_private_hosts=frozenset(
            host.lower() for host in [*crawl.allowed_private_hosts, *allowed_private_hosts]
        ),
    )


def detect_batch(
    detector: Detector | Detection,
    entries: Iterable[BatchEntry],
    sink: Callable[[Finding], None],
    progress: Callable[[BatchEntry, DetectCounts], None] | None = None,
) -> DetectCounts:
    """Score entries (several at once on detection workers), handing each listing's findings
    to ``sink`` in input order; at most two listings per worker wait in memory."""
    from detector.engine import Detector
    from detector.workers import DetectionPool, InProcessDetection, detect_in_order

    detection = InProcessDetection(detector) if isinstance(detector, Detector) else detector
    ahead = 2 * detection.workers if isinstance(detection, DetectionPool) else 1
    counts = DetectCounts()
    for entry, found in detect_in_order(detection, entries, lambda e: e.listing, ahead):
        if found is None:
            counts.bad_lines += 1
        else:
            counts.listings += 1
            counts.image_problems += len(entry.problems)
            for finding in found:
                sink(finding)
                counts.findings += 1
                counts.flagged += finding.flagged
        if progress is not None:
            progress(entry, counts)
    return counts

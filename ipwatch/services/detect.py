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
    from ipwatch.services.batch_listings import BatchEntry, ImageLimits
    from ipwatch.services.workspace import Workspace
    from model import Finding


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
    from registry.store import Registry

    registry = Registry("sqlite://")
    try:
        registry.import_file(path)
        assets = registry.detector_assets()
    finally:
        registry.close()
    if not assets:
        raise InvalidRequestError(f"{path} registers no assets; add at least one (see README)")
    return Detector(assets, settings)


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
    detector: Detector,
    entries: Iterable[BatchEntry],
    sink: Callable[[Finding], None],
    progress: Callable[[BatchEntry, DetectCounts], None] | None = None,
) -> DetectCounts:
    """Score entry by entry, handing each listing's findings to ``sink`` before the next."""
    counts = DetectCounts()
    for entry in entries:
        if entry.listing is None:
            counts.bad_lines += 1
        else:
            counts.listings += 1
            counts.image_problems += len(entry.problems)
            for finding in detector.detect(entry.listing):
                sink(finding)
                counts.findings += 1
                counts.flagged += finding.flagged
        if progress is not None:
            progress(entry, counts)
    return counts

"""Retro-hunt: re-score stored listings against today's registry.

A mark registered today should find the copies crawled last month. The listings, their
extracted data and their image bytes are all in the workspace (index + blob store), so the
same detector the crawl uses scores them again, and findings are upserted exactly as the
crawl's index pipeline does: same ids, review status and evidence links kept.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ipwatch.services.errors import InvalidRequestError, NotFoundError
from ipwatch.services.webhook_events import findings_flagged
from model.convert import finding_record, listing_from_record

if TYPE_CHECKING:
    from collections.abc import Callable

    from detector.engine import Detector
    from detector.workers import Detection
    from evidence.storage.blobstore import BlobStore
    from ipwatch.services.workspace import Workspace
    from model import Asset, FindingRecord, Listing, ListingImage, ListingRecord


@dataclasses.dataclass
class AssetTally:
    findings: int = 0
    new: int = 0
    flagged: int = 0
    new_flagged: int = 0


@dataclasses.dataclass(frozen=True)
class RescanProgress:
    """Sent after each listing: how far, how many new findings, what could not be decoded."""

    done: int
    total: int
    new_findings: int
    listing_id: str
    problems: tuple[str, ...]


@dataclasses.dataclass
class RescanResult:
    listings: int
    marketplace: str | None
    tallies: dict[str, AssetTally]
    image_problems: int
    # Flagged findings with no sealed snapshot: evidence is only captured from the live page.
    without_evidence: list[FindingRecord]

    @property
    def new_findings(self) -> int:
        return sum(t.new for t in self.tallies.values())


def stored_images(
    fetched: list[Any], blobs: BlobStore, *, limit: int, max_bytes: int, max_pixels: int
) -> tuple[tuple[ListingImage, ...], list[str]]:
    """The crawl's fetched images decoded again from the blob store, and what could not be."""
    from detector.exceptions import UnsafeImageError
    from detector.imagesafe import decode_image
    from evidence.exceptions import EvidenceError
    from model import ListingImage

    images: list[ListingImage] = []
    problems: list[str] = []
    for entry in fetched:
        if len(images) >= limit:
            break
        if not isinstance(entry, dict) or entry.get("error") or not entry.get("sha256"):
            continue  # the crawl could not use it either
        sha256, url = str(entry["sha256"]), str(entry.get("url") or "")
        try:
            pixels = decode_image(blobs.get(sha256), max_bytes=max_bytes, max_pixels=max_pixels)
        except (EvidenceError, UnsafeImageError) as exc:
            problems.append(f"image {sha256[:12]}: {exc}")
            continue
        images.append(ListingImage(url=url, sha256=sha256, image=pixels))
    return tuple(images), problems


def rescan_detector(workspace: Workspace, asset_ids: list[str]) -> Detector:
    """The workspace's detector, or one over just the named assets."""
    from detector.engine import Detector

    chosen = _chosen_assets(workspace, asset_ids)
    if not asset_ids:
        return workspace.detector
    return Detector(chosen, workspace.detection_settings, image_cache=workspace.image_cache)


def _chosen_assets(workspace: Workspace, asset_ids: list[str]) -> list[Asset]:
    """The named assets (default: all), refused when none is registered or a name is unknown."""
    assets = workspace.assets
    if not assets:
        raise InvalidRequestError(
            "no assets registered; import some first: ipwatch assets import FILE"
        )
    unknown = [asset_id for asset_id in asset_ids if asset_id not in assets]
    if unknown:
        raise NotFoundError(
            f"no asset with id {', '.join(map(repr, unknown))}; `ipwatch assets list` shows them"
        )
    if not asset_ids:
        return list(assets.values())
    return [assets[asset_id] for asset_id in dict.fromkeys(asset_ids)]


def rescan_detection(workspace: Workspace, asset_ids: list[str]) -> Detection:
    """``rescan_detector``'s assets scored by the workspace's detection workers (or in this
    process), findings cached by listing content in ``<home>/cache/detect.sqlite``."""
    from detector.cache import FindingsCache, registry_key
    from detector.workers import open_detection

    assets = _chosen_assets(workspace, asset_ids)
    settings = workspace.detection_settings
    cache = FindingsCache(
        workspace.home / "cache" / "detect.sqlite", registry_key(assets, settings)
    )
    return open_detection(
        assets,
        settings,
        detector=lambda: rescan_detector(workspace, asset_ids),
        cache=cache,
        image_cache=workspace.image_cache,
    )


def rescan(
    workspace: Workspace,
    asset_ids: list[str] | None = None,
    marketplace: str | None = None,
    progress: Callable[[RescanProgress], None] | None = None,
) -> RescanResult:
    """Score every stored listing (of ``marketplace``) against the assets (default: all)."""
    from detector.workers import DetectionPool

    detection = rescan_detection(workspace, asset_ids or [])
    try:
        ahead = 2 * detection.workers if isinstance(detection, DetectionPool) else 1
        return _rescan(workspace, detection, ahead, marketplace, progress)
    finally:
        detection.close()


def _rescan(
    workspace: Workspace,
    detection: Detection,
    ahead: int,
    marketplace: str | None,
    progress: Callable[[RescanProgress], None] | None,
) -> RescanResult:
    from detector.workers import detect_in_order

    total = workspace.index.count_listings(marketplace)
    result = RescanResult(0, marketplace, {}, 0, [])
    crawl = workspace.config.crawl
    index = workspace.index

    def prepared(record: ListingRecord) -> tuple[ListingRecord, Listing, list[str]]:
        images, problems = stored_images(
            record.data.get("images_fetched") or [],
            workspace.blobs,
            limit=crawl.images_per_listing,
            max_bytes=crawl.image_max_bytes,
            max_pixels=crawl.image_max_pixels,
        )
        return record, listing_from_record(record, images), problems

    entries = (prepared(record) for record in index.iter_listings(marketplace))
    for (record, listing, problems), found in detect_in_order(
        detection, entries, lambda entry: entry[1], ahead
    ):
        result.image_problems += len(problems)
        now = datetime.now(UTC)
        for finding in found or []:
            stored = finding_record(listing, finding, workspace.assets.get(finding.asset_id), now)
            created = index.upsert_finding(stored)
            tally = result.tallies.setdefault(finding.asset_id, AssetTally())
            tally.findings += 1
            tally.new += created
            tally.flagged += finding.flagged
            tally.new_flagged += created and finding.flagged
            if created and finding.flagged:
                findings_flagged(workspace, [stored])
            if finding.flagged:
                current = index.get_finding(finding.id)
                if current is None or not current.snapshot_ids:
                    result.without_evidence.append(current or stored)
        result.listings += 1
        if progress is not None:
            progress(
                RescanProgress(
                    result.listings, total, result.new_findings, record.id, tuple(problems)
                )
            )
    return result

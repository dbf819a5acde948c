"""``ipwatch rescan``: re-score stored listings against today's registry (the retro-hunt).

A mark registered today should find the copies crawled last month. The listings, their
extracted data and their image bytes are all in the workspace (index + blob store), so the
same detector the crawl uses scores them again, and findings are upserted exactly as the
crawl's index pipeline does: same ids, review status and evidence links kept.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.console import console, err_console, plain

if TYPE_CHECKING:
    from detector.engine import Detector
    from evidence.blobstore import BlobStore
    from ipwatch.workspace import Workspace
    from model import FindingRecord, ListingImage

MAX_LISTED_WITHOUT_EVIDENCE = 20


@dataclasses.dataclass
class AssetTally:
    findings: int = 0
    new: int = 0
    flagged: int = 0
    new_flagged: int = 0


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


def _detector(workspace: Workspace, asset_ids: list[str]) -> Detector:
    from detector.engine import Detector

    assets = workspace.assets
    if not assets:
        raise UserError("no assets registered; import some first: ipwatch assets import FILE")
    if not asset_ids:
        return workspace.detector
    unknown = [asset_id for asset_id in asset_ids if asset_id not in assets]
    if unknown:
        raise UserError(
            f"no asset with id {', '.join(map(repr, unknown))}; `ipwatch assets list` shows them"
        )
    chosen = [assets[asset_id] for asset_id in dict.fromkeys(asset_ids)]
    return Detector(chosen, workspace.detection_settings)


def rescan(
    ctx: typer.Context,
    asset: Annotated[
        list[str] | None,
        typer.Option("--asset", help="Only this asset id (repeatable). Default: every asset."),
    ] = None,
    marketplace: Annotated[
        str | None, typer.Option(help="Only listings stored from this marketplace.")
    ] = None,
) -> None:
    """Re-score stored listings against the registry, so a new asset finds old listings.

    Findings keep their id, review status and evidence; flagged ones without sealed
    evidence are listed with the crawl that would capture it.
    """
    from model.convert import finding_record, listing_from_record

    workspace = state(ctx).workspace()
    detector = _detector(workspace, asset or [])
    total = workspace.index.count_listings(marketplace)
    records = workspace.index.iter_listings(marketplace)
    done = 0
    tallies: dict[str, AssetTally] = {}
    without_evidence: list[FindingRecord] = []
    image_problems = 0
    crawl = workspace.config.crawl
    with Progress(
        TextColumn("[bold]rescanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("listings · {task.fields[new]} new findings"),
        TimeElapsedColumn(),
        console=err_console,
    ) as progress:
        task = progress.add_task("rescan", total=total, new=0)
        for record in records:
            done += 1
            images, problems = stored_images(
                record.data.get("images_fetched") or [],
                workspace.blobs,
                limit=crawl.images_per_listing,
                max_bytes=crawl.image_max_bytes,
                max_pixels=crawl.image_max_pixels,
            )
            for problem in problems:
                progress.console.print(plain(f"{record.id}: {problem}", 500), soft_wrap=True)
            image_problems += len(problems)
            listing = listing_from_record(record, images)
            now = datetime.now(UTC)
            for finding in detector.detect(listing):
                asset_record = workspace.assets.get(finding.asset_id)
                stored = finding_record(listing, finding, asset_record, now)
                created = workspace.index.upsert_finding(stored)
                tally = tallies.setdefault(finding.asset_id, AssetTally())
                tally.findings += 1
                tally.new += created
                tally.flagged += finding.flagged
                tally.new_flagged += created and finding.flagged
                if finding.flagged:
                    current = workspace.index.get_finding(finding.id)
                    if current is None or not current.snapshot_ids:
                        without_evidence.append(current or stored)
            progress.update(task, advance=1, new=sum(t.new for t in tallies.values()))
    console.print(_summary_table(tallies, done, marketplace))
    if image_problems:
        console.print(
            f"{image_problems} stored image(s) could not be decoded; those listings were "
            "scored on their other images and text",
            markup=False,
            highlight=False,
        )
    if without_evidence:
        _print_without_evidence(without_evidence)


def _summary_table(tallies: dict[str, AssetTally], listings: int, marketplace: str | None) -> Table:
    where = f" from {marketplace}" if marketplace else ""
    new = sum(t.new for t in tallies.values())
    table = Table(title=f"rescanned {listings} stored listing(s){where}: {new} new finding(s)")
    for column in ("asset", "findings", "new", "flagged", "new flagged"):
        table.add_column(column, justify="left" if column == "asset" else "right")
    for asset_id in sorted(tallies):
        tally = tallies[asset_id]
        table.add_row(
            plain(asset_id),
            str(tally.findings),
            str(tally.new),
            str(tally.flagged),
            str(tally.new_flagged),
        )
    return table


def _print_without_evidence(findings: list[FindingRecord]) -> None:
    """Evidence is captured from the live page, never made up from stored data: say how."""
    table = Table(
        title=f"{len(findings)} flagged finding(s) without sealed evidence", show_lines=True
    )
    for column in ("risk", "finding", "asset", "listing"):
        table.add_column(column, overflow="fold")
    ordered = sorted(findings, key=lambda f: (-f.risk, f.id))
    for finding in ordered[:MAX_LISTED_WITHOUT_EVIDENCE]:
        table.add_row(
            f"{finding.risk:.2f}",
            plain(finding.id),
            plain(finding.asset_id),
            plain(f"{finding.title}\n{finding.url}", 300),
        )
    console.print(table)
    if len(ordered) > MAX_LISTED_WITHOUT_EVIDENCE:
        console.print(
            f"… and {len(ordered) - MAX_LISTED_WITHOUT_EVIDENCE} more: "
            "ipwatch findings list --asset ASSET",
            markup=False,
            highlight=False,
        )
    for marketplace in sorted({finding.marketplace for finding in findings}):
        console.print(
            f"to capture evidence while the listings are online: ipwatch crawl {marketplace} "
            "(a crawl that reaches them seals each flagged finding that has no snapshot)",
            markup=False,
            highlight=False,
        )

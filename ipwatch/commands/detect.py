"""``ipwatch detect``: score listings exported from anywhere (JSONL) against a registry file."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from config.settings import resolve_home
from ipwatch.commands.common import UserError, state
from ipwatch.console import err_console, plain
from ipwatch.services.detect import (
    DetectCounts,
    batch_limits,
    detect_batch,
    finding_json,
    registry_detection,
)
from ipwatch.services.workspace import Workspace

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

    from detector.workers import Detection
    from ipwatch.services.batch_listings import BatchEntry
    from model import Finding


def _open_listings(listings: Path, stack: ExitStack) -> tuple[BinaryIO, Path, int | None]:
    """The input stream, the folder relative image paths resolve against, its size if known."""
    if str(listings) == "-":
        return sys.stdin.buffer, Path.cwd(), None
    try:
        stream = stack.enter_context(listings.open("rb"))
        size = listings.stat().st_size if listings.is_file() else None
    except OSError as exc:
        raise UserError(f"cannot read {listings}: {exc.strerror}; check the path") from None
    return stream, listings.resolve().parent, size


def _open_out(out: Path, stack: ExitStack) -> TextIO:
    try:
        return stack.enter_context(out.open("w", encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}; check the folder exists") from None


def detect(
    ctx: typer.Context,
    registry: Annotated[
        Path, typer.Option(help="Registry file in the `assets import` format (YAML or JSON).")
    ],
    listings: Annotated[
        Path,
        typer.Option(help="JSONL file, one listing per line (see README); - reads stdin."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Write findings here (JSONL, as they come). Default: stdout."),
    ] = None,
    allow_private_host: Annotated[
        list[str] | None,
        typer.Option(help="Allow image URLs on this private/loopback host (repeatable)."),
    ] = None,
    allow_local_path: Annotated[
        list[Path] | None,
        typer.Option(
            help="Also read local images under this folder (repeatable); by default only "
            "paths under the listings file's folder are read.",
            metavar="DIR",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when any line or image was bad (all lines still run).")
    ] = False,
) -> None:
    """Score each listing of a JSONL file against a registry file; findings go out as JSONL.

    A bad line is reported on stderr with its number and skipped; an image that cannot be
    used is reported and the listing scored without it. The exit code is 0 when the run
    completed (1 with --strict if anything was skipped); the summary says how many.
    """
    from ipwatch.services.batch_listings import ImageLoader, read_batch

    config = Workspace(resolve_home(state(ctx).home))  # settings only; its registry is unused
    detection = registry_detection(
        registry, config.detection_settings, cache_dir=config.home / "cache"
    )
    limits = batch_limits(config, allow_private_host or ())
    with ExitStack() as stack:
        stack.callback(detection.close)
        stream, base_dir, size = _open_listings(listings, stack)
        sink = _open_out(out, stack) if out is not None else sys.stdout
        counts = _run(
            detection,
            read_batch(stream, ImageLoader(base_dir, limits, tuple(allow_local_path or ()))),
            sink,
            size,
        )
    _summary(counts, out)
    if strict and (counts.bad_lines or counts.image_problems):
        raise typer.Exit(1)


def _run(
    detection: Detection,
    entries: Iterator[BatchEntry],
    sink: TextIO,
    size: int | None,
) -> DetectCounts:
    """Drive the batch service with a progress bar; problems are reported line by line."""
    with Progress(
        TextColumn("[bold]detecting"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[listings]} listings · {task.fields[flagged]} flagged"),
        TextColumn("· {task.fields[bad]} bad"),
        TimeElapsedColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task("detect", total=size, listings=0, flagged=0, bad=0)

        def progress(entry: BatchEntry, counts: DetectCounts) -> None:
            for problem in entry.problems:
                what = "skipped" if entry.listing is None else "scored without it"
                bar.console.print(
                    plain(f"line {entry.number}: {problem} ({what})", 1000), soft_wrap=True
                )
            bar.update(
                task,
                advance=entry.size,
                listings=counts.listings,
                flagged=counts.flagged,
                bad=counts.bad_lines,
            )

        def write(finding: Finding) -> None:
            sink.write(finding_json(finding) + "\n")

        return detect_batch(detection, entries, write, progress)


def _summary(counts: DetectCounts, out: Path | None) -> None:
    skipped = f"{counts.bad_lines} bad line(s) skipped, {counts.image_problems} image problem(s)"
    where = f"; written to {out}" if out is not None else ""
    err_console.print(
        plain(
            f"{counts.listings} listing(s) scored: {counts.findings} finding(s), "
            f"{counts.flagged} flagged; {skipped}{where}",
            1000,
        ),
        soft_wrap=True,
    )

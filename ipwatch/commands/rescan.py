"""``ipwatch rescan``: re-score stored listings against today's registry (the retro-hunt)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.console import console, err_console, plain
from ipwatch.services.rescan import rescan as rescan_listings

if TYPE_CHECKING:
    from ipwatch.services.rescan import RescanProgress, RescanResult
    from model import FindingRecord

MAX_LISTED_WITHOUT_EVIDENCE = 20


def rescan(
    ctx: typer.Context,
    asset: Annotated[
        list[str] | None,
        typer.Option(
            "--asset", help="Only this asset id (repeatable). Default: every asset.", metavar="ID"
        ),
    ] = None,
    marketplace: Annotated[
        str | None, typer.Option(help="Only listings stored from this marketplace.", metavar="NAME")
    ] = None,
) -> None:
    """Re-score stored listings against the registry, so a new asset finds old listings.

    Findings keep their id, review status and evidence; flagged ones without sealed
    evidence are listed with the crawl that would capture it.
    """
    with Progress(
        TextColumn("[bold]rescanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("listings · {task.fields[new]} new findings"),
        TimeElapsedColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task("rescan", total=None, new=0)

        def progress(step: RescanProgress) -> None:
            for problem in step.problems:
                bar.console.print(plain(f"{step.listing_id}: {problem}", 500), soft_wrap=True)
            bar.update(task, completed=step.done, total=step.total, new=step.new_findings)

        result = rescan_listings(state(ctx).workspace(), asset or [], marketplace, progress)
    console.print(_summary_table(result))
    if result.image_problems:
        console.print(
            f"{result.image_problems} stored image(s) could not be decoded; those listings were "
            "scored on their other images and text",
            markup=False,
            highlight=False,
        )
    if result.without_evidence:
        _print_without_evidence(result.without_evidence)


def _summary_table(result: RescanResult) -> Table:
    where = f" from {result.marketplace}" if result.marketplace else ""
    table = Table(
        title=f"rescanned {result.listings} stored listing(s){where}: "
        f"{result.new_findings} new finding(s)"
    )
    for column in ("asset", "findings", "new", "flagged", "new flagged"):
        table.add_column(column, justify="left" if column == "asset" else "right")
    for asset_id in sorted(result.tallies):
        tally = result.tallies[asset_id]
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

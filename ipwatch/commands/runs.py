"""``ipwatch runs``: the crawl runs and their counters."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ipwatch.commands.common import state
from ipwatch.commands.crawl import run_summary
from ipwatch.commands.output import CsvOption, JsonOption, emit, to_json_line, wants_machine
from ipwatch.console import console, plain
from ipwatch.services import run_states
from ipwatch.services.runs import list_runs, show_run

if TYPE_CHECKING:
    from ipwatch.services.run_states import RunDiff
    from ipwatch.services.workspace import Workspace

app = typer.Typer(help="Crawl runs and their counters.", no_args_is_help=True)

CSV_COLUMNS = (
    "id",
    "marketplace",
    "trigger",
    "started",
    "finished",
    "status",
    "counters",
    "resumed_from",
)
DIFF_COLUMNS = ("listing_id", "state", "run_id", "reason", "flagged", "title", "url")


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[
        int, typer.Option(min=1, max=1000, help="At most this many.", metavar="N")
    ] = 20,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List recent crawl runs, newest first."""
    runs = list_runs(state(ctx).workspace(), limit=limit)
    if wants_machine(as_json, as_csv):
        emit(runs, CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(runs)} run(s)")
    for column in ("run", "marketplace", "trigger", "started", "status", "counters"):
        table.add_column(column, overflow="fold")
    for run in runs:
        counters = ", ".join(f"{key}={value}" for key, value in sorted(run.counters.items()))
        table.add_row(
            plain(run.id),
            plain(run.marketplace),
            plain(run.trigger),
            run.started.isoformat(timespec="seconds"),
            plain(run.status),
            plain(counters, 1000),
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="A run id from `runs list`.", metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one crawl run: trigger, times, outcome, every counter and its listing states."""
    workspace = state(ctx).workspace()
    run = show_run(workspace, run_id)
    states = run_states.state_counts(workspace, run.id)
    if as_json:
        typer.echo(to_json_line({**dataclasses.asdict(run), "states": states}, indent=2))
        return
    console.print(run_summary(run))
    console.print("listing states: " + ", ".join(f"{k}={v}" for k, v in states.items()))


def diff_rows(workspace: Workspace, diff: RunDiff) -> list[dict[str, Any]]:
    """One row per listing new, changed, gone or reappeared, with its new flagged findings (a
    listing whose only news is a new flagged finding has state ``unchanged``)."""
    flagged: dict[str, list[str]] = {}
    for finding in diff.flagged:
        flagged.setdefault(finding.listing_id, []).append(
            run_states.finding_link(workspace, finding.id)
        )
    rows = [
        {**dataclasses.asdict(row), "flagged": " ".join(flagged.pop(row.listing_id, []))}
        for row in diff.listings
    ]
    titles = {f.listing_id: (f.title, f.url) for f in diff.flagged}
    for listing_id, links in sorted(flagged.items()):
        title, url = titles[listing_id]
        rows.append(
            {
                "listing_id": listing_id,
                "state": "unchanged",
                "run_id": diff.run.id,
                "reason": "",
                "flagged": " ".join(links),
                "title": title,
                "url": url,
            }
        )
    return rows


@app.command("diff")
def diff(
    ctx: typer.Context,
    run_id: Annotated[
        str | None,
        typer.Argument(help="A run id from `runs list` (default: the latest run).", metavar="RUN"),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="An earlier run of the same marketplace (default: the run before RUN).",
            metavar="RUN",
        ),
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List listings new, changed, gone or reappeared since the previous run, and new flags."""
    workspace = state(ctx).workspace()
    found = run_states.run_diff(workspace, run_id, against)
    rows = diff_rows(workspace, found)
    if wants_machine(as_json, as_csv):
        emit(rows, DIFF_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    since = found.against.id if found.against else "the first run"
    counts = ", ".join(f"{k} {v}" for k, v in found.counts().items())
    table = Table(title=f"{found.run.id} since {since}: {counts}, flagged {len(found.flagged)}")
    for column in ("listing", "state", "reason", "new flagged findings", "title", "url"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            plain(row["listing_id"]),
            plain(row["state"]),
            plain(row["reason"]),
            plain(row["flagged"], 1000),
            plain(row["title"]),
            plain(row["url"], 500),
        )
    console.print(table)


@app.command("summary")
def summary(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="A run id from `runs list`.", metavar="RUN")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The morning summary of a run: counts, new flagged findings, gone and reappeared."""
    data = run_states.run_summary(state(ctx).workspace(), run_id)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console.print(summary_text(data), markup=False, highlight=False)


def summary_text(data: dict[str, Any]) -> str:
    """The summary as plain text; listing text is hostile, so control characters are dropped."""

    def clean(value: object, limit: int = 200) -> str:
        return " ".join(plain(value, limit).plain.split())  # one line: no forged lines

    counts = data["counts"]
    lines = [
        f"ipwatch run {clean(data['run_id'])} on {clean(data['marketplace'])}: "
        f"{clean(data['status'])}"
        + ("" if data["complete"] else " (incomplete: nothing declared gone by absence)"),
        f"  {counts['listings']} listings: {counts['new']} new, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged, {counts['gone']} gone, "
        f"{counts['reappeared']} reappeared",
        f"  {len(data['new_flagged'])} new flagged finding(s), {counts['errors']} error(s)",
    ]
    for finding in data["new_flagged"]:
        lines.append(
            f"  - flagged {finding['risk']:.2f} {clean(finding['title'], 120)} "
            f"({clean(finding['asset_id'])}): {clean(finding['link'], 500)}"
        )
    for key in ("gone", "reappeared"):
        for row in data[key]:
            why = f" ({clean(row['reason'])})" if row["reason"] else ""
            lines.append(f"  - {key}{why}: {clean(row['title'], 120)} {clean(row['url'], 500)}")
    return "\n".join(lines)

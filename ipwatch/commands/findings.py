"""``ipwatch findings``: what the detector flagged, highest risk first, why, and the decisions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.commands.output import CsvOption, JsonOption, emit, to_json_line, wants_machine
from ipwatch.console import console, plain
from ipwatch.services.findings import list_findings, show_finding
from ipwatch.services.review import REVIEW_STATUSES, ReviewRequest, review_findings
from model import FindingQuery, FindingStatus

if TYPE_CHECKING:
    from ipwatch.services.errors import ServiceError
    from ipwatch.services.review import ReviewOutcome
    from model import FindingRecord

app = typer.Typer(help="List, inspect and review findings.", no_args_is_help=True)

CSV_COLUMNS = (
    "id",
    "risk",
    "flagged",
    "status",
    "asset_id",
    "owner",
    "marketplace",
    "listing_id",
    "title",
    "url",
    "seller_id",
    "seller_name",
    "registration_number",
    "snapshot_ids",
    "created",
    "updated",
    "revision",
)


def findings_table(findings: list[FindingRecord], title: str, width: int) -> Table:
    """One line per finding fitted to ``width`` columns: risk, id, title (cut), seller, asset."""
    seller_width = max(8, min(20, width // 6))
    asset_width = max(10, min(24, width // 5))
    fixed = 4 + 18 + seller_width + asset_width + 2 * 4  # four gaps of two spaces
    table = Table(title=title, box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("risk", width=4, no_wrap=True)
    table.add_column("finding", width=18, no_wrap=True)
    table.add_column("title", width=max(8, width - fixed), no_wrap=True, overflow="ellipsis")
    table.add_column("seller", width=seller_width, no_wrap=True, overflow="ellipsis")
    table.add_column("asset", width=asset_width, no_wrap=True, overflow="ellipsis")
    for finding in findings:
        table.add_row(
            f"{finding.risk:.2f}",
            plain(finding.id),
            plain(" ".join(finding.title.split()), 300),
            plain(finding.seller_name or finding.seller_id or "—"),
            plain(finding.asset_id),
        )
    return table


@app.command("list")
def list_(
    ctx: typer.Context,
    asset: Annotated[
        str | None, typer.Option(help="Only findings for this asset id.", metavar="ID")
    ] = None,
    seller: Annotated[
        str | None, typer.Option(help="Only this seller (id or name).", metavar="SELLER")
    ] = None,
    marketplace: Annotated[
        str | None, typer.Option(help="Only this marketplace.", metavar="NAME")
    ] = None,
    status: Annotated[FindingStatus | None, typer.Option(help="Only this status.")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include findings below the flag threshold.")
    ] = False,
    limit: Annotated[
        int, typer.Option(min=1, max=10_000, help="At most this many.", metavar="N")
    ] = 50,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List findings sorted by risk, highest first; `findings show ID` tells the rest."""
    query = FindingQuery(
        asset_id=asset,
        seller=seller,
        marketplace=marketplace,
        status=status,
        flagged_only=not all_,
        limit=limit,
    )
    st = state(ctx)
    findings = list_findings(st.workspace(), query, st.principal())
    if wants_machine(as_json, as_csv):
        emit(findings, CSV_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    console.print(findings_table(findings, f"{len(findings)} finding(s)", console.width))


@app.command("show")
def show(
    ctx: typer.Context,
    finding_id: Annotated[
        str, typer.Argument(help="A finding id from `findings list`.", metavar="ID")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one finding: every signal with its explanation, the listing, evidence, history."""
    st = state(ctx)
    detail = show_finding(st.workspace(), finding_id, st.principal())
    finding = detail.finding
    if as_json:
        typer.echo(to_json_line({**finding.to_dict(), "history": detail.events}, indent=2))
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("finding", finding.id),
        ("status", f"{finding.status.value} (revision {finding.revision})"),
        ("risk", f"{finding.risk:.2f} ({'flagged' if finding.flagged else 'below threshold'})"),
        ("asset", f"{finding.asset_id} ({finding.registration_number or 'no registration'})"),
        ("owner", finding.owner),
        ("marketplace", finding.marketplace),
        ("listing", f"{finding.title}\n{finding.url}"),
        ("seller", f"{finding.seller_name or ''} ({finding.seller_id or 'no id'})"),
        ("evidence", ", ".join(finding.snapshot_ids) or "none sealed"),
    ]
    for name, value in rows:
        table.add_row(name, plain(value, 2000))
    console.print(table)
    signals = Table(title="signals")
    for column in ("kind", "score", "why"):
        signals.add_column(column, overflow="fold")
    for signal in finding.signals:
        signals.add_row(
            plain(signal.get("kind")),
            f"{float(signal.get('score', 0)):.2f}",
            plain(signal.get("detail"), 2000),
        )
    console.print(signals)
    history = Table(title=f"history: {len(detail.events)} decision(s)")
    for column in ("when (UTC)", "who", "from", "to", "why"):
        history.add_column(column, overflow="fold")
    for event in detail.events:
        history.add_row(
            event.at.isoformat(timespec="seconds"),
            plain(event.actor),
            event.from_status.value,
            event.to_status.value,
            plain(event.reason, 2000),
        )
    console.print(history)


def _ids_from_file(path: Path) -> list[str]:
    """One finding id per line; blank lines and ``#`` comments skipped; ``-`` is stdin."""
    import sys

    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read finding ids from {path}: {exc}") from None
    ids = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [finding_id for finding_id in ids if finding_id]


@app.command("review")
def review(
    ctx: typer.Context,
    finding_ids: Annotated[
        list[str] | None, typer.Argument(help="Finding ids (F-...).", metavar="ID")
    ] = None,
    status: Annotated[
        FindingStatus,
        typer.Option(
            help="The decision.",
            metavar="[" + "|".join(s.value for s in REVIEW_STATUSES) + "]",
        ),
    ] = FindingStatus.IN_REVIEW,
    reason: Annotated[
        str, typer.Option(help="Why: kept with the decision and in custody.", metavar="TEXT")
    ] = "",
    revision: Annotated[
        str | None,
        typer.Option(
            help="The revision you decided on (from `findings show`); refused if it changed.",
            metavar="REV",
        ),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file",
            help="Read finding ids from FILE, one per line (- = stdin).",
            metavar="FILE",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a review decision on findings; each is compare-and-set and signed in custody.

    Several ids (or --from-file) apply the same decision to each; one refused does not stop
    the others, and the exit code is 1 if any was refused.
    """
    ids = [*(finding_ids or []), *(_ids_from_file(from_file) if from_file else [])]
    if not ids:
        raise UserError("name at least one finding id, or --from-file FILE")
    if revision is not None and len(ids) > 1:
        raise UserError("--revision applies to one finding; review the others without it")
    st = state(ctx)
    requests = [ReviewRequest(fid, status, reason, revision) for fid in dict.fromkeys(ids)]

    def report(result: ReviewOutcome | tuple[str, ServiceError]) -> None:
        if isinstance(result, tuple):
            finding_id, error = result
            if as_json:
                typer.echo(to_json_line({"finding_id": finding_id, "error": str(error)}))
            else:
                console.print(
                    f"[bold red]refused[/] {plain(finding_id)}: {plain(error, 2000)}",
                    soft_wrap=True,
                )
            return
        if as_json:
            typer.echo(to_json_line(result))
            return
        what = (
            f"{result.from_status.value} -> {result.to_status.value} (revision "
            f"{result.revision}; {result.custody_events} custody event(s))"
            if result.changed
            else f"already {result.to_status.value}; nothing recorded"
        )
        console.print(plain(f"{result.finding_id}: {what}", 2000), soft_wrap=True)

    batch = review_findings(st.workspace(), requests, st.principal(), progress=report)
    if not as_json:
        console.print(
            f"{len(batch.outcomes)} reviewed, {len(batch.refused)} refused", highlight=False
        )
    if not batch.ok:
        raise typer.Exit(1)

"""``ipwatch findings``: what the detector flagged, highest risk first, and why."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.console import console, plain
from model import FindingQuery, FindingStatus

if TYPE_CHECKING:
    from model import FindingRecord

app = typer.Typer(help="List and inspect findings.", no_args_is_help=True)


def reasons(finding: FindingRecord, limit: int = 2) -> str:
    details = [str(signal.get("detail", "")) for signal in finding.signals]
    return " ".join(details[:limit]) + (" …" if len(details) > limit else "")


def findings_table(findings: list[FindingRecord], title: str) -> Table:
    table = Table(title=title, show_lines=True)
    for column, style in (
        ("risk", "bold"),
        ("finding", ""),
        ("asset", ""),
        ("listing", ""),
        ("seller", ""),
        ("why", ""),
        ("evidence", "cyan"),
    ):
        table.add_column(column, style=style or None, overflow="fold")
    for finding in findings:
        table.add_row(
            f"{finding.risk:.2f}",
            plain(finding.id),
            plain(finding.asset_id),
            plain(f"{finding.title}\n{finding.url}", 300),
            plain(finding.seller_name or finding.seller_id),
            plain(reasons(finding), 400),
            plain(finding.snapshot_ids[-1] if finding.snapshot_ids else "—"),
        )
    return table


def listings_table(findings: list[FindingRecord]) -> Table:
    """One row per flagged listing: riskiest finding first, every asset it hits, its evidence."""
    by_listing: dict[str, list[FindingRecord]] = {}
    for finding in sorted(findings, key=lambda f: (-f.risk, f.id)):
        by_listing.setdefault(finding.listing_id, []).append(finding)
    table = Table(title=f"{len(by_listing)} flagged listing(s)", show_lines=True, expand=True)
    table.add_column("risk", style="bold", width=4)
    table.add_column("listing", ratio=3, overflow="fold")
    table.add_column("seller", ratio=1, overflow="fold")
    table.add_column("assets", ratio=1, overflow="fold")
    table.add_column("why", ratio=4, overflow="fold")
    table.add_column("evidence", style="cyan", min_width=22, no_wrap=True)
    for group in by_listing.values():
        top = group[0]
        table.add_row(
            f"{top.risk:.2f}",
            plain(f"{top.title}\n{top.url}", 300),
            plain(top.seller_name or top.seller_id),
            plain(", ".join(f.asset_id for f in group), 300),
            plain(reasons(top, limit=1), 300),
            plain(top.snapshot_ids[-1] if top.snapshot_ids else "—"),
        )
    return table


def to_json(record: FindingRecord, indent: int | None = None) -> str:
    return json.dumps(record.to_dict(), default=str, ensure_ascii=False, indent=indent)


@app.command("list")
def list_(
    ctx: typer.Context,
    asset: Annotated[str | None, typer.Option(help="Only findings for this asset id.")] = None,
    seller: Annotated[str | None, typer.Option(help="Only this seller (id or name).")] = None,
    marketplace: Annotated[str | None, typer.Option(help="Only this marketplace.")] = None,
    status: Annotated[FindingStatus | None, typer.Option(help="Only this status.")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include findings below the flag threshold.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List findings sorted by risk, highest first."""
    query = FindingQuery(
        asset_id=asset,
        seller=seller,
        marketplace=marketplace,
        status=status,
        flagged_only=not all_,
        limit=limit,
    )
    findings = state(ctx).workspace().index.list_findings(query)
    if as_json:
        for finding in findings:
            typer.echo(to_json(finding))
        return
    console.print(findings_table(findings, f"{len(findings)} finding(s)"))


@app.command("show")
def show(
    ctx: typer.Context,
    finding_id: Annotated[str, typer.Argument(help="A finding id from `findings list`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one finding: every signal with its explanation, the listing, the evidence."""
    workspace = state(ctx).workspace()
    finding = workspace.index.get_finding(finding_id)
    if finding is None:
        raise UserError(f"no finding {finding_id!r}; `ipwatch findings list` shows the ids")
    if as_json:
        typer.echo(to_json(finding, indent=2))
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        ("finding", finding.id),
        ("status", finding.status.value),
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

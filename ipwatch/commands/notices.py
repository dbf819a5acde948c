"""``ipwatch notices``: takedown notices from confirmed findings, their files and outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.commands.output import CsvOption, JsonOption, emit, to_json_line, wants_machine
from ipwatch.console import console, plain
from ipwatch.services.notice_states import allowed_next, mark_notice
from ipwatch.services.notices import (
    NOTICE_COLUMNS,
    NoticeRequest,
    create_notices,
    get_notice,
    list_notices,
    notice_files,
    notice_formats,
)
from model.notices import NoticeQuery, NoticeState

app = typer.Typer(
    help="Takedown notices: create them from confirmed findings, export, record outcomes.",
    no_args_is_help=True,
)


@app.command("create")
def create(
    ctx: typer.Context,
    finding_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Confirmed finding ids. Default: every confirmed one.", metavar="ID"),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this rights holder.")] = None,
    marketplace: Annotated[str | None, typer.Option(help="Only this marketplace.")] = None,
    template: Annotated[
        str | None,
        typer.Option(
            help="A format (`notices formats`). Default: the marketplace's, else generic."
        ),
    ] = None,
    wacz_dir: Annotated[
        Path | None,
        typer.Option(help="Also export each notice's snapshots as one WACZ into this folder."),
    ] = None,
) -> None:
    """Draft one notice per marketplace and rights holder from confirmed findings only."""
    st = state(ctx)
    if wacz_dir is not None and not wacz_dir.is_dir():
        raise UserError(f"--wacz-dir {wacz_dir} is not a folder")
    request = NoticeRequest(tuple(finding_ids or ()), owner, marketplace, template, wacz_dir)
    made = create_notices(st.workspace(), request, st.principal())
    for notice in made:
        typer.echo(
            f"{notice.id}  draft  {plain(notice.owner)} -> {plain(notice.marketplace)}  "
            f"{len(notice.finding_ids)} listing(s)  {notice.template}  sha256 {notice.sha256}"
        )
    typer.echo(
        "export with `ipwatch notices export ID --out DIR`; after filing it, "
        "`ipwatch notices mark ID sent`"
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    state_: Annotated[
        NoticeState | None, typer.Option("--state", help="Only notices in this state.")
    ] = None,
    marketplace: Annotated[str | None, typer.Option(help="Only this marketplace.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this rights holder.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many.")] = 100,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List notices, newest first."""
    st = state(ctx)
    query = NoticeQuery(
        owners=None if owner is None else (owner,),
        state=state_,
        marketplace=marketplace,
        limit=limit,
    )
    notices = list_notices(st.workspace(), query, st.principal())
    if wants_machine(as_json, as_csv):
        emit(notices, NOTICE_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(notices)} notice(s)", box=None, header_style="bold")
    for column in ("notice", "state", "owner", "marketplace", "listings", "format", "created"):
        table.add_column(column, overflow="fold")
    for n in notices:
        table.add_row(
            n.id,
            n.state.value,
            plain(n.owner),
            plain(n.marketplace),
            str(len(n.finding_ids)),
            plain(n.template),
            n.created.isoformat(timespec="seconds"),
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    notice_id: Annotated[str, typer.Argument(help="A notice id (N-...).", metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One notice: its findings, evidence, files with their SHA-256 and its state history."""
    st = state(ctx)
    detail = get_notice(st.workspace(), notice_id, st.principal())
    n = detail.notice
    if as_json:
        typer.echo(to_json_line({**n.to_dict(), "history": detail.events}, indent=2))
        return
    nexts = ", ".join(s.value for s in allowed_next(n.state)) or "none (final)"
    console.print(f"[bold]{n.id}[/]  {n.state.value}  (revision {n.revision}; next: {nexts})")
    console.print(f"{plain(n.owner)} -> {plain(n.marketplace)}, format {plain(n.template)}")
    console.print(f"sha256 {n.sha256}")
    for fid, url in zip(n.finding_ids, n.urls, strict=False):
        console.print(f"  {fid}  {plain(url, 300)}")
    for e in n.evidence:
        console.print(f"  evidence {e['snapshot_id']} manifest {e['manifest_sha256']}")
    for f in n.files:
        console.print(f"  file {plain(f.name)}  {f.size} bytes  sha256 {f.sha256}")
    for event in detail.events:
        console.print(
            f"  {event.at.isoformat(timespec='seconds')}  {plain(event.actor)}: "
            f"{event.from_state.value} -> {event.to_state.value}"
            + (f" ({plain(event.reason)})" if event.reason else "")
        )


@app.command("export")
def export(
    ctx: typer.Context,
    notice_id: Annotated[str, typer.Argument(help="A notice id (N-...).", metavar="ID")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the files into.")],
) -> None:
    """Write the notice's files (checked against their SHA-256) to upload or paste."""
    st = state(ctx)
    files = notice_files(st.workspace(), notice_id, st.principal())
    out.mkdir(parents=True, exist_ok=True)
    for f, data in files:
        path = out / Path(f.name).name  # names are ours, but never leave the folder
        if path.exists():
            raise UserError(f"{path} already exists; choose another --out")
        path.write_bytes(data)
        typer.echo(f"wrote {path}  sha256 {f.sha256}")


@app.command("mark")
def mark(
    ctx: typer.Context,
    notice_id: Annotated[str, typer.Argument(help="A notice id (N-...).", metavar="ID")],
    new_state: Annotated[NoticeState, typer.Argument(help="The new state.", metavar="STATE")],
    reason: Annotated[
        str,
        typer.Option(
            help="Why (the marketplace's answer); needed for rejected, "
            "counter_notice and reinstated."
        ),
    ] = "",
    revision: Annotated[
        str | None, typer.Option(help="Refuse if the notice changed since this revision.")
    ] = None,
) -> None:
    """Record an outcome: sent, acknowledged, removed, rejected, counter_notice, reinstated."""
    st = state(ctx)
    result = mark_notice(
        st.workspace(), notice_id, new_state.value, reason, st.principal(), revision
    )
    e = result.event
    typer.echo(f"{result.notice.id}: {e.from_state.value} -> {e.to_state.value}")
    for outcome in result.findings:
        typer.echo(
            f"  {outcome.finding_id}: {outcome.from_status.value} -> {outcome.to_status.value}"
        )
    for fid in result.unchanged:
        typer.echo(f"  {fid}: unchanged")
    for fid, why in result.refused:
        typer.echo(f"  {fid}: refused: {why}", err=True)
    if result.refused:
        raise typer.Exit(1)


@app.command("formats")
def formats(ctx: typer.Context) -> None:
    """The notice formats: built-in ones and those in the data folder's notice-templates/."""
    found = notice_formats(state(ctx).workspace())
    for name, fmt in sorted(found.items()):
        where = ", ".join(fmt.marketplaces) or "any marketplace"
        limit = f", {fmt.per_file} listings per file" if fmt.per_file else ""
        typer.echo(f"{name}: {fmt.title} ({fmt.output}; {where}{limit})")


@app.command("check")
def check(
    ctx: typer.Context,
    allow_private_host: Annotated[
        list[str] | None,
        typer.Option(help="A private HOST or HOST:PORT the listings may be on (repeatable)."),
    ] = None,
) -> None:
    """Ask each listing of the sent/acknowledged notices: HTTP 404/410 marks it removed, a
    notice whose every listing is gone is marked removed, and one still up
    `notices.escalate_after_days` after sending is listed as overdue (webhook notice.overdue)."""
    from ipwatch.services.notice_checks import check_noticed

    st = state(ctx)
    result = check_noticed(st.workspace(), st.principal(), allow_private_host or [])
    for fid, url, status in result.gone:
        typer.echo(f"{fid}: gone (HTTP {status}) {plain(url, 300)}")
    for fid, why in result.problems:
        typer.echo(f"{fid}: not checked: {why}", err=True)
    for nid in result.notices_removed:
        typer.echo(f"{nid}: removed")
    for late in result.overdue:
        typer.echo(
            f"{late.notice_id}: overdue: sent {late.days} day(s) ago to {plain(late.marketplace)}, "
            f"{len(late.finding_ids)} listing(s) still up"
        )
    typer.echo(
        f"{result.checked} listing(s) checked: {len(result.gone)} gone, "
        f"{len(result.still_there)} still there, {len(result.problems)} not checked, "
        f"{len(result.overdue)} notice(s) overdue"
    )

"""``ipwatch evidence``: verify sealed evidence, bundle it, timestamp it, show its custody."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from evidence.seal.custody import parse_event
from evidence.timestamp import load_certificates
from evidence.verify.checkpoint import TOKEN_SUFFIX
from ipwatch.commands.common import UserError, state
from ipwatch.commands.output import CsvOption, JsonOption, emit, wants_machine
from ipwatch.console import console, err_console, plain
from ipwatch.services.checkpoint import write_checkpoint
from ipwatch.services.evidence import (
    PublishedCheckpoint,
    bundle_snapshot,
    custody_lines,
    is_package_path,
    timestamp_snapshots,
    verify_home,
    verify_package,
)

if TYPE_CHECKING:
    from ipwatch.services.evidence import VerifyResult

app = typer.Typer(
    help="Verify, bundle, export and timestamp sealed evidence.", no_args_is_help=True
)

STATUS_STYLE = {"passed": "green", "failed": "bold red", "not_checked": "yellow"}
MAX_KEY_FILE = 64 * 1024
CHECK_COLUMNS = ("snapshot_id", "name", "status", "detail")
CUSTODY_COLUMNS = ("snapshot_id", "seq", "at", "operator", "action", "detail", "key_id")


def _read_small(path: Path, what: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise UserError(f"cannot read the {what} {path}: {exc.strerror}") from None
    if len(data) > MAX_KEY_FILE:
        raise UserError(f"{path} is too large to be a {what}")
    return data


def _published(path: Path | None) -> PublishedCheckpoint | None:
    """The checkpoint file and the RFC 3161 token beside it (FILE.tsr), when there is one."""
    if path is None:
        return None
    token_path = path.with_name(path.name + TOKEN_SUFFIX)
    token = _read_small(token_path, "timestamp token") if token_path.is_file() else None
    return PublishedCheckpoint(path.name, _read_small(path, "checkpoint"), token)


CheckpointOption = Annotated[
    Path | None,
    typer.Option(
        "--checkpoint",
        help="A checkpoint published earlier (`ipwatch evidence checkpoint --out FILE`). Verify "
        "proves the log still extends it (a smaller or rewritten log fails: rollback or fork); "
        "a token FILE.tsr beside it is checked too.",
        metavar="FILE",
    ),
]


def _print_result(result: VerifyResult, verbose: bool) -> None:
    table = Table(title="evidence verification")
    for column in ("snapshot", "check", "status", "detail"):
        table.add_column(column, overflow="fold")
    for report in result.every_report:
        for check in report.checks:
            if verbose or check.status != "passed":
                style = STATUS_STYLE.get(check.status, "")
                table.add_row(
                    plain(report.snapshot_id),
                    plain(check.name),
                    f"[{style}]{check.status}[/]",
                    plain(check.detail, 2000),
                )
    if table.row_count:
        console.print(table)
    summary = (
        f"{result.verified} of {len(result.reports)} snapshot(s) verified; "
        f"{result.failed_checks} failed check(s)"
    )
    if result.package is not None:
        summary = f"package {'failed' if result.package.failed else 'checked'}; {summary}"
    console.print(summary)
    for note in result.notes:
        err_console.print("note:", plain(note, 2000))


def _check_rows(result: VerifyResult) -> list[dict[str, str]]:
    return [
        {"snapshot_id": r.snapshot_id, "name": c.name, "status": c.status, "detail": c.detail}
        for r in result.every_report
        for c in r.checks
    ]


@app.command("verify")
def verify(
    ctx: typer.Context,
    target: Annotated[
        str | None,
        typer.Argument(
            help="A snapshot id (S-...), a bundle folder or .zip, or a .wacz export. "
            "Default: every snapshot.",
            metavar="TARGET",
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="The sealing organisation's published public key (PEM). Default: the "
            "workspace key, or for a bundle its own key (reported as such).",
            metavar="FILE",
        ),
    ] = None,
    tsa_ca: Annotated[
        list[Path] | None,
        typer.Option(
            "--tsa-ca",
            help="TSA root certificate(s) to check timestamp signatures against. Default: "
            "timestamp.ca_files from ipwatch.yaml; without any the chain is not checked.",
            metavar="FILE",
        ),
    ] = None,
    checkpoint: CheckpointOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show passed checks too.")
    ] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Recompute every hash and check the signature, log inclusion, timestamp and custody.

    Without TARGET the whole data folder: every snapshot the signed log names, and each
    finding's status against its signed review decisions.

    Each check is passed, failed or not checked. Exits 0 only when nothing that was checked
    failed; 1 otherwise. A bundle is verified offline, without any ipwatch home. --json and
    --csv print every check, one per row.
    """
    machine = wants_machine(as_json, as_csv)
    key = _read_small(public_key, "public key") if public_key else None
    roots = [c for p in tsa_ca or [] for c in load_certificates([_read_small(p, "certificate")])]
    published = _published(checkpoint)
    if target is not None and is_package_path(target):
        result = verify_package(target, key, roots, published)
    else:
        st = state(ctx)
        result = verify_home(st.workspace(), target, st.operator_name(), key, roots, published)
    if machine:
        emit(_check_rows(result), CHECK_COLUMNS, as_json=as_json, as_csv=as_csv)
    else:
        _print_result(result, verbose)
    if not result.ok:
        raise typer.Exit(1)


@app.command("bundle")
def bundle(
    ctx: typer.Context,
    snapshot_id: Annotated[str, typer.Argument(help="A snapshot id (S-...).", metavar="ID")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="A new folder, or a file ending in .zip.", metavar="PATH"),
    ],
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="Carry this published checkpoint (the log must extend it) instead of a fresh "
            "one, so the bundle proves offline that the snapshot is in it.",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Write a self-contained bundle that verifies offline with the public key alone."""
    st = state(ctx)
    published = _read_small(checkpoint, "checkpoint") if checkpoint else None
    made = bundle_snapshot(st.workspace(), snapshot_id, out, st.operator_name(), published)
    for note in made.notes:
        err_console.print("note:", plain(note, 2000))
    typer.echo(f"wrote {out}")
    typer.echo(f"verify it with: ipwatch evidence verify {out} --public-key <published key>")


@app.command("checkpoint")
def checkpoint_command(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write it to this new file (default: print it).", metavar="FILE"
        ),
    ] = None,
    timestamp: Annotated[
        bool,
        typer.Option(
            "--timestamp",
            help="Also get an RFC 3161 token over it from the configured TSA, kept as FILE.tsr.",
        ),
    ] = False,
) -> None:
    """Print or write the log's current signed checkpoint (C2SP tlog-checkpoint note).

    Publish it outside this workspace (mail it, give it to a witness, timestamp it): later,
    `ipwatch evidence verify --checkpoint FILE` proves the log still holds everything it did.
    """
    result = write_checkpoint(state(ctx).workspace(), out, timestamp=timestamp)
    if out is None:
        typer.echo(result.note.decode("utf-8"), nl=False)
        return
    typer.echo(f"wrote {out} (log size {result.size})")
    typer.echo(f"verifier key, for witnesses: {result.verifier_key}")
    if result.token is not None:
        typer.echo(f"RFC 3161 token: {out.with_name(out.name + TOKEN_SUFFIX)}")


@app.command("custody")
def custody(
    ctx: typer.Context,
    snapshot_id: Annotated[str, typer.Argument(help="A snapshot id (S-...).", metavar="ID")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON event per line, as signed.")
    ] = False,
    as_csv: CsvOption = False,
) -> None:
    """List the snapshot's chain-of-custody events: who did what, when."""
    machine = wants_machine(as_json, as_csv)
    lines = custody_lines(state(ctx).workspace(), snapshot_id)
    if as_json:  # the signed bytes themselves, so they can be checked
        for line in lines:
            typer.echo(line.decode("utf-8", errors="replace"))
        return
    events = [parse_event(line) for line in lines]
    if machine:
        rows = [
            e if not isinstance(e, str) else {"snapshot_id": snapshot_id, "detail": e}
            for e in events
        ]
        emit(rows, CUSTODY_COLUMNS, as_json=False, as_csv=True)
        return
    table = Table(title=f"custody of {plain(snapshot_id)}: {len(lines)} event(s)")
    for column in ("#", "when (UTC)", "operator", "action", "detail"):
        table.add_column(column, overflow="fold")
    for event in events:
        if isinstance(event, str):
            table.add_row("?", "", "", "[bold red]damaged[/]", plain(event))
            continue
        table.add_row(
            str(event.seq),
            event.at,
            plain(event.operator),
            plain(event.action),
            plain(event.detail),
        )
    console.print(table)


@app.command("timestamp")
def timestamp(
    ctx: typer.Context,
    snapshot_id: Annotated[
        str | None,
        typer.Argument(
            help="A snapshot id. Default: every snapshot without a token.", metavar="ID"
        ),
    ] = None,
) -> None:
    """Get RFC 3161 tokens the TSA could not give at seal time (uses `timestamp:` settings)."""
    st = state(ctx)
    result = timestamp_snapshots(st.workspace(), snapshot_id, st.operator_name())
    for sid, error in result.failed:
        console.print(f"{plain(sid)}: [bold red]failed[/] {plain(error)}")
    typer.echo(f"{len(result.obtained)} timestamp(s) obtained, {len(result.failed)} failed")
    if result.failed:
        raise typer.Exit(1)


@app.command("export")
def export(
    ctx: typer.Context,
    snapshot_ids: Annotated[
        list[str] | None,
        typer.Argument(help="Snapshot ids (S-...); several make one case.", metavar="ID"),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="The new .wacz file; the report goes beside it.",
            metavar="FILE",
        ),
    ] = Path("evidence.export.wacz"),
    finding: Annotated[
        str | None,
        typer.Option("--finding", help="Add the snapshots of this finding.", metavar="ID"),
    ] = None,
    asset: Annotated[
        str | None,
        typer.Option(
            "--asset", help="Add the snapshots of every finding of an asset.", metavar="ID"
        ),
    ] = None,
    seller: Annotated[
        str | None,
        typer.Option(
            "--seller", help="Add the snapshots of a seller's findings.", metavar="SELLER"
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="Print the report to PDF with Chromium.")
    ] = True,
) -> None:
    """Export sealed snapshots as one WACZ (replays in ReplayWeb.page) plus an HTML/PDF report.

    The WACZ carries each snapshot's WARC, index and page, and everything `evidence verify`
    needs (manifest, seal record, timestamp, custody, public key); datapackage.json lists every
    file's sha256 and its digest is signed with the workspace's Ed25519 key.
    """
    from evidence.export.report_pdf import ReportPdfError
    from ipwatch.services.export import export_case, select_snapshots

    if out.suffix.lower() != ".wacz":
        raise UserError(f"--out {out} must end in .wacz")
    st = state(ctx)
    workspace = st.workspace()
    try:
        ids = select_snapshots(
            workspace, snapshot_ids or [], finding=finding, asset=asset, seller=seller
        )
        result = export_case(workspace, ids, out, operator=st.operator_name(), pdf=pdf)
    except ReportPdfError as exc:
        raise UserError(str(exc)) from None
    typer.echo(f"wrote {result.wacz} ({len(result.snapshot_ids)} snapshot(s))")
    typer.echo(f"report: {result.html}" + (f" and {result.pdf}" if result.pdf else ""))
    typer.echo(f"verify it with: ipwatch evidence verify {out} --public-key <published key>")

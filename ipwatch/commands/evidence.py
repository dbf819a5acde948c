"""``ipwatch evidence``: verify sealed evidence, bundle it, timestamp it, show its custody."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from evidence.export.bundle import BundleSource, bundle_parts, write_bundle
from evidence.seal.custody import parse_event
from evidence.timestamp import load_certificates
from evidence.verify.home import HomeEvidence, verify_home_all, verify_home_snapshot
from evidence.verify.sealed import verify_sealed
from ipwatch.commands.common import UserError, state
from ipwatch.console import console, plain

if TYPE_CHECKING:
    from cryptography import x509

    from evidence.verify.artifacts import VerificationReport
    from ipwatch.workspace import Workspace

app = typer.Typer(
    help="Verify, bundle, export and timestamp sealed evidence.", no_args_is_help=True
)

STATUS_STYLE = {"passed": "green", "failed": "bold red", "not_checked": "yellow"}
MAX_KEY_FILE = 64 * 1024


def _read_small(path: Path, what: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise UserError(f"cannot read the {what} {path}: {exc.strerror}") from None
    if len(data) > MAX_KEY_FILE:
        raise UserError(f"{path} is too large to be a {what}")
    return data


def home_evidence(
    workspace: Workspace,
    public_key: bytes | None = None,
    tsa_roots: list[x509.Certificate] | None = None,
) -> HomeEvidence:
    """The workspace's stores, checked against ``public_key`` or else the workspace key."""
    label = "the given public key"
    if public_key is None:
        public_key = workspace.public_key_pem()
        label = f"the workspace signing key ({workspace.signing_key_path})"
    roots = tsa_roots or (workspace.config.timestamp.roots() if workspace.config.timestamp else [])
    return HomeEvidence(
        store=workspace.blobs,
        ledger=workspace.ledger,
        log=workspace.translog,
        seals=workspace.seals,
        custody=workspace.custody,
        index=workspace.index,
        public_key=public_key,
        key_label=label,
        tsa_roots=roots,
    )


def _print_reports(
    reports: list[VerificationReport], verbose: bool, *, summary: bool = True
) -> int:
    """Print the table and summary; returns how many checks failed."""
    table = Table(title="evidence verification")
    for column in ("snapshot", "check", "status", "detail"):
        table.add_column(column, overflow="fold")
    failed = 0
    for report in reports:
        for check in report.checks:
            failed += check.status == "failed"
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
    if not summary:
        return failed
    ok = sum(1 for report in reports if report.ok)
    console.print(f"{ok} of {len(reports)} snapshot(s) verified; {failed} failed check(s)")
    return failed if failed or ok == len(reports) else failed + 1


@app.command("verify")
def verify(
    ctx: typer.Context,
    target: Annotated[
        str | None,
        typer.Argument(
            help="A snapshot id (S-...), a bundle folder or .zip, or a .wacz export. "
            "Default: every snapshot."
        ),
    ] = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="The sealing organisation's published public key (PEM). Default: the "
            "workspace key, or for a bundle its own key (reported as such).",
        ),
    ] = None,
    tsa_ca: Annotated[
        list[Path] | None,
        typer.Option(
            "--tsa-ca",
            help="TSA root certificate(s) to check timestamp signatures against. Default: "
            "timestamp.ca_files from ipwatch.yaml; without any the chain is not checked.",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show passed checks too.")
    ] = False,
) -> None:
    """Recompute every hash and check the signature, log inclusion, timestamp and custody.

    Each check is passed, failed or not checked. Exits 0 only when nothing that was checked
    failed; 1 otherwise. A bundle is verified offline, without any ipwatch home.
    """
    key = _read_small(public_key, "public key") if public_key else None
    roots = [c for p in tsa_ca or [] for c in load_certificates([_read_small(p, "certificate")])]
    if target is not None and target.lower().endswith(".wacz"):
        _verify_wacz(Path(target), key, roots, verbose)
        return
    if target is not None and ("/" in target or Path(target).exists()):
        path = Path(target)
        if not path.exists():
            raise UserError(f"no bundle at {path}")
        source = BundleSource(path)
        try:
            report = verify_sealed(
                source, path.name, public_key=key, key_label="the given public key", tsa_roots=roots
            )
        finally:
            source.close()
        if _print_reports([report], verbose):
            raise typer.Exit(1)
        return
    st = state(ctx)
    workspace = st.workspace()
    home = home_evidence(workspace, key, roots)
    reports = [verify_home_snapshot(home, target)] if target else verify_home_all(home)
    failed = _print_reports(reports, verbose)
    _record(workspace, st.operator_name(), reports)
    if failed:
        raise typer.Exit(1)


def _verify_wacz(
    path: Path, key: bytes | None, roots: list[x509.Certificate], verbose: bool
) -> None:
    """A WACZ: the package checks, then each snapshot inside, offline."""
    from evidence.export.bundle import BundleError
    from evidence.verify.wacz import verify_wacz

    if not path.is_file():
        raise UserError(f"no WACZ at {path}")
    try:
        reports = verify_wacz(path, public_key=key, tsa_roots=roots)
    except BundleError as exc:
        raise UserError(str(exc)) from None
    package, snapshots = reports[0], reports[1:]
    failed = _print_reports(reports, verbose, summary=False)
    ok = sum(1 for r in snapshots if r.ok)
    console.print(
        f"package {'failed' if package.failed else 'checked'}; {ok} of {len(snapshots)} "
        f"snapshot(s) verified; {failed} failed check(s)"
    )
    if failed or ok != len(snapshots) or not snapshots:
        raise typer.Exit(1)


def _record(workspace: Workspace, operator: str, reports: list[VerificationReport]) -> None:
    """Each verification of a sealed (version 2) snapshot is a custody event."""
    if not workspace.signing_key_path.exists():
        return
    for report in reports:
        if report.get("seal.record") is None or report.get("seal.record").status != "passed":
            continue
        names = [c.name for c in report.failed]
        detail = "all checks passed" if not names else "failed: " + ", ".join(names)
        workspace.custody.append(
            report.snapshot_id,
            "verified",
            operator=operator,
            signer=workspace.signer,
            detail=detail,
        )


@app.command("bundle")
def bundle(
    ctx: typer.Context,
    snapshot_id: Annotated[str, typer.Argument(help="A snapshot id (S-...).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="A new folder, or a file ending in .zip.")
    ],
) -> None:
    """Write a self-contained bundle that verifies offline with the public key alone."""
    st = state(ctx)
    workspace = st.workspace()
    home = home_evidence(workspace)
    source = home.source(snapshot_id)
    if workspace.seals.raw(snapshot_id) is None:
        raise UserError(
            f"{snapshot_id} has no seal record; `ipwatch evidence verify {snapshot_id}` says why "
            "(snapshots sealed before signing existed cannot be bundled)"
        )
    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise UserError(f"{out} already exists; choose a new path")
    workspace.custody.append(
        snapshot_id,
        "bundled",
        operator=st.operator_name(),
        signer=workspace.signer,
        detail=f"bundle written to {out.name}",
    )
    write_bundle(bundle_parts(source), out, snapshot_id)
    typer.echo(f"wrote {out}")
    typer.echo(f"verify it with: ipwatch evidence verify {out} --public-key <published key>")


@app.command("custody")
def custody(
    ctx: typer.Context,
    snapshot_id: Annotated[str, typer.Argument(help="A snapshot id (S-...).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON event per line.")] = False,
) -> None:
    """List the snapshot's chain-of-custody events: who did what, when."""
    from evidence.seal.custody import mirror_review_events

    workspace = state(ctx).workspace()
    record = workspace.index.get_snapshot(snapshot_id)
    if record is not None and workspace.signing_key_path.exists():
        mirror_review_events(
            workspace.custody, workspace.index, workspace.signer, record.finding_ids
        )
    lines = workspace.custody.lines(snapshot_id)
    if as_json:
        for line in lines:
            typer.echo(line.decode("utf-8", errors="replace"))
        return
    table = Table(title=f"custody of {plain(snapshot_id)}: {len(lines)} event(s)")
    for column in ("#", "when (UTC)", "operator", "action", "detail"):
        table.add_column(column, overflow="fold")
    for line in lines:
        event = parse_event(line)
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
        str | None, typer.Argument(help="A snapshot id. Default: every snapshot without a token.")
    ] = None,
) -> None:
    """Get RFC 3161 tokens the TSA could not give at seal time (uses `timestamp:` settings)."""
    st = state(ctx)
    workspace = st.workspace()
    if workspace.config.timestamp is None:
        raise UserError(
            "no TSA configured; add `timestamp: {url: ..., ca_files: [...]}` to ipwatch.yaml"
        )
    seals, sealer = workspace.seals, workspace.sealer
    ids = [snapshot_id] if snapshot_id else seals.snapshot_ids()
    done = failed = 0
    for sid in ids:
        record = seals.get(sid)
        if record is None:
            raise UserError(f"{sid} has no seal record; nothing to timestamp")
        if seals.token(sid) is not None:
            continue
        if sealer.timestamp(sid, record.manifest_sha256):
            done += 1
            workspace.custody.append(
                sid,
                "timestamped",
                operator=st.operator_name(),
                signer=workspace.signer,
                detail=f"RFC 3161 token from {workspace.config.timestamp.url}",
            )
        else:
            failed += 1
            error = seals.token_error(sid) or {}
            console.print(f"{plain(sid)}: [bold red]failed[/] {plain(error.get('error', ''))}")
    typer.echo(f"{done} timestamp(s) obtained, {failed} failed")
    if failed:
        raise typer.Exit(1)


@app.command("export")
def export(
    ctx: typer.Context,
    snapshot_ids: Annotated[
        list[str] | None, typer.Argument(help="Snapshot ids (S-...); several make one case.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The new .wacz file; the report goes beside it.")
    ] = Path("evidence.export.wacz"),
    finding: Annotated[
        str | None, typer.Option("--finding", help="Add the snapshots of this finding.")
    ] = None,
    asset: Annotated[
        str | None, typer.Option("--asset", help="Add the snapshots of every finding of an asset.")
    ] = None,
    seller: Annotated[
        str | None, typer.Option("--seller", help="Add the snapshots of a seller's findings.")
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
    from ipwatch.evidence_export import ExportError, export_case, select_snapshots

    if out.suffix.lower() != ".wacz":
        raise UserError(f"--out {out} must end in .wacz")
    st = state(ctx)
    workspace = st.workspace()
    try:
        ids = select_snapshots(
            workspace, snapshot_ids or [], finding=finding, asset=asset, seller=seller
        )
        result = export_case(workspace, ids, out, operator=st.operator_name(), pdf=pdf)
    except (ExportError, ReportPdfError) as exc:
        raise UserError(str(exc)) from None
    typer.echo(f"wrote {result.wacz} ({len(result.snapshot_ids)} snapshot(s))")
    typer.echo(f"report: {result.html}" + (f" and {result.pdf}" if result.pdf else ""))
    typer.echo(f"verify it with: ipwatch evidence verify {out} --public-key <published key>")

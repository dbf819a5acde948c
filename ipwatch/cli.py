"""The ``ipwatch`` command: a thin Typer layer over the packages; ``main(argv)`` -> exit code."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from config.logs import configure_logging
from ipwatch import __version__
from ipwatch.commands import (
    assets,
    crawl,
    demo,
    detect,
    evidence,
    extract,
    findings,
    index,
    keys,
    notices,
    profile,
    rescan,
    runs,
    schedule,
    sellers,
    serve,
    users,
    webhooks,
    workers,
)
from ipwatch.commands.common import State, run_command

app = typer.Typer(
    name="ipwatch",
    help="Watch marketplaces for infringing listings and seal court-ready evidence.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(assets.app, name="assets")
app.add_typer(findings.app, name="findings")
app.add_typer(evidence.app, name="evidence")
app.add_typer(runs.app, name="runs")
app.add_typer(index.app, name="index")
app.add_typer(keys.app, name="keys")
app.add_typer(users.app, name="users")
app.add_typer(notices.app, name="notices")
app.add_typer(webhooks.app, name="webhooks")
app.add_typer(sellers.app, name="sellers")
app.add_typer(schedule.app, name="schedule")
app.add_typer(profile.app, name="profile")
app.command("extract")(extract.extract)
app.command("crawl")(crawl.crawl)
app.command("demo")(demo.demo)
app.command("detect")(detect.detect)
app.command("rescan")(rescan.rescan)
app.command("serve")(serve.serve)
app.command("worker")(workers.worker)
app.command("sealer")(workers.sealer)
app.command("detect-worker")(workers.detect_worker)


class LogFormat(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ipwatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            envvar="IPWATCH_HOME",
            help="Data folder (registry, index, evidence). Default: ~/.ipwatch.",
        ),
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option(
            "--operator",
            help="Who is acting, recorded in chain-of-custody events. Default: "
            "$IPWATCH_OPERATOR, else the OS user.",
        ),
    ] = None,
    log_format: Annotated[
        LogFormat,
        typer.Option(
            "--log-format",
            envvar="IPWATCH_LOG_FORMAT",
            help="Logs on stderr as text, or as one JSON object per line (ts, level, logger, "
            "event, run_id, marketplace, listing_id) for a log collector.",
        ),
    ] = LogFormat.text,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Watch marketplaces for infringing listings and seal court-ready evidence."""
    configure_logging(log_format.value)
    ctx.obj = State(home=home, operator=operator)


def main(argv: list[str] | None = None) -> int:
    return run_command(app, argv)


if __name__ == "__main__":
    raise SystemExit(main())

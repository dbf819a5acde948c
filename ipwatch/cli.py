"""The ``ipwatch`` command: a thin Typer layer over the packages; ``main(argv)`` -> exit code."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar

import typer

from config.logs import configure_logging
from ipwatch import __version__
from ipwatch.commands.common import State, run_command
from ipwatch.commands.lazy import LazyCommand, LazyGroup


def _command(module: str, summary: str, attr: str | None = None) -> LazyCommand:
    return LazyCommand(f"ipwatch.commands.{module}", attr or "app", summary)


class Commands(LazyGroup):
    """Every ``ipwatch`` command, in the order ``--help`` lists them; each imported when run."""

    lazy: ClassVar[Mapping[str, LazyCommand]] = {
        "extract": _command(
            "extract",
            "Print the listing extracted from PAGE as one JSON object; missing fields are null.",
            "extract",
        ),
        "crawl": _command(
            "crawl",
            "Crawl MARKETPLACE once and record the run; flagged listings get sealed evidence.",
            "crawl",
        ),
        "demo": _command(
            "demo",
            "Start the demo marketplace, import its brands, crawl, detect, seal, and show the"
            " findings.",
            "demo",
        ),
        "detect": _command(
            "detect",
            "Score each listing of a JSONL file against a registry file; findings go out as JSONL.",
            "detect",
        ),
        "rescan": _command(
            "rescan",
            "Re-score stored listings against the registry, so a new asset finds old listings.",
            "rescan",
        ),
        "serve": _command(
            "serve",
            "Run the review desk. Users come from `ipwatch users add`; put it behind HTTPS (a"
            " reverse\nproxy) before listening beyond this machine: session cookies are Secure"
            " off loopback.",
            "serve",
        ),
        "worker": _command(
            "workers",
            "Crawl from a distributed run's shared frontier until the run is done.",
            "worker",
        ),
        "sealer": _command(
            "workers",
            "Seal a distributed run's evidence in order (one per run); exits when the run is done.",
            "sealer",
        ),
        "detect-worker": _command(
            "workers",
            "Score a distributed run's listings from its Redis detection queue until the run is"
            " done.",
            "detect_worker",
        ),
        "assets": _command("assets", "Register, list and remove watched assets."),
        "findings": _command("findings", "List, inspect and review findings."),
        "evidence": _command("evidence", "Verify, bundle, export and timestamp sealed evidence."),
        "runs": _command("runs", "Crawl runs and their counters."),
        "index": _command("index", "Evidence index: status, replay the spool, migrate mappings."),
        "keys": _command("keys", "The signing key that seals evidence."),
        "users": _command(
            "users", "Users of the review desk and API: roles (admin, reviewer, viewer) and owners."
        ),
        "notices": _command(
            "notices",
            "Takedown notices: create them from confirmed findings, export, record outcomes.",
        ),
        "webhooks": _command(
            "webhooks", "Webhook deliveries (configured under webhooks: in ipwatch.yaml)."
        ),
        "sellers": _command("sellers", "Seller networks and the repeat-infringer record."),
        "schedule": _command("schedule", "Crawl on cron schedules (schedule.yaml)."),
        "profile": _command(
            "profile", "Marketplace profiles: list them, check one against a live page."
        ),
    }


app = typer.Typer(
    cls=Commands,
    name="ipwatch",
    help="Watch marketplaces for infringing listings and seal court-ready evidence.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


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

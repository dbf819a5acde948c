"""``ipwatch crawl``: crawl one marketplace for the registry's keywords, detect, seal, index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from config.profile import load_profile
from ipwatch.commands.common import UserError, state
from ipwatch.console import console, plain

if TYPE_CHECKING:
    from model import CrawlRun


def run_summary(run: CrawlRun) -> Table:
    table = Table(title=f"crawl run {run.id} ({run.status})", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for key in sorted(run.counters):
        table.add_row(plain(key), str(run.counters[key]))
    return table


def crawl(
    ctx: typer.Context,
    marketplace: Annotated[
        str,
        typer.Argument(help="Profile name in config/marketplaces/ or a path to a YAML profile."),
    ],
    keyword: Annotated[
        list[str] | None,
        typer.Option(
            "--keyword", "-k", help="Search this (repeatable). Default: registry keywords."
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Crawl this host instead of the profile's base_url.")
    ] = None,
    allow_private_host: Annotated[
        list[str] | None,
        typer.Option(help="Allow this private/loopback host (a shop you run yourself)."),
    ] = None,
) -> None:
    """Crawl MARKETPLACE once and record the run; flagged listings get sealed evidence."""
    from ipwatch.crawl import run_crawl

    profile = load_profile(marketplace)
    if base_url:
        profile = profile.with_base_url(base_url)
    workspace = state(ctx).workspace()
    keywords = keyword or workspace.registry.search_keywords()
    if profile.search is not None and not keywords and not profile.sections:
        raise UserError(
            "nothing to search for: import assets first (`ipwatch assets import FILE`) "
            "or pass --keyword"
        )
    run = run_crawl(
        workspace,
        profile,
        keywords,
        console=console,
        allowed_private_hosts=allow_private_host or (),
    )
    console.print(run_summary(run))

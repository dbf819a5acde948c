"""``ipwatch crawl``: crawl one marketplace for the registry's keywords, detect, seal, index."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ipwatch.commands.common import UserError, state
from ipwatch.commands.output import MetricsPortOption
from ipwatch.commands.progress import crawl_progress
from ipwatch.commands.workers import HeartbeatOption, RedisOption
from ipwatch.console import console, err_console, plain
from ipwatch.services.crawl import crawl_marketplace, crawl_problem
from ipwatch.services.metrics import start_metrics_server
from ipwatch.services.workers import HEARTBEAT_TTL, crawl_distributed, redis_url

if TYPE_CHECKING:
    from model import CrawlRun

logger = logging.getLogger(__name__)
TRIGGERS = ("manual", "schedule")


def run_summary(run: CrawlRun) -> Table:
    resumed = f", resumed from {run.resumed_from}" if run.resumed_from else ""
    table = Table(title=plain(f"crawl run {run.id} ({run.status}{resumed})"), show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for key in sorted(run.counters):
        table.add_row(plain(key), str(run.counters[key]))
    return table


def crawl(
    ctx: typer.Context,
    marketplace: Annotated[
        str,
        typer.Argument(
            help="Profile name (the data folder's marketplaces/ first, then the bundled "
            "config/marketplaces/; see `profile list`) or a path to a YAML profile.",
            metavar="MARKETPLACE",
        ),
    ],
    keyword: Annotated[
        list[str] | None,
        typer.Option(
            "--keyword",
            "-k",
            help="Search this (repeatable). Default: registry keywords.",
            metavar="TEXT",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Crawl this host instead of the profile's base_url.", metavar="URL"),
    ] = None,
    allow_private_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Allow this private/loopback host (a shop you run yourself).", metavar="HOST"
        ),
    ] = None,
    metrics_port: MetricsPortOption = None,
    trigger: Annotated[
        str,
        typer.Option(
            help="Recorded as the run's trigger: manual, or schedule (cron, systemd timers).",
            metavar="[manual|schedule]",
        ),
    ] = "manual",
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Only carry on a killed crawl of MARKETPLACE for these keywords; fail if none "
            "(by default a crawl resumes one when there is one).",
        ),
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh", help="Discard a killed crawl's unfinished work and crawl from the start."
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Crawl with N worker processes sharing a Redis frontier, and one sealer "
            "(0: in this process). Workers elsewhere join with `ipwatch worker --run RUN_ID`.",
            metavar="N",
        ),
    ] = 0,
    detect_workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="With --workers: score listings in M detection workers fed by a Redis queue "
            "(0: each crawl worker scores its own). More join with `ipwatch detect-worker`.",
            metavar="M",
        ),
    ] = 0,
    redis: RedisOption = None,
    heartbeat_ttl: HeartbeatOption = HEARTBEAT_TTL,
) -> None:
    """Crawl MARKETPLACE once and record the run; flagged listings get sealed evidence."""
    if trigger not in TRIGGERS:
        raise UserError(f"--trigger must be one of {', '.join(TRIGGERS)}, not {trigger!r}")
    if resume and fresh:
        raise UserError("--resume and --fresh contradict each other: pass one of them")
    if workers and (resume or fresh):
        raise UserError(
            "--resume/--fresh apply to a crawl in this process; a distributed run keeps its "
            "frontier in Redis and its workers carry on with `ipwatch worker --run RUN_ID`"
        )
    if detect_workers and not workers:
        raise UserError("--detect-workers needs --workers: detection queues serve distributed runs")
    name = Path(marketplace).stem if marketplace.endswith((".yaml", ".yml")) else marketplace
    workspace = state(ctx).workspace()
    server = None if metrics_port is None else start_metrics_server(metrics_port)
    if server is not None:
        logger.warning("serving crawl metrics at %s", server.url)
    try:
        if workers:
            run = crawl_distributed(
                workspace,
                marketplace,
                workers=workers,
                url=redis_url(workspace, redis),
                keywords=keyword or (),
                base_url=base_url,
                allowed_private_hosts=allow_private_host or (),
                trigger=trigger,
                heartbeat_ttl=heartbeat_ttl,
                detect_workers=detect_workers,
                on_start=lambda run_id: err_console.print(f"run {run_id}"),
            )
        else:
            with crawl_progress(console, name) as progress:
                run = crawl_marketplace(
                    workspace,
                    marketplace,
                    keywords=keyword or (),
                    base_url=base_url,
                    allowed_private_hosts=allow_private_host or (),
                    trigger=trigger,
                    progress=progress,
                    resume="resume" if resume else "fresh" if fresh else "auto",
                )
    finally:
        if server is not None:
            server.stop()
    console.print(run_summary(run))
    problem = crawl_problem(run, workspace.home)
    if problem is not None:
        err_console.print(plain(problem, 1000), soft_wrap=True)
        raise typer.Exit(1)

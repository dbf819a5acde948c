"""``ipwatch worker`` and ``ipwatch sealer``: join a distributed run from any machine."""

from __future__ import annotations

from typing import Annotated

import typer

from ipwatch.commands.common import state
from ipwatch.console import console, plain
from ipwatch.services.sealer import run_sealer
from ipwatch.services.workers import HEARTBEAT_TTL, redis_url, run_worker

RedisOption = Annotated[
    str | None,
    typer.Option(
        "--redis",
        help="Redis the run shares (redis://HOST:PORT/0). Default: redis.url of ipwatch.yaml.",
        metavar="URL",
    ),
]
RunOption = Annotated[
    str,
    typer.Option(
        "--run", help="The run to join (the id `crawl --workers` prints).", metavar="RUN_ID"
    ),
]
HeartbeatOption = Annotated[
    float,
    typer.Option(
        "--heartbeat-ttl",
        min=1.0,
        help="Seconds without a heartbeat before the others re-queue a worker's requests.",
        metavar="SECONDS",
    ),
]


def worker(
    ctx: typer.Context,
    run: RunOption,
    redis: RedisOption = None,
    heartbeat_ttl: HeartbeatOption = HEARTBEAT_TTL,
) -> None:
    """Crawl from a distributed run's shared frontier until the run is done."""
    workspace = state(ctx).workspace()
    result = run_worker(workspace, redis_url(workspace, redis), run, heartbeat_ttl=heartbeat_ttl)
    console.print(
        f"worker {plain(result.worker)}: {result.counters.get('listings', 0)} listing(s), "
        f"{result.counters.get('flagged', 0)} flagged ({plain(result.reason)})"
    )
    if result.reason != "finished":
        raise typer.Exit(1)


def sealer(ctx: typer.Context, run: RunOption, redis: RedisOption = None) -> None:
    """Seal a distributed run's evidence in order (one per run); exits when the run is done."""
    workspace = state(ctx).workspace()
    result = run_sealer(workspace, redis_url(workspace, redis), run)
    console.print(
        f"sealer: {result.sealed} sealed, {result.duplicates} duplicate(s) skipped, "
        f"{result.rejected} rejected"
    )
    if result.rejected:
        raise typer.Exit(1)

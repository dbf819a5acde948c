"""``ipwatch worker``, ``detect-worker`` and ``sealer``: join a distributed run from any machine."""

from __future__ import annotations

from typing import Annotated

import typer

from ipwatch.commands.common import state
from ipwatch.console import console, plain
from ipwatch.services.detect_worker import CLAIM_IDLE_S, pin_threads, run_detect_worker
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


def detect_worker(
    ctx: typer.Context,
    run: RunOption,
    redis: RedisOption = None,
    consumer: Annotated[
        str | None,
        typer.Option(
            help="This worker's name in the run's detection group (default: HOST-PID).",
            metavar="NAME",
        ),
    ] = None,
    claim_idle: Annotated[
        float,
        typer.Option(
            min=1.0,
            help="Seconds a listing may sit unanswered with a silent worker before another "
            "worker takes it over.",
            metavar="SECONDS",
        ),
    ] = CLAIM_IDLE_S,
) -> None:
    """Score a distributed run's listings from its Redis detection queue until the run is done.

    `ipwatch crawl MARKETPLACE --workers N --detect-workers M` starts M beside the crawl;
    start more on any machine that shares the data folder.
    Each builds this data folder's detector once and answers listings in a consumer group.
    A dead worker's listings are taken over; one that stops two workers is reported as an error.
    SIGTERM finishes the listing in hand, then exits.
    One thread per library (BLAS, torch, onnxruntime, OpenCV), as the local detection pool's
    workers: set OMP_NUM_THREADS / IPWATCH_DESCRIPTOR_THREADS etc. to choose otherwise.
    """
    threads = pin_threads()  # before the detector is built: several workers share the cores
    workspace = state(ctx).workspace()
    result = run_detect_worker(
        workspace, redis_url(workspace, redis), run, consumer=consumer, claim_idle=claim_idle
    )
    console.print(
        f"detect-worker: {result.answered} listing(s) scored, {result.errors} error(s), "
        f"{result.reclaimed} taken over from stopped workers; threads: "
        f"OpenCV {threads['opencv']}, torch {threads['torch']}"
    )

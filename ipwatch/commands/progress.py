"""Rich progress displays fed by the services' progress callbacks."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rich.console import Console

    from ipwatch.services.crawl import CrawlProgress


@contextmanager
def crawl_progress(console: Console, marketplace: str) -> Iterator[Callable[[CrawlProgress], None]]:
    """A spinner line with pages, listings, flagged and errors, updated by the crawl service."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[pages]} pages · {task.completed:.0f} listings"),
        TextColumn("· {task.fields[flagged]} flagged · {task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(
            f"crawling {marketplace}", total=None, pages=0, flagged=0, errors=0
        )

        def update(state: CrawlProgress) -> None:
            progress.update(
                task,
                completed=state.listings,
                pages=state.pages,
                flagged=state.flagged,
                errors=state.errors,
            )

        yield update

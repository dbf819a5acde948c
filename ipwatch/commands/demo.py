"""``ipwatch demo``: the whole job against a local demo marketplace, on the embedded default."""

from __future__ import annotations

from typing import Annotated

import typer

from config.settings import resolve_home
from ipwatch.commands.common import State, state
from ipwatch.commands.crawl import run_summary
from ipwatch.commands.findings import findings_table
from ipwatch.commands.progress import crawl_progress
from ipwatch.console import console
from ipwatch.services.demo import run_demo


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def demo(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option(help="Port for the demo marketplace on 127.0.0.1.", metavar="PORT")
    ] = 8765,
) -> None:
    """Start the demo marketplace, import its brands, crawl, detect, seal, and show the findings.

    Data goes to ~/.ipwatch/demo unless --home (or IPWATCH_HOME) says otherwise. Running it
    again is safe: unchanged listings make no duplicate findings or evidence.
    """
    root = state(ctx)
    home = root.home if root.home is not None else resolve_home() / "demo"
    workspace = State(home=home).workspace()
    with crawl_progress(console, "demo") as progress:
        result = run_demo(
            workspace,
            port,
            on_market=lambda url: say(f"demo marketplace at {url}"),
            progress=progress,
        )
    imported = result.imported
    say(
        f"registry: {imported.assets_created} asset(s) created, {imported.assets_updated} "
        f"updated, {imported.assets_unchanged} unchanged ({result.brand_kit})"
    )
    console.print(run_summary(result.run))
    listings = len({finding.listing_id for finding in result.flagged})
    title = f"{listings} flagged listing(s), {len(result.flagged)} finding(s)"
    console.print(findings_table(result.flagged, title, console.width))
    top = next((f for f in result.flagged if f.snapshot_ids), None)
    where = f"ipwatch --home {workspace.home}"
    if top is not None:
        say(f"why: {where} findings show {top.id}")
        say(f"evidence: {where} evidence bundle {top.snapshot_ids[-1]} --out case.zip")
    say(f"verify: {where} evidence verify")
    say(f"review desk: {where} serve   (then open http://127.0.0.1:8000/)")
    if result.admin_password is not None:
        say(f"desk login: {result.admin} / {result.admin_password}   (shown once)")
    else:
        say(
            f"desk login: {result.admin} (password shown on the first demo run; "
            f"`{where} users password {result.admin}` sets a new one)"
        )

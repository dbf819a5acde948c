"""``ipwatch demo``: the whole job against a local demo marketplace, on the embedded default."""

from __future__ import annotations

from typing import Annotated

import typer

from config.profile import load_profile
from config.settings import resolve_home
from ipwatch.commands.common import State, state
from ipwatch.commands.crawl import run_summary
from ipwatch.commands.findings import listings_table
from ipwatch.console import console
from model import FindingQuery


def demo(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port for the demo marketplace on 127.0.0.1.")] = 8765,
) -> None:
    """Start the demo marketplace, import its brands, crawl, detect, seal, and show the findings.

    Data goes to ~/.ipwatch/demo unless --home (or IPWATCH_HOME) says otherwise. Running it
    again is safe: unchanged listings make no duplicate findings or evidence.
    """
    from demomarket.brandkit import write_brand_kit
    from demomarket.server import DemoMarket
    from ipwatch.crawl import run_crawl

    root = state(ctx)
    home = root.home if root.home is not None else resolve_home() / "demo"
    workspace = State(home=home).workspace()
    kit = write_brand_kit(workspace.home / "brand-kit")
    result = workspace.registry.import_file(kit)
    console.print(
        f"registry: {result.assets_created} asset(s) created, {result.assets_updated} updated, "
        f"{result.assets_unchanged} unchanged ({kit})",
        markup=False,
        highlight=False,
    )
    with DemoMarket(port=port) as market:
        console.print(f"demo marketplace at {market.base_url}", markup=False, highlight=False)
        profile = load_profile("demo").with_base_url(market.base_url)
        run = run_crawl(
            workspace,
            profile,
            workspace.registry.search_keywords(),
            console=console,
            trigger="demo",
        )
    console.print(run_summary(run))
    flagged = workspace.index.list_findings(
        FindingQuery(marketplace=profile.name, flagged_only=True, limit=1000)
    )
    console.print(listings_table(flagged))
    console.print(
        f"next: ipwatch --home {workspace.home} findings show <finding>  ·  "
        f"ipwatch --home {workspace.home} evidence verify",
        markup=False,
        highlight=False,
    )

"""The whole job against the local demo marketplace: import its brands, crawl, detect, seal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from config.profile import load_profile
from ipwatch.services.assets import import_assets
from ipwatch.services.crawl import run_crawl
from model import FindingQuery

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from ipwatch.services.crawl import CrawlProgress
    from ipwatch.services.workspace import Workspace
    from model import CrawlRun, FindingRecord
    from registry.importer import ImportResult

MAX_SHOWN = 1000
DEMO_ADMIN = "demo-admin"


@dataclass(frozen=True)
class DemoResult:
    brand_kit: Path
    imported: ImportResult
    base_url: str
    run: CrawlRun
    flagged: list[FindingRecord]  # the marketplace's flagged findings, riskiest first
    admin: str = DEMO_ADMIN
    admin_password: str | None = None  # set only on the run that made the demo admin


def run_demo(
    workspace: Workspace,
    port: int,
    *,
    on_market: Callable[[str], None] | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> DemoResult:
    """Serve the demo marketplace on 127.0.0.1:``port`` for one crawl; safe to run again."""
    from demomarket.brandkit import write_brand_kit
    from demomarket.server import DemoMarket

    kit = write_brand_kit(workspace.home / "brand-kit")
    imported = import_assets(workspace, kit)
    with DemoMarket(port=port) as market:
        base_url = market.base_url  # only readable while the market runs
        if on_market is not None:
            on_market(base_url)
        profile = load_profile("demo").with_base_url(base_url)
        run = run_crawl(
            workspace,
            profile,
            workspace.registry.search_keywords(),
            trigger="demo",
            allowed_private_hosts=[urlsplit(base_url).netloc],  # our own, on 127.0.0.1
            progress=progress,
        )
    flagged = workspace.index.list_findings(
        FindingQuery(marketplace=profile.name, flagged_only=True, limit=MAX_SHOWN)
    )
    return DemoResult(kit, imported, base_url, run, flagged, *_demo_admin(workspace))


def _demo_admin(workspace: Workspace) -> tuple[str, str | None]:
    """A demo admin for the review desk, with a random password shown once (first run only)."""
    from ipwatch.services.users import generated_password

    directory = workspace.directory
    if directory.get_user(DEMO_ADMIN) is not None:
        return DEMO_ADMIN, None
    password = generated_password()
    directory.add_user(DEMO_ADMIN, "admin", None, password)
    return DEMO_ADMIN, password

"""A real crawl of each bundled shop-structure profile against the demo shop in that style.

Each runs in a child process (Twisted's reactor runs once per process) through the crawl
service, with the demo brands imported, so detection runs as in production; browser capture
of flagged listings is covered by the demo tests and switched off here to keep this fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import yaml

from config.profile import PROFILES_DIR
from demomarket import CATALOG, DemoMarket
from demomarket.testing import expected_flagged

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow  # a whole pipeline per style (Chromium for the Taobao search)

KEYWORDS = ("novaflex", "lumora", "雷霆")

CHILD = """
import json, sys
from pathlib import Path
import crawler.settings
crawler.settings.IPWATCH_BROWSER_CAPTURE = False  # sealing is the demo tests' subject
from demomarket.brandkit import write_brand_kit
from ipwatch.services.assets import import_assets
from ipwatch.services.crawl import crawl_marketplace
from ipwatch.services.workspace import Workspace
from model import FindingQuery

home, style, base_url = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
keywords = json.loads(sys.argv[4])
workspace = Workspace.open(home)
import_assets(workspace, write_brand_kit(home / "kit"))
run = crawl_marketplace(
    workspace, style, keywords=keywords, base_url=base_url,
    allowed_private_hosts=["127.0.0.1"],
)
listings = {l.item_id: l for l in workspace.index.iter_listings(style)}
findings = workspace.index.list_findings(
    FindingQuery(marketplace=style, flagged_only=True, limit=1000)
)
print(json.dumps({
    "status": run.status,
    "errors": run.counters.get("errors", 0),
    "crawled": sorted(listings),
    "titles": {k: v.title for k, v in listings.items()},
    "prices": {k: [v.price, v.currency] for k, v in listings.items()},
    "flagged": sorted({f.listing_id.split(":", 1)[1] for f in findings}),
}))
"""


def fast_copy(style: str, home: Path) -> None:
    """The bundled profile, unchanged but for politeness, as a data-folder override (which is
    what a crawl by name must pick up first); a local shop needs no delays."""
    profile = yaml.safe_load((PROFILES_DIR / f"{style}.yaml").read_text(encoding="utf-8"))
    profile["politeness"] = {"download_delay": 0, "autothrottle": False,
                             "concurrent_requests_per_domain": 8}  # fmt: skip
    (home / "marketplaces").mkdir(parents=True)
    (home / "marketplaces" / f"{style}.yaml").write_text(yaml.safe_dump(profile), "utf-8")


def crawl_style(style: str, home: Path) -> dict[str, object]:
    fast_copy(style, home)
    with DemoMarket(style=style) as market:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(home), style, market.base_url, json.dumps(KEYWORDS)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return report


def searched() -> set[str]:
    return {item.id for keyword in KEYWORDS for item in CATALOG.search(keyword)}


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("shopify", lambda: {item.id for item in CATALOG.newest()}),  # every product, no search
        ("woocommerce", searched),
        ("aliexpress", searched),
        ("taobao", searched),  # Chromium draws the search grid
    ],
)
def test_crawl_of_each_shop_structure_finds_the_listings_and_the_infringers(
    style: str, expected: object, tmp_path: Path
) -> None:
    report = crawl_style(style, tmp_path / "home")
    assert report["status"] == "finished"
    want = expected()  # type: ignore[operator]
    assert set(report["crawled"]) == want  # type: ignore[arg-type]
    titles: dict[str, str] = report["titles"]  # type: ignore[assignment]
    prices: dict[str, list[str]] = report["prices"]  # type: ignore[assignment]
    for item_id in want:
        item = CATALOG.item(item_id)
        assert item is not None
        assert titles[item_id] == " ".join(item.title.split()), item_id
        assert prices[item_id] == [f"{item.price:.2f}", item.currency], item_id
    assert set(report["flagged"]) == expected_flagged() & want  # type: ignore[arg-type]

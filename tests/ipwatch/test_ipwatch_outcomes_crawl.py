"""A takedown's whole life against the demo shop, as a team runs it from the CLI: crawl, confirm,
notice, send; the shop takes the listing down (404) and `notices check` records the removal;
the listing comes back, and the next crawl (whose search does not even find it: it asks for
every removed listing directly) seals new evidence and reopens the finding as `reappeared`,
linked to the notice; the evidence still verifies."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from config.profile import PROFILES_DIR
from demomarket import CATALOG, Catalog, DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.pages import search
from tests.support import run_ipwatch

pytestmark = pytest.mark.slow

CONFIG = """
notices:
  notifier_name: Acme Legal
  notifier_email: legal@acme.example
"""


def without(item_id: str) -> Catalog:
    items = tuple(item for item in CATALOG.items if item.id != item_id)
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), items)


def ok(home: Path, *args: str) -> str:
    done = run_ipwatch(home, *args)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def search_only_profile(folder: Path) -> Path:
    """The demo profile without its browse sections: one search, a handful of listings."""
    profile = yaml.safe_load((PROFILES_DIR / "demo.yaml").read_text(encoding="utf-8"))
    profile.pop("sections")
    path = folder / "demo.yaml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    return path


def crawl(home: Path, market: DemoMarket, profile: Path, keyword: str = "lumora") -> str:
    return ok(
        home,
        "crawl",
        str(profile),
        "--keyword",
        keyword,
        "--base-url",
        market.base_url,
        "--allow-private-host",
        "127.0.0.1",
    )


def test_listing_taken_down_then_back_reappears_with_new_evidence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(home, "assets", "import", str(write_brand_kit(tmp_path / "kit")))
    (home / "ipwatch.yaml").write_text(CONFIG, encoding="utf-8")
    profile = search_only_profile(tmp_path)
    with DemoMarket() as market:
        crawl(home, market, profile)
        flagged = [json.loads(x) for x in ok(home, "findings", "list", "--json").splitlines()]
        # a listing the second night's search ("leiting") does not list
        elsewhere = set(re.findall(r"/item/([\w-]+)", search(CATALOG, "leiting", 1)))
        target = next(
            f
            for f in flagged
            if "/item/" in f["url"] and urlsplit(f["url"]).path.rsplit("/", 1)[-1] not in elsewhere
        )
        fid = target["id"]
        item_id = urlsplit(target["url"]).path.rsplit("/", 1)[-1]
        ok(home, "findings", "review", fid, "--status", "confirmed", "--reason", "copied mark")
        ok(home, "notices", "create", fid)
        (notice,) = [json.loads(x) for x in ok(home, "notices", "list", "--json").splitlines()]
        ok(home, "notices", "mark", notice["id"], "sent", "--reason", "filed")
        before = json.loads(ok(home, "findings", "show", fid, "--json"))

        market.catalog = without(item_id)  # the marketplace takes it down
        checked = ok(home, "notices", "check", "--allow-private-host", f"127.0.0.1:{market.port}")
        assert f"{fid}: gone (HTTP 404)" in checked
        assert f"{notice['id']}: removed" in checked
        shown = json.loads(ok(home, "findings", "show", fid, "--json"))
        assert shown["status"] == "removed"

        market.catalog = CATALOG  # ... and the seller lists it again
        # A search that does not find it: the crawl asks for every removed listing directly.
        summary = crawl(home, market, profile, keyword="leiting")
    assert "findings_reappeared" in summary and "rechecked" in summary
    after = json.loads(ok(home, "findings", "show", fid, "--json"))
    assert after["status"] == "reappeared"
    assert len(after["snapshot_ids"]) > len(before["snapshot_ids"])  # sealed anew
    reasons = [event["reason"] for event in after["history"]]
    assert any(f"after notice {notice['id']} removed it" in r for r in reasons)
    custody = ok(home, "evidence", "custody", notice["id"])
    assert f"finding {fid} reappeared" in custody
    ok(home, "evidence", "verify")
    ok(home, "notices", "create", fid)  # a reappeared finding goes into a new notice

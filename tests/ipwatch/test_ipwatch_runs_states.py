"""Two nights of the demo shop: the second finds listings new, changed and gone (absent, 410,
"no longer available"); ``runs show/diff/summary`` say so and the signed ``run.summary``
webhook reaches a real receiver on 127.0.0.1."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from demomarket import CATALOG, Catalog, DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.faults import Fault, FaultPlan
from store import open_store
from tests.ipwatch.services.test_service_webhooks import SECRET, Receiver
from tests.support import run_ipwatch

pytestmark = pytest.mark.slow

CHANGED = "1001"  # description reworded
ABSENT = "1032"  # no longer linked from any page of the shop
TAKEN_DOWN = "1034"  # still linked, answers 410 Gone
REMOVED_PAGE = "1040"  # still linked, answers a "no longer available" page
NEW_FLAGGED = "1999"  # a new listing, a copy of a flagged one
DESK = "https://desk.example"


def second_night() -> Catalog:
    items = []
    for item in CATALOG.items:  # none left out: the shop styles each page by its position
        if item.id == ABSENT:
            item = dataclasses.replace(item, searchable=False, deal=False, sponsored=False)
        if item.id == CHANGED:
            item = dataclasses.replace(item, description=item.description + " Now in blue.")
        items.append(item)
    copy = dataclasses.replace(CATALOG.item("1022"), id=NEW_FLAGGED, price=Decimal("9.90"))
    return Catalog(CATALOG.owners, tuple(CATALOG.sellers.values()), (*items, copy))


def crawl(home: Path, market: DemoMarket) -> str:
    result = run_ipwatch(
        home, "crawl", "demo", "--base-url", market.base_url, "--allow-private-host", "127.0.0.1"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return open_store(f"sqlite:///{home / 'index.db'}").list_runs(limit=1)[0].id


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.mark.timeout(900)  # two whole crawls with browser captures
def test_a_second_night_reports_new_changed_and_gone_listings(tmp_path, receiver) -> None:
    home = tmp_path / "home"
    home.mkdir()
    config = {
        "desk": {"url": DESK},
        "webhooks": {
            "targets": [{"url": receiver.url, "secret": SECRET, "events": ["run.summary"]}],
            "allowed_private_hosts": ["127.0.0.1"],
        },
    }
    (home / "ipwatch.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    kit = write_brand_kit(tmp_path / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    with DemoMarket() as market:
        first = crawl(home, market)
    faults = FaultPlan(
        {f"/item/{TAKEN_DOWN}": Fault("410"), f"/item/{REMOVED_PAGE}": Fault("removed")}
    )
    with DemoMarket(catalog=second_night(), faults=faults) as market:
        second = crawl(home, market)

    index = open_store(f"sqlite:///{home / 'index.db'}")
    run = index.get_run(second)
    assert run is not None and run.status == "finished"
    assert run.counters["listings_new"] == 1 and run.counters["listings_changed"] == 1
    assert run.counters["listings_gone"] == 3 and run.counters["listings_reappeared"] == 0
    # unchanged costs nothing: no listing the index already scored is scored again
    assert run.counters["detect_skipped"] == run.counters["listings_unchanged"] > 0
    assert "errors/http_410" not in run.counters  # a taken-down listing is news, not an error

    diff = run_ipwatch(home, "runs", "diff", second, "--json")
    assert diff.returncode == 0, diff.stderr
    rows = {r["listing_id"]: r for r in map(json.loads, diff.stdout.splitlines())}
    assert {k: (r["state"], r["reason"]) for k, r in rows.items()} == {
        f"demo:{CHANGED}": ("changed", ""),
        f"demo:{NEW_FLAGGED}": ("new", ""),
        f"demo:{ABSENT}": ("gone", "absent"),
        f"demo:{TAKEN_DOWN}": ("gone", "http 410"),
        f"demo:{REMOVED_PAGE}": ("gone", "no longer available page"),
    }
    assert rows[f"demo:{NEW_FLAGGED}"]["flagged"].startswith(f"{DESK}/findings/")
    as_csv = run_ipwatch(home, "runs", "diff", "--against", first, "--csv")
    assert as_csv.returncode == 0, as_csv.stderr
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == len(rows)

    summary = json.loads(run_ipwatch(home, "runs", "summary", second, "--json").stdout)
    assert summary["previous_run_id"] == first and summary["complete"] is True
    assert summary["counts"]["gone"] == 3 and summary["counts"]["new"] == 1
    assert [f["link"] for f in summary["new_flagged"]] == [
        f"{DESK}/findings/{f['finding_id']}" for f in summary["new_flagged"]
    ]
    assert summary["new_flagged"] and all(
        f["url"].endswith(f"/item/{NEW_FLAGGED}") for f in summary["new_flagged"]
    )
    text = run_ipwatch(home, "runs", "summary", second).stdout
    assert "3 gone" in text and "1 new" in text and f"{DESK}/findings/" in text
    shown = json.loads(run_ipwatch(home, "runs", "show", second, "--json").stdout)
    assert shown["states"]["gone"] == 3

    sent = [r for r in receiver.received if r["event"] == "run.summary"]
    assert [r["valid"] for r in sent] == [True, True]  # HMAC checked by the receiver
    assert [r["body"]["data"]["run_id"] for r in sent] == [first, second]
    assert sent[1]["body"]["data"]["counts"] == summary["counts"]

"""Review desk latency with many findings: pages over HTTP vs the store query they are built on.

Both run in one process over the same store, filled with N findings (two per listing, five
owners): the queue page (HTML, one user's scope, open findings, first page) against the
store's scoped ``list_findings`` for the same first page; the finding page against
``get_finding``. The ratio is what the desk adds (grouping cards, the second query for a card's
findings, counts per filter, templates, HTTP on 127.0.0.1) on top of the query.

    .venv/bin/python bench/review_speed.py [--backend both|sqlite|opensearch]
        [--findings 100000] [--opensearch-findings 100000] [--url http://127.0.0.1:9200]
        [--requests 60]

By default both backends are measured, one after the other, each in a fresh store; without
--url an OpenSearch node is started for the run (as the tests do) and stopped after it.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from config.settings import AppConfig
from ipwatch.services.workspace import Workspace
from model import FindingQuery, FindingRecord, FindingStatus, ListingRecord, Seller
from registry.models import Owner

OWNERS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
KINDS = ["word_mark", "logo", "image_copy", "price_floor", "seller"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
CHUNK = 1000


def records(count: int) -> tuple[list[ListingRecord], list[FindingRecord]]:
    rng = random.Random(7)
    listings, findings = [], []
    for n in range(count // 2):
        seller = Seller(id=f"s-{n % 3000}", name=f"Shop {n % 3000}", marketplace=f"m{n % 4}")
        at = T0 + timedelta(minutes=n)
        listing = ListingRecord(
            id=f"m{n % 4}:{n}",
            marketplace=f"m{n % 4}",
            url=f"https://m{n % 4}.example/{n}",
            title=f"Listing {n} NOVAFLEX runner",
            content_hash=f"{n:064x}",
            first_seen=at,
            last_seen=at,
            price=f"{5 + n % 50}.99",
            currency="USD",
            seller=seller,
        )
        listings.append(listing)
        owner = OWNERS[n % len(OWNERS)]
        for asset in ("word", "logo"):
            risk = round(rng.random(), 4)
            kind = KINDS[rng.randrange(len(KINDS))]
            findings.append(
                FindingRecord(
                    id=f"F-{n}-{asset}",
                    listing_id=listing.id,
                    asset_id=f"{owner}-{asset}",
                    owner=owner,
                    marketplace=listing.marketplace,
                    risk=risk,
                    flagged=risk > 0.5,
                    signals=[{"kind": kind, "score": risk, "detail": "bench", "evidence": {}}],
                    created=at,
                    updated=at,
                    seller=seller,
                    title=listing.title,
                    url=listing.url,
                    status=FindingStatus.NEW if rng.random() < 0.8 else FindingStatus.DISMISSED,
                )
            )
    return listings, findings


def fill(workspace: Workspace, count: int) -> None:
    listings, findings = records(count)
    index = workspace.index
    bulk_listings = getattr(index, "bulk_upsert_listings", None)
    bulk_findings = getattr(index, "bulk_upsert_findings", None)
    for start in range(0, len(listings), CHUNK):
        chunk = listings[start : start + CHUNK]
        if bulk_listings:
            bulk_listings(chunk)
        else:
            for listing in chunk:
                index.upsert_listing(listing)
    for start in range(0, len(findings), CHUNK):
        chunk_f = findings[start : start + CHUNK]
        if bulk_findings:
            bulk_findings(chunk_f)
        else:
            for finding in chunk_f:
                index.upsert_finding(finding)
    flush = getattr(index, "refresh", None)
    if callable(flush):
        flush()


def timed(call, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def line(name: str, values: list[float]) -> str:
    p50 = statistics.median(values)
    p95 = statistics.quantiles(values, n=20)[18]
    return f"{name:34s} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms"


def measure(backend: str, count: int, url: str | None, rounds: int) -> dict[str, list[float]]:
    """Fill a fresh store on ``backend`` with ``count`` findings; time pages and store calls."""
    from tests.ipwatch.web.desk_data import DeskServer

    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "home"
        home.mkdir()
        index_url = None
        if backend == "opensearch":
            if url is None:
                from tests.services.opensearch import OpenSearchNode

                url = stack.enter_context(OpenSearchNode(heap="1g")).url
            index_url = f"{url}/?prefix=bench-desk-{int(time.time())}"
        workspace = Workspace(home, AppConfig(index=index_url))
        stack.callback(workspace.close)
        with workspace.registry.session() as session:
            session.add_all([Owner(name=o) for o in OWNERS])
        started = time.perf_counter()
        fill(workspace, count)
        print(f"{count} findings on {backend} loaded in {time.perf_counter() - started:.0f} s")
        workspace.directory.add_user("bench", "reviewer", ["Acme"], "bench password 123")
        server = stack.enter_context(DeskServer(workspace))
        session = requests.Session()
        form = session.get(f"{server.url}/login", timeout=30).text
        token = re.search(r'name="login_csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        session.post(
            f"{server.url}/login",
            timeout=30,
            data={"name": "bench", "password": "bench password 123", "login_csrf": token},
        )
        scoped = FindingQuery(
            owners=("Acme",), statuses=(FindingStatus.NEW, FindingStatus.IN_REVIEW), limit=50
        )
        top = workspace.index.list_findings(scoped)[0].id
        index = workspace.index

        def queue() -> None:
            assert session.get(f"{server.url}/queue", timeout=60).status_code == 200

        def finding() -> None:
            assert session.get(f"{server.url}/findings/{top}", timeout=60).status_code == 200

        queue(), finding()  # warm
        return {
            "queue page (HTTP, 25 cards)": timed(queue, rounds),
            "store list_findings (50, scoped)": timed(lambda: index.list_findings(scoped), rounds),
            "finding page (HTTP)": timed(finding, rounds),
            "store get_finding": timed(lambda: index.get_finding(top), rounds),
        }


def report(backend: str, count: int, times: dict[str, list[float]]) -> None:
    print(f"--- {backend}, N = {count} findings")
    for name, values in times.items():
        print(line(name, values))
    (q_page, q_store, f_page, f_store) = (statistics.median(v) for v in times.values())
    print(f"ratio queue page / store query:    {q_page / q_store:6.1f}x (p50)")
    print(f"ratio finding page / get_finding:  {f_page / f_store:6.1f}x (p50)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000, help="N on SQLite")
    parser.add_argument("--opensearch-findings", type=int, default=100_000, help="N on OpenSearch")
    parser.add_argument("--backend", choices=["both", "sqlite", "opensearch"], default="both")
    parser.add_argument("--url", help="an existing OpenSearch node (default: start one)")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args(argv)
    runs = []
    if args.backend in ("both", "sqlite"):
        runs.append(("sqlite", args.findings))
    if args.backend in ("both", "opensearch"):
        runs.append(("opensearch", args.opensearch_findings))
    results = [(b, n, measure(b, n, args.url, args.requests)) for b, n in runs]
    for backend, count, times in results:
        report(backend, count, times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

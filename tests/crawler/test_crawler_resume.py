"""A crawl killed with SIGKILL at any point resumes from its journal: nothing finished before the
kill is fetched again, and no listing, finding or snapshot is lost or duplicated."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

from config.profile import load_profile
from demomarket import DemoMarket, Fault, FaultPlan
from demomarket.brandkit import write_brand_kit
from demomarket.testing import expected_flagged
from ipwatch.services.crawl_jobs import job_path
from model import ListingState
from store import open_store
from tests.crawler.crawl_support import write_profile
from tests.crawler.test_crawler_killed import indexed_listings
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow

KEYWORDS = ("lumora", "leiting")  # 13 listings, 6 of them flagged
EXPECTED = {
    "1004", "1005", "1006", "1007", "1018", "1019", "1020",
    "1022", "1023", "1028", "1031", "1033", "1035",
}  # fmt: skip


def crawl_args(home: Path, market: DemoMarket, *extra: str) -> list[str]:
    keywords = [arg for keyword in KEYWORDS for arg in ("--keyword", keyword)]
    profile = write_profile(home)
    return [
        "crawl",
        str(profile),
        *keywords,
        "--base-url",
        market.base_url,
        "--allow-private-host",
        "127.0.0.1",
        *extra,
    ]


def sealed(home: Path) -> int:
    """Entries in the transparency log: one per seal, however the index fared."""
    try:
        return len((home / "log" / "entries.jsonl").read_bytes().splitlines())
    except FileNotFoundError:
        return 0


def journal_file(home: Path) -> Path:
    (path,) = (home / "jobs").glob("*.sqlite")
    return path


def done_paths(home: Path) -> set[str]:
    """What the killed crawl's journal says it finished, as paths on the shop."""
    with sqlite3.connect(journal_file(home)) as db:
        rows = db.execute("SELECT request FROM requests WHERE state = 'done'").fetchall()
    db.close()
    return {json.loads(row[0])["url"].split("/", 3)[3] for row in rows}


def done_items(home: Path) -> set[str]:
    """The listing pages the running crawl's journal has as done (none before it exists)."""
    if not list((home / "jobs").glob("*.sqlite")):
        return set()
    try:
        return {path for path in done_paths(home) if path.startswith("item/")}
    except sqlite3.Error:
        return set()  # being created


def kill_when(home: Path, market: DemoMarket, ready: Callable[[], bool]) -> None:
    """Start a crawl of the job and SIGKILL it as soon as ``ready()``."""
    log = home.parent / "killed-crawl.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [*IPWATCH, "--home", str(home), *crawl_args(home, market)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 240
        while not ready():
            tail = log.read_text(errors="replace")[-3000:]
            assert process.poll() is None, f"the crawl ended before it could be killed: {tail}"
            assert time.monotonic() < deadline, f"the crawl did not get there in time: {tail}"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)


def indexed_snapshots(home: Path) -> int:
    try:
        with sqlite3.connect(f"file:{home / 'index.db'}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet


def unindex_a_seal(home: Path) -> tuple[str, str]:
    """Turn the killed crawl's files into those of a kill between sealing a listing and
    indexing it (sealed and logged, nothing in the index, its request not done); returns the
    snapshot id and the listing page's path."""
    with sqlite3.connect(home / "index.db") as db:
        snapshot_id, listing_id, url = db.execute(
            "SELECT id, listing_id, url FROM snapshots ORDER BY captured_at DESC LIMIT 1"
        ).fetchone()
        db.execute("DELETE FROM snapshots WHERE listing_id = ?", (listing_id,))
        db.execute("DELETE FROM findings WHERE listing_id = ?", (listing_id,))
        db.execute("DELETE FROM listings WHERE id = ?", (listing_id,))
    db.close()
    with sqlite3.connect(journal_file(home)) as db:
        db.execute(
            "UPDATE requests SET state = 'pending' WHERE json_extract(request, '$.url') = ?",
            (url,),
        )
        db.execute("DELETE FROM seen WHERE listing_id = ?", (listing_id,))
    db.close()
    return snapshot_id, url.split("/", 3)[3]


def redo_a_recorded_page(home: Path) -> str:
    """Turn the killed crawl's journal into that of a kill after a listing's upsert, before its
    page was marked done (what it saw already reported, as it is before each upsert); returns
    the page's path. The page done again finds what the killed run stored."""
    with sqlite3.connect(journal_file(home)) as db:
        seen = {lid.split(":", 1)[1] for (lid,) in db.execute("SELECT listing_id FROM seen")}
        done = db.execute("SELECT fp, request FROM requests WHERE state = 'done'").fetchall()
        urls = {fp: json.loads(request)["url"] for fp, request in done}
        fp = next(fp for fp, url in urls.items() if url.rsplit("/item/", 1)[-1] in seen)
        db.execute("UPDATE requests SET state = 'pending' WHERE fp = ?", (fp,))
    db.close()
    return urls[fp].split("/", 3)[3]


def tear_the_log(home: Path) -> None:
    """What a kill in the middle of appending to the transparency log leaves: half a line."""
    with open(home / "log" / "entries.jsonl", "ab") as entries:
        entries.write(b'{"index": 99, "data": "cut sh')


def refetched(market: DemoMarket, done: set[str]) -> set[str]:
    return {record.path.lstrip("/") for record in market.requests} & done


@pytest.mark.timeout(900)  # four crawl processes with browser captures, on a busy machine
def test_a_crawl_killed_three_times_resumes_without_refetching_or_duplicating(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    kit = write_brand_kit(tmp_path / "kit")
    assert run_ipwatch(home, "assets", "import", str(kit)).returncode == 0
    flagged = EXPECTED & expected_flagged()
    slow = FaultPlan({"/item/*": Fault("slow", delay=0.7)})
    with DemoMarket(faults=slow) as market:
        # after a few listings, once a listing page is done (listings leave the pipelines in
        # bursts: the detector is built for the first one; a kill inside a burst finds none)
        kill_when(
            home,
            market,
            lambda: indexed_listings(home / "index.db") >= 3 and bool(done_items(home)),
        )
        done = done_paths(home)
        assert any(path.startswith("item/") for path in done)
        market.reset()
        # just after a few seals (the last may not be indexed yet)
        already = sealed(home)
        kill_when(
            home, market, lambda: sealed(home) >= already + 2 and indexed_snapshots(home) >= 1
        )
        assert not refetched(market, done)
        done = done_paths(home)
        reused, page = unindex_a_seal(home)
        done.discard(page)
        tear_the_log(home)
        market.reset()
        # near the end
        kill_when(home, market, lambda: indexed_listings(home / "index.db") >= len(EXPECTED) - 2)
        assert not refetched(market, done)
        done = done_paths(home)
        done.discard(redo_a_recorded_page(home))
        market.reset()
        result = run_ipwatch(home, *crawl_args(home, market, "--resume"))
        assert result.returncode == 0, result.stdout + result.stderr
        assert not refetched(market, done)

    index = open_store(f"sqlite:///{home / 'index.db'}")
    last, *killed = index.list_runs()
    assert last.status == "finished" and [run.status for run in killed] == ["interrupted"] * 3
    chain = [last, *killed]
    assert [run.resumed_from for run in chain] == [run.id for run in killed] + [None]
    assert last.counters["resume_skipped"] > 0
    assert {listing.id.split(":", 1)[1] for listing in index.iter_listings("demo")} == EXPECTED
    # the finished run's states cover what the killed runs saw, and nothing is declared gone
    states = list(index.iter_listing_states(last.id))
    assert {state.listing_id.split(":", 1)[1] for state in states} == EXPECTED
    # all new to this job, the page done again after its upsert too (it found what it stored)
    assert {state.state for state in states} == {ListingState.NEW}
    assert last.counters["listings_gone"] == 0
    # every flagged listing sealed exactly once, and nothing else sealed
    snapshots = list(index.iter_snapshots())
    assert sorted(s.listing_id.split(":", 1)[1] for s in snapshots) == sorted(flagged)
    assert sealed(home) == len(flagged)  # and the torn line is gone
    again = index.get_snapshot(reused)  # indexed from its manifest, then linked, not resealed
    assert again is not None
    assert all(index.get_finding(f).snapshot_ids == [reused] for f in again.finding_ids)
    assert run_ipwatch(home, "evidence", "verify").returncode == 0
    assert not list((home / "jobs").glob("*.sqlite"))  # a finished job leaves no journal


def test_resume_without_a_killed_crawl_and_a_corrupt_journal_attack_are_clear_errors(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with DemoMarket() as market:
        nothing = run_ipwatch(home, *crawl_args(home, market, "--resume"))
        assert nothing.returncode != 0
        assert "no interrupted crawl of demo" in nothing.stderr, nothing.stderr
        both = run_ipwatch(home, *crawl_args(home, market, "--resume", "--fresh"))
        assert both.returncode != 0 and "contradict" in both.stderr, both.stderr
        profile = load_profile(str(home / "demo.yaml")).with_base_url(market.base_url)
        journal = job_path(home, profile, KEYWORDS)
        journal.parent.mkdir(parents=True)
        journal.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)  # a forged, torn header
        corrupt = run_ipwatch(home, *crawl_args(home, market))
    assert corrupt.returncode != 0
    message = " ".join(corrupt.stderr.split())
    assert "Traceback" not in message
    assert str(journal) in message.replace(" ", "") or journal.name in message, message
    assert "--fresh" in message, message
    assert not market.requests  # refused before fetching anything

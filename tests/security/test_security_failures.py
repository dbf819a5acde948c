"""When the disk fills up (a real one: a 8 MiB tmpfs), the crawl stops, says so in one line with
the number of listings it could not seal, exits non-zero, logs no page content, and the next
crawl (with space again) seals what was missed."""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.security.hostile import HostileSite, write_profile
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LISTINGS = 30
# bytes left free: the index, crawl journal and caches (SQLite files with their WALs) fit,
# a sealed snapshot does not for long
ROOM = 1_000_000


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real filesystem of its own (tmpfs needs root: `mount` refuses otherwise)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Take all but ``leave`` bytes of ``disk`` with one file; deleting it frees the space."""
    stat = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - leave))
    return filler


def test_disk_full_while_sealing_stops_the_crawl_loudly_without_leaking_page_content(
    small_disk: Path, tmp_path: Path
) -> None:
    home = small_disk / "home"
    registry = tmp_path / "registry.yaml"
    mark = {"id": "nova", "kind": "word_mark", "name": "NOVAFLEX", "authorized_sellers": ["acme"]}
    registry.write_text(yaml.safe_dump({"owners": [{"name": "Acme", "assets": [mark]}]}))
    assert run_ipwatch(home, "assets", "import", str(registry)).returncode == 0
    (home / "ipwatch.yaml").write_text("detection:\n  threshold: 0.1\n")  # flag them all
    cards = "".join(
        f'<div class="deal-card"><a href="/item/{n}">x</a></div>' for n in range(LISTINGS)
    )
    pages = {"/deals": cards}
    for n in range(LISTINGS):
        pages[f"/item/{n}"] = (
            f"<html><body><h1>NOVAFLEX running shoes {n}</h1><p>SECRET-PAGE-BODY</p></body></html>"
        )
    with HostileSite(pages) as shop:
        profile = write_profile(
            tmp_path / "shop.yaml",
            shop.base_url,
            render="http",
            item_id='"/item/([0-9]+)"',
            fields='{title: "h1::text"}',
        )
        crawl = ("crawl", str(profile), "--allow-private-host", f"127.0.0.1:{shop.port}")
        assert run_ipwatch(home, "findings", "list").returncode == 0  # the index exists
        filler = fill(small_disk, ROOM)
        full = run_ipwatch(home, *crawl)
        output = full.stdout + full.stderr
        assert full.returncode == 1, output
        last = full.stderr.strip().splitlines()[-1]
        assert last.startswith(f"the disk holding {home} is full: "), last
        unsealed = re.search(r": (\d+) flagged listing\(s\) of run \S+ were not sealed", last)
        assert unsealed and 0 < int(unsealed.group(1)) <= LISTINGS, last
        assert "Traceback" not in output, output[output.find("Traceback") - 300 :][:3000]
        assert "SECRET-PAGE-BODY" not in output
        # It stopped: the capture browser opened only the listings in flight when the disk filled
        # (Scrapy itself may have fetched every page by then; each is fetched once by it).
        assert shop.hits.count("/item/1") <= 2
        assert len(shop.hits) < 1 + LISTINGS + LISTINGS // 2

        filler.unlink()
        again = run_ipwatch(home, *crawl)
    assert again.returncode == 0, again.stdout + again.stderr
    # Every flagged listing now has sealed evidence in the index: sealed by this crawl, or sealed
    # by the first one just before the disk filled and recovered (re-indexed) at this start.
    listed = run_ipwatch(home, "findings", "list", "--all", "--json", "--limit", "1000")
    findings = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(findings) == LISTINGS and all(f["snapshot_ids"] for f in findings)


def test_disk_full_before_the_index_exists_is_one_line_not_a_traceback(
    small_disk: Path, tmp_path: Path
) -> None:
    home = small_disk / "home"
    home.mkdir()
    fill(small_disk, 4096)
    listed = run_ipwatch(home, "findings", "list")
    assert listed.returncode != 0
    assert "Traceback" not in listed.stdout + listed.stderr
    (line,) = [x for x in listed.stderr.splitlines() if x.strip()]
    assert "is full" in line and "index.db" in line, line

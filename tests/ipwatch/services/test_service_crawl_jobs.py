"""Crawl jobs: a killed crawl's journal is found again for the same marketplace and keywords,
required by --resume, discarded by --fresh, and every fault is one clear message."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest

from config.profile import load_profile
from crawler.frontier import CrawlJournal
from ipwatch.services.crawl_jobs import job_path, open_job
from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

PROFILE = load_profile("demo").with_base_url("http://127.0.0.1:8123")


def killed_job(home: Path, keywords: tuple[str, ...] = ("lumora", "leiting")) -> Path:
    """The journal a crawl killed after one finished request leaves behind."""
    journal = CrawlJournal(job_path(home, PROFILE, keywords))
    journal.put("run_id", "R-killed")
    journal.add("a", {"url": "http://127.0.0.1:8123/item/1"})
    journal.add("b", {"url": "http://127.0.0.1:8123/item/2"})
    journal.done("a")
    return journal.path


def test_a_new_job_resumes_nothing_and_the_same_job_resumes_the_killed_run(tmp_path: Path):
    fresh = open_job(tmp_path, PROFILE, ["lumora"])
    assert fresh.resumed_from is None and fresh.journal.parent == tmp_path / "jobs"
    killed_job(tmp_path)
    job = open_job(tmp_path, PROFILE, ["leiting", "lumora", "lumora"])  # order, repeats: same
    assert (job.resumed_from, job.done, job.pending) == ("R-killed", 1, 1)
    assert job.settings()["IPWATCH_RESUMED_FROM"] == "R-killed"
    assert job.since is not None and job.settings()["IPWATCH_RESUMED_SINCE"] == job.since
    assert fresh.settings()["IPWATCH_RESUMED_SINCE"] is None  # nothing killed to reuse from
    assert open_job(tmp_path, PROFILE, ["leiting", "lumora"], "resume").resumed_from == "R-killed"


def test_another_host_or_keyword_set_is_another_job(tmp_path: Path):
    killed_job(tmp_path)
    assert open_job(tmp_path, PROFILE, ["lumora"]).resumed_from is None
    elsewhere = PROFILE.with_base_url("http://127.0.0.1:9000")
    assert open_job(tmp_path, elsewhere, ["leiting", "lumora"]).resumed_from is None


def test_resume_without_a_killed_crawl_says_so(tmp_path: Path):
    with pytest.raises(InvalidRequestError, match=r"no interrupted crawl.*without --resume"):
        open_job(tmp_path, PROFILE, ["lumora"], "resume")


def test_fresh_discards_the_killed_crawls_journal(tmp_path: Path):
    path = killed_job(tmp_path)
    job = open_job(tmp_path, PROFILE, ["lumora", "leiting"], "fresh")
    assert job.journal == path and job.resumed_from is None and job.done == 0


def test_corrupt_journal_attack_is_refused_naming_the_file_and_fresh(tmp_path: Path):
    path = killed_job(tmp_path)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage" * 512)
    with pytest.raises(InvalidRequestError, match="--fresh") as caught:
        open_job(tmp_path, PROFILE, ["lumora", "leiting"])
    assert str(path) in str(caught.value)
    assert open_job(tmp_path, PROFILE, ["lumora", "leiting"], "fresh").resumed_from is None


def mount_tmpfs(folder: Path, *options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(["size=1m", *options]), "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")


@pytest.fixture
def jobs(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "jobs"
    subprocess.run(["umount", "-l", str(tmp_path / "jobs")], check=False, capture_output=True)


def test_read_only_job_folder_fault_is_one_clear_message(tmp_path: Path, jobs: Path):
    mount_tmpfs(jobs, "ro")
    with pytest.raises(InvalidRequestError, match=r"crawl journal .*jobs.*writable"):
        open_job(tmp_path, PROFILE, ["lumora"])


def test_full_disk_fault_on_the_job_folder_is_one_clear_message(tmp_path: Path, jobs: Path):
    mount_tmpfs(jobs)
    stat = os.statvfs(jobs)
    (jobs / "filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize))
    with pytest.raises(InvalidRequestError, match=r"crawl journal .*free disk space"):
        open_job(tmp_path, PROFILE, ["lumora"])

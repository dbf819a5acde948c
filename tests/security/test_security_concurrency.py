"""Two crawls of one marketplace into one data folder would seal the same listing twice."""

from __future__ import annotations

import os
import subprocess
import time
from typing import TYPE_CHECKING

from tests.security.hostile import HostileSite, write_profile
from tests.support import IPWATCH, run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


def test_second_crawl_of_the_same_folder_and_marketplace_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with HostileSite({"/deals": "<p>nothing</p>"}, delay=3) as shop:
        profile = write_profile(tmp_path / "shop.yaml", shop.base_url, render="http")
        args = [*IPWATCH, "--home", str(home), "crawl", str(profile)]
        allow = ["--allow-private-host", f"127.0.0.1:{shop.port}"]
        env = {**os.environ, "IPWATCH_HOME": str(home)}
        first = subprocess.Popen(
            [*args, *allow], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            lock = home / "runs" / "hostile.crawl.lock"
            deadline = time.monotonic() + 60
            while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
                time.sleep(0.1)
            second = run_ipwatch(home, "crawl", str(profile), *allow)
            assert second.returncode != 0
            assert "another crawl of hostile" in second.stderr
            assert "run R-" in second.stderr and f"pid {first.pid}" in second.stderr
        finally:
            first.kill()  # like kill -9: its lock is left behind, held by no one
            first.communicate()
        third = run_ipwatch(home, "crawl", str(profile), *allow)
    assert third.returncode == 0, third.stderr  # the dead crawl's lock is taken over


def test_sigterm_stops_a_crawl_stuck_on_a_slow_page_within_seconds(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with HostileSite({"/deals": "<p>slow</p>"}, delay=40) as shop:
        profile = write_profile(tmp_path / "shop.yaml", shop.base_url, render="http", timeout=120)
        args = [*IPWATCH, "--home", str(home), "crawl", str(profile)]
        allow = ["--allow-private-host", f"127.0.0.1:{shop.port}"]
        env = {**os.environ, "IPWATCH_HOME": str(home)}
        crawl = subprocess.Popen(
            [*args, *allow], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 60
            while "/deals" not in shop.hits and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "/deals" in shop.hits
            crawl.terminate()
            stopped = time.monotonic()
            crawl.wait(timeout=25)
            assert time.monotonic() - stopped < 20
        finally:
            crawl.kill()
            crawl.communicate()

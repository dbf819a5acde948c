from __future__ import annotations

from pathlib import Path

from config.profile import load_profile
from config.settings import AppConfig, CrawlConfig
from crawler.extensions.crawl_run import new_run_id
from ipwatch.services.crawl import crawl_settings
from ipwatch.services.workspace import Workspace


def test_profile_politeness_and_private_hosts(tmp_path: Path) -> None:
    workspace = Workspace(
        tmp_path, AppConfig(crawl=CrawlConfig(allowed_private_hosts=["10.0.0.5"]))
    )
    profile = load_profile("demo").with_base_url("http://127.0.0.1:9999")
    settings = crawl_settings(workspace, profile, trigger="manual", allowed_private_hosts=["db"])
    assert settings.getbool("ROBOTSTXT_OBEY") is profile.politeness.obey_robots_txt
    assert settings.getint("RETRY_TIMES") == profile.politeness.retry_times
    assert settings.getfloat("IPWATCH_RETRY_AFTER_MAX") == profile.politeness.max_retry_after
    assert settings.getlist("IPWATCH_ALLOWED_PRIVATE_HOSTS") == [
        "10.0.0.5",
        "db",
    ]  # never the profile host implicitly
    assert settings["IPWATCH_WORKSPACE"] is workspace
    # Scrapy deep-copies settings per crawler; the workspace must survive as the same object.
    assert settings.copy()["IPWATCH_WORKSPACE"] is workspace
    assert settings["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"] == "/usr/bin/chromium"


def test_run_ids_are_sortable_and_unique() -> None:
    first, second = new_run_id(), new_run_id()
    assert first != second
    assert first.startswith("R-") and first[2:10].isdigit()

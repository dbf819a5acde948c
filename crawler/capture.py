"""Browser capture as the crawl configures it: Scrapy settings in, ``BrowserSettings`` out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from config import limits
from evidence.capture.browser import DEFAULT_ARGS, BrowserSettings
from evidence.capture.chromium import CHROMIUM

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def browser_settings(settings: BaseSettings) -> BrowserSettings:
    """Chromium as scrapy-playwright launches it; viewport, limits, retries, the marketplace's
    proxy pool and logged-in session from IPWATCH_*, so evidence is seen as the crawl saw it."""
    launch = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    width, height = (int(v) for v in settings.getlist("IPWATCH_CAPTURE_VIEWPORT", [1280, 800]))
    return BrowserSettings(
        executable_path=str(launch.get("executable_path") or CHROMIUM),
        args=tuple(launch.get("args") or DEFAULT_ARGS),
        viewport=(width, height),
        user_agent=settings.get("USER_AGENT") or "ipwatch",
        timeout=settings.getfloat("IPWATCH_CAPTURE_TIMEOUT", 45.0),
        retries=settings.getint("IPWATCH_CAPTURE_RETRIES", 2),
        backoff=settings.getfloat("IPWATCH_CAPTURE_BACKOFF", 2.0),
        concurrency=max(1, settings.getint("IPWATCH_CAPTURE_CONCURRENCY", 2)),
        max_body_bytes=settings.getint(
            "IPWATCH_CAPTURE_MAX_BODY_BYTES", limits.CAPTURE_MAX_BODY_BYTES
        ),
        max_total_bytes=settings.getint(
            "IPWATCH_CAPTURE_MAX_TOTAL_BYTES", limits.CAPTURE_MAX_TOTAL_BYTES
        ),
        proxies=tuple(settings.getlist("IPWATCH_PROXIES")),
        storage_state=settings.get("IPWATCH_STORAGE_STATE") or None,
    )

"""Browser capture as the crawl configures it: Scrapy settings in, ``BrowserSettings`` out."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from config import limits
from crawler.middlewares.ssrf import AddressPolicy
from evidence.capture.browser import DEFAULT_ARGS, BrowserSettings
from evidence.capture.chromium import CHROMIUM

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from scrapy.settings import BaseSettings


def browser_settings(settings: BaseSettings) -> BrowserSettings:
    """Chromium as scrapy-playwright launches it; viewport, limits and retries from IPWATCH_*."""
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
    )


def private_address_refuser(allowed_hosts: Iterable[str]) -> Callable[[str], Awaitable[str | None]]:
    """The crawler's SSRF rule for the browser: a listing's page may not make it look inwards."""
    policy = AddressPolicy.from_hosts(allowed_hosts)

    async def refuse(url: str) -> str | None:
        return await asyncio.to_thread(policy.refusal, url)

    return refuse

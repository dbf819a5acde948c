"""Helpers for tests that talk to the demo shop over real HTTP."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING

from demomarket.catalog import CATALOG
from demomarket.server import DemoMarket

if TYPE_CHECKING:
    from config.profile import MarketplaceProfile
    from demomarket.faults import FaultPlan
    from demomarket.records import Expectation

USER_AGENT = "ipwatch-tests/1.0"


@dataclass(frozen=True)
class Fetched:
    """A response read to the end (or as far as the server sent it)."""

    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@contextmanager
def running_market(faults: FaultPlan | None = None) -> Iterator[DemoMarket]:
    """A started shop on a free port, stopped afterwards."""
    with DemoMarket(faults=faults) as market:
        yield market


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> Fetched:
    """GET ``url``; HTTP error statuses are returned, not raised (transport errors still raise)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"fetch() takes http(s) URLs only, got {url!r}")
    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    request = urllib.request.Request(url, headers=sent)  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers, error.read())


def ground_truth() -> dict[str, Expectation]:
    """What a correct detector concludes about each listing, keyed by item id."""
    return CATALOG.expectations()


def expected_flagged() -> set[str]:
    """Item ids a correct detector flags."""
    return {item_id for item_id, e in ground_truth().items() if e.expected_flag}


def demo_profile(market: DemoMarket) -> MarketplaceProfile:
    """The bundled ``demo`` marketplace profile pointed at this server's port."""
    from config.profile import load_profile

    return load_profile("demo").with_base_url(market.base_url)


def chromium_executable() -> str | None:
    """Debian's Chromium, which ipwatch drives (browsers are never downloaded)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")

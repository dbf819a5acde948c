"""One page through the crawl's own spider code, to check a profile (``ipwatch profile check``).

The request goes through the same downloader (private-address guard, Chromium for rendered
pages) and the same list-page and listing extraction as a crawl; nothing is detected, sealed
or stored. Results land in a ``PageCheck`` the caller passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import scrapy

from crawler.extraction.api_list import ApiPageError
from crawler.spiders.marketplace import LIST_PAGE, PAGE_NUMBER, PAGE_TYPE, MarketplaceSpider

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from scrapy.http import Response
    from twisted.python.failure import Failure

    from config.profile import ListPage, MarketplaceProfile
    from crawler.extraction.model import ExtractedListing


@dataclass
class PageCheck:
    """What one checked page yielded; ``problem`` says why nothing could be read."""

    url: str
    kind: str  # "list" or "listing"
    status: int | None = None
    final_url: str | None = None
    links: tuple[str, ...] = ()
    next_page: str | None = None
    skipped: int = 0
    listing: ExtractedListing | None = None
    item_id: str | None = None
    problem: str | None = None
    done: bool = field(default=False, repr=False)


class ProfileCheckSpider(MarketplaceSpider):
    """Fetch one page the way a crawl would and record what the profile extracts from it."""

    name = "profile_check"
    uses_extraction_cache = False  # a check reads the page afresh, and stores nothing

    def __init__(
        self,
        profile: MarketplaceProfile,
        check: PageCheck,
        page: ListPage | None = None,
        **kwargs: Any,
    ):
        super().__init__(profile, **kwargs)
        self.check = check
        self.page = page

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.check.kind == "list":
            assert self.page is not None
            meta: dict[str, Any] = {PAGE_TYPE: "list", LIST_PAGE: self.page, PAGE_NUMBER: 1}
            meta.update(self._render_meta(self.page.render, self.page.wait_for))
            callback = self.check_list
        else:
            listing = self.profile.listing
            meta = {PAGE_TYPE: "listing", **self._render_meta(listing.render, listing.wait_for)}
            callback = self.check_listing
        yield scrapy.Request(
            self.check.url,
            callback=callback,
            errback=self.check_failed,
            meta=meta,
            dont_filter=True,
        )

    def _seen(self, response: Response) -> None:
        self.check.status = response.status
        self.check.final_url = response.url
        self.check.done = True

    def check_list(self, response: Response) -> None:
        self._seen(response)
        assert self.page is not None
        try:
            found = self.list_page_links(response, self.page)
        except ApiPageError as exc:
            self.check.problem = str(exc)
            return
        self.check.links, self.check.next_page = found.links, found.next_page
        self.check.skipped = found.skipped

    def check_listing(self, response: Response) -> None:
        self._seen(response)
        for item in self.parse_listing(response):
            self.check.listing = item.extracted
            self.check.item_id = item.item_id

    def check_failed(self, failure: Failure) -> None:
        """Blocked, unreachable or an HTTP error: the reason, as the crawl would log it."""
        self.check.done = True
        response = getattr(failure.value, "response", None)
        if response is not None:
            self.check.status = response.status
            self.check.problem = f"HTTP {response.status} from {response.url[:2000]}"
            return
        self.check.problem = (
            f"{failure.type.__name__ if failure.type else 'Error'}: " + str(failure.value)[:2000]
        )

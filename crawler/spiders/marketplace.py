"""The one generic spider: a marketplace profile says where listings are and how to read them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlsplit

import scrapy
from scrapy import signals
from scrapy_playwright.page import PageMethod

from config.patterns import MAX_SUBJECT, compile_regex
from config.profile import ListPage, MarketplaceProfile, load_profile
from crawler.blocks import BlockedPage
from crawler.context import workspace_for
from crawler.extensions.crawl_run import new_run_id
from crawler.extraction import extract_listing
from crawler.extraction.api_list import ApiPage, ApiPageError, read_api_page
from crawler.extraction_cache import ExtractionCache
from crawler.items import ListingItem
from crawler.listing_id import listing_id
from crawler.middlewares.conditional import NOT_MODIFIED
from crawler.run_states import GONE_STATUSES, REMOVED_MARKERS
from crawler.selectors import select_all
from evidence.seal.snapshot import Capture

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from crawler.extraction.model import ExtractedListing

PAGE_TYPE = "ipwatch_page_type"
LIST_PAGE = "ipwatch_list_page"
MAX_PAGE_TEXT = 200_000  # characters of a page searched for a "no longer available" notice
PAGE_NUMBER = "ipwatch_page_number"


# Credentials the crawl sends that are not part of what the marketplace showed: never sealed.
_PRIVATE_HEADERS = frozenset({b"proxy-authorization"})


def header_pairs(headers: Any) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        if name.lower() in _PRIVATE_HEADERS:
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


class MarketplaceSpider(scrapy.Spider):
    """Search the marketplace for the registry's keywords, follow listings, yield ListingItems."""

    name = "marketplace"
    # Listing pages whose bytes did not change are not read again (crawler.extraction_cache).
    uses_extraction_cache = True

    def __init__(
        self,
        profile: MarketplaceProfile | str,
        keywords: list[str] | str = (),  # type: ignore[assignment]
        crawl_run_id: str | None = None,
        recheck_urls: list[str] | tuple[str, ...] = (),
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.profile = profile if isinstance(profile, MarketplaceProfile) else load_profile(profile)
        if isinstance(keywords, str):  # `scrapy crawl marketplace -a keywords=a,b`
            keywords = [k.strip() for k in keywords.split(",") if k.strip()]
        self.keywords = list(dict.fromkeys(keywords))
        self.crawl_run_id = crawl_run_id or new_run_id()
        # listing id -> why it is gone (404/410, a "no longer available" page), for the run record
        self.gone_listings: dict[str, str] = {}
        self.allowed_domains = list(self.profile.domains())
        # Listings the application asks about whether search finds them or not (noticed and
        # taken-down ones: is it gone? is it back?), on this profile's hosts only.
        hosts = set(self.allowed_domains)
        self.recheck_urls = [
            url for url in dict.fromkeys(recheck_urls) if urlsplit(url).hostname in hosts
        ]
        # Listings found on each first list page, this run and the last (ListYieldMemory).
        self.list_yields: dict[str, int] = {}
        self.previous_yields: dict[str, int] = {}
        self._item_id = (
            compile_regex(self.profile.listing.item_id) if self.profile.listing.item_id else None
        )
        self.removed_patterns = [  # page wording: case never matters
            compile_regex(f"(?i:{p})") for p in self.profile.listing.removed_text
        ]
        self.extraction_cache: ExtractionCache | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> MarketplaceSpider:
        spider: MarketplaceSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.uses_extraction_cache and settings.getbool("IPWATCH_EXTRACTION_CACHE", True):
            cache = ExtractionCache(
                workspace_for(crawler).home / "cache" / "extracted.sqlite",
                max_age_s=settings.getfloat("IPWATCH_HTTP_CACHE_MAX_AGE_DAYS", 14) * 86_400,
                max_bytes=int(settings.getfloat("IPWATCH_EXTRACTION_CACHE_MAX_MB", 256) * 2**20),
            )
            spider.extraction_cache = cache
            crawler.signals.connect(spider._close_extraction_cache, signal=signals.spider_closed)
        return spider

    def _close_extraction_cache(self) -> None:
        if self.extraction_cache is not None:
            self.extraction_cache.close()

    def _extract(self, response: Response) -> ExtractedListing:
        encoding = getattr(response, "encoding", None)
        fields = self.profile.listing.fields
        if self.extraction_cache is None:
            return extract_listing(response.body, response.url, fields, encoding=encoding)
        cache = self.extraction_cache
        hits = cache.hits
        found = cache.extract(response.body, response.url, fields, encoding=encoding)
        if cache.hits > hits:
            self.crawler.stats.inc_value("ipwatch/extraction_cached")
        return found

    async def start(self) -> AsyncIterator[scrapy.Request]:
        search = self.profile.search
        if search is not None:
            for keyword in self.keywords:
                url = self.profile.absolute(search.url.format(keyword=quote_plus(keyword)))
                yield self._list_request(url, search, 1)
        for section in self.profile.sections:
            yield self._list_request(self.profile.absolute(section.url), section, 1)
        listing = self.profile.listing
        for url in self.recheck_urls:
            self.crawler.stats.inc_value("ipwatch/rechecked")
            yield scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.on_error,
                meta={PAGE_TYPE: "listing", **self._render_meta(listing.render, listing.wait_for)},
            )

    def _list_request(self, url: str, page: ListPage, number: int) -> scrapy.Request:
        meta: dict[str, Any] = {PAGE_TYPE: "list", LIST_PAGE: page, PAGE_NUMBER: number}
        meta.update(self._render_meta(page.render, page.wait_for))
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_error, meta=meta)

    def journal_state(self, request: scrapy.Request) -> dict[str, Any] | None:
        """What the crawl journal keeps of a request to make it again after a kill (JSON);
        None for a request this spider did not make."""
        kind = request.meta.get(PAGE_TYPE)
        if kind == "listing":
            return {"url": request.url, "page_type": kind, "priority": request.priority}
        page = request.meta.get(LIST_PAGE)
        if kind != "list" or page is None:
            return None
        sections = (str(i) for i, s in enumerate(self.profile.sections) if s is page)
        which = "search" if page is self.profile.search else next(sections, None)
        if which is None:
            return None
        return {
            "url": request.url,
            "page_type": kind,
            "list_page": which,
            "page_number": request.meta.get(PAGE_NUMBER, 1),
            "priority": request.priority,
        }

    def from_journal(self, state: dict[str, Any]) -> scrapy.Request:
        """The request ``journal_state`` described, as this spider makes it."""
        url = str(state["url"])
        if state["page_type"] == "listing":
            listing = self.profile.listing
            request = scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.on_error,
                meta={PAGE_TYPE: "listing", **self._render_meta(listing.render, listing.wait_for)},
            )
        else:
            which = state["list_page"]
            page = self.profile.search if which == "search" else self.profile.sections[int(which)]
            if page is None:
                raise ValueError(f"the profile has no {which} page")
            request = self._list_request(url, page, int(state["page_number"]))
        return request.replace(priority=int(state.get("priority", 0)))

    @staticmethod
    def _render_meta(render: str, wait_for: str | None) -> dict[str, Any]:
        if render != "playwright":
            return {}
        methods = [PageMethod("wait_for_selector", wait_for)] if wait_for else []
        return {"playwright": True, "playwright_page_methods": methods}

    def list_page_links(self, response: Response, page: ListPage) -> ApiPage:
        """Listing URLs and the next page of one list page: by selector, or from its JSON."""
        if page.api is not None:
            return read_api_page(
                response.body, response.url, page.api, getattr(response, "encoding", None)
            )
        assert page.listing_links is not None  # the profile has one or the other
        links = tuple(response.urljoin(href) for href in select_all(response, page.listing_links))
        following = None
        if page.next_page:
            following = next(iter(select_all(response, page.next_page)), None)
        return ApiPage(links, response.urljoin(following) if following else None, 0)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        page: ListPage = response.meta[LIST_PAGE]
        number: int = response.meta[PAGE_NUMBER]
        self.crawler.stats.inc_value("ipwatch/pages")
        try:
            found = self.list_page_links(response, page)
        except ApiPageError as exc:
            self.crawler.stats.inc_value("ipwatch/errors")
            self.crawler.stats.inc_value("ipwatch/errors/api_page")
            self.logger.warning("unreadable list page %s: %s", response.url[:2000], exc)
            return
        if found.skipped:
            self.crawler.stats.inc_value("ipwatch/api_records_skipped", found.skipped)
        listing = self.profile.listing
        if number == 1:
            self._check_yield(response, len(found.links))
        for href in found.links:
            yield response.follow(
                href,
                callback=self.parse_listing,
                errback=self.on_error,
                meta={PAGE_TYPE: "listing", **self._render_meta(listing.render, listing.wait_for)},
            )
        if found.next_page and number < page.max_pages:
            yield self._list_request(found.next_page, page, number + 1)

    def _check_yield(self, response: Response, found: int) -> None:
        """A first list page that listed items last run and lists none now, without the
        profile's 'no results' marker, is more likely a soft block than an empty shelf."""
        parts = urlsplit(response.request.url if response.request is not None else response.url)
        url = parts.path + (f"?{parts.query}" if parts.query else "")  # the host may move
        self.list_yields[url] = found
        empty = self.profile.blocks.empty_results
        if found or not self.previous_yields.get(url):
            return
        if empty is not None and select_all(response, empty):
            return
        self.crawler.stats.inc_value("ipwatch/blocked_suspect")
        self.logger.warning(
            "no listings at %s, which listed %d last run: suspected block page",
            url[:2000],
            self.previous_yields[url],
        )

    def parse_listing(self, response: Response) -> Iterator[ListingItem]:
        self.crawler.stats.inc_value("ipwatch/pages")
        extracted = self._extract(response)
        if extracted.price is None and self._says_removed(response):
            self._gone(response.url, "no longer available page")
            return
        request = response.request
        assert request is not None
        item = ListingItem(
            marketplace=self.profile.name,
            crawl_run_id=self.crawl_run_id,
            item_id=self._extract_item_id(response.url, extracted.sku),
            extracted=extracted,
            capture=Capture(
                requested_url=request.meta.get("redirect_urls", [request.url])[0],
                final_url=response.url,
                status=response.status,
                request_headers=header_pairs(request.headers),
                response_headers=header_pairs(response.headers),
                body=response.body,
                captured_at=datetime.now(UTC),
                user_agent=(request.headers.get(b"User-Agent") or b"").decode("latin-1"),
                server_ip=str(response.ip_address) if response.ip_address else None,
                crawl_run_id=self.crawl_run_id,
                body_decoded=True,  # Scrapy already undid gzip and chunked encoding
            ),
        )
        if NOT_MODIFIED in response.flags:  # a stored copy: sealing fetches the page afresh
            item.extra["not_modified"] = True
        yield item

    def _extract_item_id(self, url: str, sku: str | None) -> str | None:
        if self._item_id is not None:
            match = self._item_id.search(url[:MAX_SUBJECT])  # bounded, whatever the engine
            if match:
                found: str | None = match.group(1)
                return found
        return sku

    def _says_removed(self, response: Response) -> bool:
        """A page that says the listing was taken down, in the built-in phrases or the
        profile's ``listing.removed_text`` (asked only of pages with no price: a listing's own
        hostile text must not be able to declare it gone)."""
        if not hasattr(response, "xpath"):
            return False
        text = (response.xpath("string(//body)").get() or "")[:MAX_PAGE_TEXT]
        if REMOVED_MARKERS.search(text) is not None:
            return True
        return any(pattern.search(text) for pattern in self.removed_patterns)

    def _gone(self, url: str, why: str) -> None:
        lid = listing_id(self.profile.name, self._extract_item_id(url, None), url)
        self.gone_listings[lid] = why
        self.crawler.stats.inc_value("ipwatch/listing_pages_gone")

    def on_error(self, failure: Failure) -> None:
        """Count and log every request that finally failed, so the crawl run shows it."""
        request = getattr(failure, "request", None)
        if isinstance(failure.value, BlockedPage):  # counted as blocked_lost by the middleware
            self.logger.warning("blocked page dropped: %s", failure.getErrorMessage()[:2000])
            return
        kind = failure.type.__name__ if failure.type else "Error"
        response = getattr(failure.value, "response", None)
        if response is not None:
            kind = f"http_{response.status}"
            gone = response.status in GONE_STATUSES  # a taken-down listing is not an error
            if gone and request is not None and request.meta.get(PAGE_TYPE) == "listing":
                self._gone(request.url, f"http {response.status}")
                return
        self.crawler.stats.inc_value("ipwatch/errors")
        self.crawler.stats.inc_value(f"ipwatch/errors/{kind}")
        self.logger.warning(
            "request failed", extra={"url": getattr(request, "url", None), "error": kind}
        )

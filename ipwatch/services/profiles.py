"""Marketplace profiles: which ones exist (bundled and the data folder's), and checking one
against a live page before a crawl relies on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote_plus, urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from config.errors import ConfigError
from config.patterns import MAX_SUBJECT, compile_regex
from config.profile import PROFILES_DIR, available_profiles, load_profile
from config.settings import load_app_config
from crawler import settings as default_settings
from crawler.check import PageCheck, ProfileCheckSpider
from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from config.profile import ListPage, MarketplaceProfile

Kind = Literal["auto", "list", "listing"]
REQUIRED_FIELDS = ("title", "price")  # a listing without these cannot be matched or priced


@dataclass(frozen=True)
class ProfileRow:
    """One profile as ``profile list`` shows it; ``problem`` is set when it does not load."""

    name: str
    source: str  # "bundled" or "data folder"
    path: str
    base_url: str
    pages: str  # search / sections, with how each is read
    overrides_bundled: bool
    problem: str | None


def _describe_pages(profile: MarketplaceProfile) -> str:
    pages = [("search", profile.search)] if profile.search else []
    pages += [(f"section {n + 1}", page) for n, page in enumerate(profile.sections)]
    return ", ".join(
        f"{label} ({'api' if page.api else 'html'}, {page.render})" for label, page in pages
    )


def list_profiles(home: Path) -> list[ProfileRow]:
    """Every profile a crawl can name, the data folder's first; broken ones say why."""
    bundled = {path.stem for path in PROFILES_DIR.glob("*.yaml")}
    rows = []
    for name, path in sorted(available_profiles(home).items()):
        local = path.parent != PROFILES_DIR
        try:
            profile = load_profile(path)
        except ConfigError as exc:
            rows.append(ProfileRow(name, "data folder" if local else "bundled", str(path), "",
                                   "", local and name in bundled, str(exc)))  # fmt: skip
            continue
        rows.append(
            ProfileRow(
                name=name,
                source="data folder" if local else "bundled",
                path=str(path),
                base_url=profile.base_url,
                pages=_describe_pages(profile),
                overrides_bundled=local and name in bundled,
                problem=None,
            )
        )
    return rows


@dataclass(frozen=True)
class ProfileCheck:
    """The result of ``check_profile``: the page, what came out, what is missing."""

    profile: str
    page: PageCheck
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.page.problem is None and not self.missing


def _template_path(template: str) -> str:
    return urlsplit(template.split("{", 1)[0]).path.rstrip("/")


def _list_page_for(profile: MarketplaceProfile, url: str) -> ListPage:
    """The search or section whose path the URL has; else the search, else the first section."""
    pages = ([profile.search] if profile.search else []) + list(profile.sections)
    if not pages:
        raise InvalidRequestError(
            f"profile {profile.name} has no search or sections to read a list page with; "
            "check a listing page (--kind listing)"
        )
    path = urlsplit(url).path.rstrip("/")
    return next((p for p in pages if _template_path(profile.absolute(p.url)) == path), pages[0])


def _start_url(profile: MarketplaceProfile, keyword: str | None) -> str:
    if profile.search is not None and keyword:
        return profile.absolute(profile.search.url.format(keyword=quote_plus(keyword)))
    if profile.sections:
        return profile.absolute(profile.sections[0].url)
    raise InvalidRequestError(
        f"profile {profile.name} only searches: give a URL or --keyword to search for"
    )


def _kind(profile: MarketplaceProfile, url: str, kind: Kind) -> Literal["list", "listing"]:
    if kind != "auto":
        return kind
    pattern = profile.listing.item_id
    if pattern and compile_regex(pattern).search(url[:MAX_SUBJECT]):
        return "listing"
    return "list"


def check_settings(profile: MarketplaceProfile, allowed_private_hosts: Sequence[str]) -> Settings:
    """The crawl's downloader (guard, retries, Chromium) without pipelines or run records."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    polite = profile.politeness
    settings.setdict(
        {
            "ROBOTSTXT_OBEY": polite.obey_robots_txt,
            "DOWNLOAD_TIMEOUT": polite.download_timeout,
            "RETRY_TIMES": min(polite.retry_times, 1),
            "IPWATCH_RETRY_AFTER_MAX": min(polite.max_retry_after, 10),
            "IPWATCH_ALLOWED_PRIVATE_HOSTS": list(allowed_private_hosts),
            "ITEM_PIPELINES": {},
            "EXTENSIONS": {},
            "LOG_LEVEL": "ERROR",
        },
        priority="cmdline",
    )
    return settings


def check_profile(
    home: Path,
    name_or_path: str,
    url: str | None = None,
    *,
    keyword: str | None = None,
    base_url: str | None = None,
    kind: Kind = "auto",
    allowed_private_hosts: Sequence[str] = (),
) -> ProfileCheck:
    """Fetch one live page as a crawl would and report what the profile extracts from it.

    Private hosts are refused unless allowed here or in the data folder's
    ``crawl.allowed_private_hosts``, as for a crawl. Runs Scrapy's reactor, which starts once
    per process: one check per process.
    """
    profile = load_profile(name_or_path, home=home)
    if base_url:
        profile = profile.with_base_url(base_url)
    target = profile.absolute(url) if url else _start_url(profile, keyword)
    if urlsplit(target).scheme not in ("http", "https"):
        raise InvalidRequestError(f"{target[:200]!r} is not an http(s) URL")
    chosen = _kind(profile, target, kind)
    page = _list_page_for(profile, target) if chosen == "list" else None
    # The target's own host may be fetched (robots.txt, the page); links stay the profile's.
    host = urlsplit(target).hostname or ""
    if host not in profile.domains():
        profile = profile.model_copy(update={"allowed_domains": (*profile.domains(), host)})
    check = PageCheck(url=target, kind=chosen)
    allowed = [*load_app_config(home).crawl.allowed_private_hosts, *allowed_private_hosts]
    process = CrawlerProcess(check_settings(profile, allowed))
    process.crawl(ProfileCheckSpider, profile=profile, check=check, page=page)
    process.start()
    if not check.done and check.problem is None:
        check.problem = (
            "the page was not fetched: robots.txt may forbid it, or the URL is outside the "
            "profile's allowed_domains"
        )
    return ProfileCheck(profile.name, check, _missing(check))


def _missing(check: PageCheck) -> tuple[str, ...]:
    if check.problem is not None:
        return ()
    if check.kind == "list":
        return () if check.links else ("listing links",)
    if check.listing is None:
        return ("listing",)
    fields = check.listing.to_dict()
    return tuple(name for name in REQUIRED_FIELDS if not fields.get(name))


__all__ = ["ProfileCheck", "ProfileRow", "check_profile", "list_profiles"]

"""Marketplace profiles: what the generic spider needs to crawl one marketplace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from config.errors import ConfigError, describe_validation_error
from config.json_path import parse_path, template_paths
from config.patterns import check_selector, compile_regex

PROFILES_DIR = Path(__file__).parent / "marketplaces"

Render = Literal["http", "playwright"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _selector(value: str | None) -> str | None:
    """Every selector compiles when the profile loads, not mid-crawl."""
    if value is not None:
        check_selector(value)
    return value


_ENGINE = re.compile(r"[A-Za-z][\w-]*=")  # text=..., xpath=..., data-testid=...


def _wait_selector(value: str | None) -> str | None:
    """Playwright selectors: CSS is checked; engine syntax (``text=``, ``>>``) is Playwright's."""
    if value is None or ">>" in value or _ENGINE.match(value):
        return value
    return _selector(value)


class FieldSelectors(_Strict):
    """Fallback selectors used when structured data lacks a field.

    Each value is a CSS selector (``::text`` / ``::attr(name)`` allowed) or ``xpath:`` + an XPath.
    """

    title: str | None = None
    description: str | None = None
    brand: str | None = None
    price: str | None = None
    currency: str | None = None
    availability: str | None = None
    sku: str | None = None
    gtin: str | None = None
    mpn: str | None = None
    images: str | None = None
    seller_name: str | None = None
    seller_id: str | None = None
    seller_url: str | None = None
    category: str | None = None

    @field_validator("*")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return _selector(value)


class ApiList(_Strict):
    """A list page that is JSON (a store API) or holds JSON state (``window.runParams``).

    Paths are dotted keys (``products``, ``mods.itemList.content``; ``.`` is the whole
    document); ``link`` is a URL template over one record (``/products/{handle}``).
    """

    state: str | None = Field(
        default=None,
        description="the HTML page's script variable holding the JSON (window.runParams); "
        "unset: the response itself is JSON",
    )
    items: str = Field(description="path to the list of records")
    link: str = Field(description="listing URL template over a record, e.g. {permalink}")
    next_page: str | None = Field(default=None, description="path to the next page's URL")
    page_param: str | None = Field(
        default=None,
        description="query parameter counting pages: the next page is the same URL with it "
        "plus one, until a page has no records",
    )

    @field_validator("items", "next_page")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is not None:
            parse_path(value)
        return value

    @field_validator("state")
    @classmethod
    def _variable(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*){0,5}", value
        ):
            raise ValueError(
                f"state {value!r} is not a script variable; write it as the page does, "
                "e.g. window.runParams"
            )
        return value

    @field_validator("link")
    @classmethod
    def _template(cls, value: str) -> str:
        if not template_paths(value):
            raise ValueError(
                f"link {value!r} uses no record field; write e.g. {{permalink}} or "
                "/products/{handle}"
            )
        return value

    @field_validator("page_param")
    @classmethod
    def _param(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", value):
            raise ValueError("page_param must be a query parameter name such as page")
        return value

    @model_validator(mode="after")
    def _one_way_on(self) -> ApiList:
        if self.next_page and self.page_param:
            raise ValueError("give next_page or page_param, not both")
        return self


class ListPage(_Strict):
    """A page type that lists listings (search results, a category, a JS-rendered section)."""

    url: str = Field(description="URL or path; search pages use {keyword}")
    listing_links: str | None = Field(
        default=None, description="selector yielding listing URLs (HTML list pages)"
    )
    api: ApiList | None = Field(
        default=None, description="how to read listing URLs from JSON (store APIs, page state)"
    )
    next_page: str | None = Field(default=None, description="selector yielding the next page URL")
    max_pages: int = Field(default=5, ge=1, le=1000)
    render: Render = "http"
    wait_for: str | None = Field(default=None, description="CSS selector to await when rendering")

    @field_validator("listing_links", "next_page")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return _selector(value)

    @field_validator("wait_for")
    @classmethod
    def _waitable(cls, value: str | None) -> str | None:
        return _wait_selector(value)

    @model_validator(mode="after")
    def _links_somehow(self) -> ListPage:
        if (self.listing_links is None) == (self.api is None):
            raise ValueError(
                "give exactly one of listing_links (a selector, for HTML pages) and api "
                "(for JSON APIs and pages holding JSON state)"
            )
        if self.api is not None and self.next_page is not None:
            raise ValueError(
                "with api, say how to page inside it: api.page_param or api.next_page "
                "(a JSON path), not the next_page selector"
            )
        return self


class ListingPage(_Strict):
    render: Render = "http"
    wait_for: str | None = None
    item_id: str | None = Field(
        default=None, description="regex with one group that takes the item id out of the URL"
    )
    fields: FieldSelectors = FieldSelectors()
    removed_text: tuple[str, ...] = Field(
        default=(),
        max_length=50,
        description="regexes (case-insensitive) for this marketplace's own 'listing taken "
        "down' page, e.g. '宝贝已下架', besides the built-in phrases; asked only of pages "
        "without a price",
    )

    @field_validator("removed_text")
    @classmethod
    def _linear(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            compile_regex(f"(?i:{pattern})")
        return value

    @field_validator("item_id")
    @classmethod
    def _one_group(cls, value: str | None) -> str | None:
        if value is not None and compile_regex(value).groups != 1:
            raise ValueError("item_id must be a regular expression with exactly one group")
        return value

    @field_validator("wait_for")
    @classmethod
    def _waitable(cls, value: str | None) -> str | None:
        return _wait_selector(value)


class Politeness(_Strict):
    obey_robots_txt: bool = True
    download_delay: float = Field(default=0.25, ge=0)
    concurrent_requests_per_domain: int = Field(default=4, ge=1, le=64)
    autothrottle: bool = True
    autothrottle_target_concurrency: float = Field(default=2.0, gt=0)
    retry_times: int = Field(default=3, ge=0, le=20)
    download_timeout: float = Field(default=30, gt=0)
    max_retry_after: float = Field(default=120, ge=0, description="longest Retry-After honoured, s")
    max_consecutive_blocks: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="block pages in a row that stop the crawl (the circuit breaker)",
    )


class BlockRules(_Strict):
    """This marketplace's own block pages, on top of the built-in markers (crawler.blocks)."""

    patterns: tuple[str, ...] = Field(
        default=(), description="regexes; a page whose text matches one is a block page"
    )
    status_codes: tuple[int, ...] = Field(
        default=(), description="statuses that always mean a block page (e.g. 405, 418)"
    )
    empty_results: str | None = Field(
        default=None,
        description="selector of the 'no results' message: a list page without listings and "
        "without it is suspected blocked",
    )

    @field_validator("patterns")
    @classmethod
    def _compile(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for number, pattern in enumerate(values):
            try:
                compile_regex(pattern)
            except ValueError as exc:
                raise ValueError(f"pattern {number} ({pattern[:80]!r}): {exc}") from None
        return values

    @field_validator("status_codes")
    @classmethod
    def _statuses(cls, values: tuple[int, ...]) -> tuple[int, ...]:
        wrong = [code for code in values if not 200 <= code <= 599]
        if wrong:
            raise ValueError(f"status codes must be 200-599, got {wrong}")
        return values

    @field_validator("empty_results")
    @classmethod
    def _selector(cls, value: str | None) -> str | None:
        return _selector(value)


class MarketplaceProfile(_Strict):
    """One marketplace: where to start, how to find listings, how to extract them, how politely."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    base_url: str
    allowed_domains: tuple[str, ...] = ()
    search: ListPage | None = None
    sections: tuple[ListPage, ...] = ()
    listing: ListingPage = ListingPage()
    politeness: Politeness = Politeness()
    blocks: BlockRules = BlockRules()

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("base_url must be an absolute http(s) URL, e.g. https://shop.example")
        return value.rstrip("/") + "/"

    def domains(self) -> tuple[str, ...]:
        return self.allowed_domains or (urlsplit(self.base_url).hostname or "",)

    def absolute(self, url: str) -> str:
        return urljoin(self.base_url, url)

    def with_base_url(self, base_url: str) -> MarketplaceProfile:
        """The same profile pointed at another host (the demo server runs on a free port)."""
        host = urlsplit(base_url).hostname or ""
        return self.model_copy(
            update={"base_url": base_url.rstrip("/") + "/", "allowed_domains": (host,)}
        )


def profile_dirs(home: Path | None = None) -> tuple[Path, ...]:
    """Where named profiles are looked up, first match wins: the data folder's, then ours."""
    return (home / "marketplaces", PROFILES_DIR) if home is not None else (PROFILES_DIR,)


def available_profiles(home: Path | None = None) -> dict[str, Path]:
    """Every profile by name; one in the data folder hides the bundled one of that name."""
    found: dict[str, Path] = {}
    for folder in profile_dirs(home):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            found.setdefault(path.stem, path)
    return found


def find_profile(name_or_path: str | Path, home: Path | None = None) -> Path:
    """The YAML file behind a profile name or path; ConfigError names every place looked in."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise ConfigError(f"{path}: no such profile file; check the path")
        return path
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", str(name_or_path)):
        raise ConfigError(
            f"{name_or_path!r} is not a profile name (lowercase letters, digits, - and _) "
            "nor a .yaml path"
        )
    places = [folder / f"{name_or_path}.yaml" for folder in profile_dirs(home)]
    for candidate in places:
        if candidate.is_file():
            return candidate
    bundled = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))) or "none"
    local = sorted(set(available_profiles(home)) - set(available_profiles()))
    looked = " and ".join(str(place) for place in places)
    raise ConfigError(
        f"no marketplace profile {name_or_path!r}: looked for {looked} (bundled profiles: "
        f"{bundled}; data folder only: {', '.join(local) or 'none'})"
    )


def load_profile(name_or_path: str | Path, home: Path | None = None) -> MarketplaceProfile:
    """Load a profile by name (``<home>/marketplaces/`` first, then ``config/marketplaces/``)
    or by path; errors name the file and the field."""
    path = find_profile(name_or_path, home)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: a profile must be a mapping of fields, got {type(data).__name__}"
        )
    try:
        return MarketplaceProfile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(path, exc)) from exc

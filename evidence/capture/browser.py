"""Capture a page in a real browser: screenshot, rendered HTML, every exchange, redirects, TLS.

One Chromium (Debian's, never downloaded) per capturer, one fresh context per capture, a
bounded number of captures at once, a timeout per attempt and bounded retries with backoff.
Every attempt's context reaches the network only through its own ``GuardProxy`` (the crawl's
private-address rule: redirect hops, WebSockets and ``fetch()`` included), which says what it
refused and which address each host was actually served from. A marketplace's proxy pool and
logged-in session (Playwright storage state) apply here as in the crawl; the session's cookies
and credentials are redacted from the recorded request headers (a WARC handed to a platform or
a court must not carry a working login) and the manifest notes each redaction and each proxy.
Whatever happens, ``capture`` returns a ``BrowserCapture``: complete, or failed with every
attempt's error and what the last attempt got, to be sealed as such.
"""

from __future__ import annotations

import asyncio
import logging
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError

from config import limits
from config.version import TOOL_VERSION
from evidence.capture.browser_record import (
    Attempt,
    BrowserCapture,
    Exchange,
    Redirect,
    TlsInfo,
    short_error,
)
from evidence.capture.chromium import CHROMIUM, LAUNCH_ARGS
from evidence.capture.tls_peer import peer_tls
from evidence.seal.manifest import format_utc
from netguard.policy import AddressPolicy
from netguard.proxy import GUARD_HEADER, GuardProxy

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from playwright.async_api import Browser, Page, Playwright, Request, Response

logger = logging.getLogger(__name__)

DEFAULT_ARGS = LAUNCH_ARGS
MAX_BLOCKED = 1_000  # refused requests kept per attempt (the manifest lists the first 200)
# Request headers that carry a login; their values never reach the record.
SECRET_REQUEST_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
REDACTED = "[redacted by ipwatch: session credential]"


class CaptureFailed(Exception):
    """One attempt did not produce a usable view of the page (HTTP error, no response)."""


@dataclass(frozen=True)
class BrowserSettings:
    """How captures run; the crawler builds it from Scrapy settings (IPWATCH_CAPTURE_*)."""

    executable_path: str = CHROMIUM
    args: tuple[str, ...] = DEFAULT_ARGS
    viewport: tuple[int, int] = (1280, 800)
    user_agent: str = "ipwatch"
    timeout: float = 30.0  # seconds per attempt, everything included
    retries: int = 2  # attempts after the first
    backoff: float = 1.0  # seconds before retry n: backoff * 2**(n-1)
    concurrency: int = 2
    max_body_bytes: int = limits.CAPTURE_MAX_BODY_BYTES  # per response body in the WARC
    max_total_bytes: int = limits.CAPTURE_MAX_TOTAL_BYTES  # all bodies of one capture
    max_html_bytes: int = limits.PAGE_MAX_BYTES
    max_screenshot_height: int = 16_384  # CSS pixels; taller pages are cut (and noted)
    ignore_https_errors: bool = False  # tests with a self-signed certificate only
    proxies: tuple[str, ...] = ()  # the marketplace's pool, credentials filled in
    storage_state: str | None = None  # path of a Playwright storage-state JSON (a login)


@dataclass
class _Partial:
    """What an attempt has obtained so far, kept when it fails halfway."""

    final_url: str | None = None
    status: int | None = None
    screenshot: bytes | None = None
    rendered_html: bytes | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    server_ip: str | None = None
    tls: TlsInfo | None = None
    blocked: list[tuple[str, str]] = field(default_factory=list)
    served_from: dict[str, str] = field(default_factory=dict)  # "host:port" -> upstream address
    dropped_bytes: int = 0
    notes: list[str] = field(default_factory=list)


def environment(chromium_version: str) -> dict[str, str]:
    """Capture host and tool versions, recorded in every capture's metadata."""

    def _version(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "unknown"

    return {
        "os": platform.system(),
        "os_release": platform.release(),
        "platform": platform.platform(),
        "arch": platform.machine(),
        "python": platform.python_version(),
        "ipwatch": TOOL_VERSION,
        "playwright": _version("playwright"),
        "chromium": chromium_version,
    }


class BrowserCapturer:
    """Owns one Playwright + Chromium; started lazily, closed with ``close()``."""

    def __init__(
        self,
        settings: BrowserSettings,
        *,
        policy: AddressPolicy | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        # No policy: no private address at all. The crawl passes its allowed private hosts.
        self.policy = policy if policy is not None else AddressPolicy()
        self.clock = clock
        self.sleep = sleep
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._start_lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(settings.concurrency)

    async def start(self) -> None:
        async with self._start_lock:
            if self._browser is not None:
                return
            from playwright.async_api import async_playwright

            self._playwright = await async_playwright().start()
            self._browser = await self._playwright.chromium.launch(
                executable_path=self.settings.executable_path,
                headless=True,
                args=list(self.settings.args),
            )

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        self._browser = self._playwright = None

    async def capture(
        self, url: str, *, operator: str | None = None, job_id: str | None = None
    ) -> BrowserCapture:
        """Capture ``url``, retrying with backoff; never raises for the page's own faults."""
        attempts: list[Attempt] = []
        partial = _Partial()
        chromium = "unknown"
        async with self._slots:
            for n in range(self.settings.retries + 1):
                if n:
                    await self.sleep(self.settings.backoff * 2 ** (n - 1))
                started = self.clock()
                partial = _Partial()
                try:
                    await self.start()
                    assert self._browser is not None
                    chromium = self._browser.version
                    await asyncio.wait_for(self._attempt(url, partial), self.settings.timeout)
                except TimeoutError:
                    error = f"timed out after {self.settings.timeout:g} s"
                except (PlaywrightError, CaptureFailed, OSError) as exc:  # recorded, then retried
                    error = short_error(exc)
                except Exception as exc:  # a bug or a page we did not foresee: keep the listing
                    logger.exception("browser capture of %s: unexpected error", url)
                    error = f"unexpected {short_error(exc)}"
                else:
                    attempts.append(Attempt(started, None))
                    break
                attempts.append(Attempt(started, error))
                logger.warning("browser capture of %s: attempt %d failed: %s", url, n + 1, error)
        ok = attempts[-1].error is None
        return BrowserCapture(
            requested_url=url,
            outcome="complete" if ok else "failed",
            attempts=tuple(attempts),
            captured_at=attempts[-1].started_at,
            viewport=self.settings.viewport,
            user_agent=self.settings.user_agent,
            environment=environment(chromium),
            final_url=partial.final_url,
            status=partial.status,
            screenshot=partial.screenshot,
            rendered_html=partial.rendered_html,
            exchanges=tuple(partial.exchanges),
            redirects=tuple(partial.redirects),
            server_ip=partial.server_ip,
            tls=partial.tls,
            blocked=tuple(partial.blocked),
            served_from=dict(partial.served_from),
            operator=operator,
            job_id=job_id,
            dropped_bytes=partial.dropped_bytes,
            notes=tuple(partial.notes),
        )

    async def _attempt(self, url: str, partial: _Partial) -> None:
        def blocked(url: str, reason: str) -> None:  # from the proxy's thread
            if len(partial.blocked) < MAX_BLOCKED:  # a page can ask a million times
                partial.blocked.append((url, reason))

        proxy = GuardProxy(self.policy, blocked, upstream=self.settings.proxies)
        await asyncio.to_thread(proxy.start)
        try:
            await self._attempt_through(url, partial, proxy)
        except PlaywrightError as exc:  # Chromium saw only the proxy's 502: say what it met
            parts = urlsplit(partial.final_url or url)
            default = 443 if parts.scheme == "https" else 80
            why = proxy.unreachable.get(((parts.hostname or "").lower(), parts.port or default))
            if why is None:
                raise
            raise CaptureFailed(f"{short_error(exc)}; {why}") from None
        finally:
            partial.served_from = {
                f"{host}:{port}": address for (host, port), address in proxy.connected.items()
            }
            for (host, port), via in sorted(proxy.via.items()):
                partial.notes.append(f"{host}:{port} reached through proxy {via}")
            await asyncio.to_thread(proxy.stop)

    async def _attempt_through(self, url: str, partial: _Partial, proxy: GuardProxy) -> None:
        assert self._browser is not None
        width, height = self.settings.viewport
        context = await self._browser.new_context(
            viewport={"width": width, "height": height},
            user_agent=self.settings.user_agent,
            ignore_https_errors=self.settings.ignore_https_errors,
            service_workers="block",
            proxy={"server": proxy.url},
            storage_state=self.settings.storage_state,
        )
        responses: list[Response] = []
        try:
            page = await context.new_page()
            page.on("response", lambda response: responses.append(response))
            main = await page.goto(url, wait_until="load", timeout=self.settings.timeout * 1000)
            if main is None:
                raise CaptureFailed(f"no response for {url}")
            partial.final_url, partial.status = page.url, main.status
            partial.redirects = await _redirects(main.request)
            # Chromium only saw the proxy; the server is what the proxy connected to.
            partial.server_ip = _served_from(proxy, partial.final_url)
            await _settle(page)
            await self._collect(responses, partial, proxy)
            if main.status >= 400:
                guard = await main.header_value(GUARD_HEADER)  # the proxy could not connect
                raise CaptureFailed(guard or f"the page answered HTTP {main.status}")
            html = (await page.content()).encode("utf-8", "replace")
            if len(html) > self.settings.max_html_bytes:
                partial.notes.append(f"rendered.html cut at {self.settings.max_html_bytes} bytes")
            partial.rendered_html = html[: self.settings.max_html_bytes]
            partial.screenshot = await self._screenshot(page, partial)
            if urlsplit(partial.final_url).scheme == "https":
                partial.tls = await self._tls(main, partial.final_url, partial.server_ip)
        finally:
            await context.close()

    async def _screenshot(self, page: Page, partial: _Partial) -> bytes:
        """Full page, but a hostile page cannot make it unboundedly tall."""
        limit = self.settings.max_screenshot_height
        try:  # the page's scripts can redefine what this returns
            height = int(await page.evaluate("document.documentElement.scrollHeight"))
        except (TypeError, ValueError):
            height = limit + 1
        if height <= limit:
            return await page.screenshot(full_page=True, type="png")
        partial.notes.append(f"screenshot cut at {limit} of {height} CSS pixels")
        clip = {"x": 0, "y": 0, "width": self.settings.viewport[0], "height": limit}
        return await page.screenshot(full_page=True, clip=clip, type="png")  # type: ignore[arg-type]

    async def _collect(
        self, responses: list[Response], partial: _Partial, proxy: GuardProxy
    ) -> None:
        budget = self.settings.max_total_bytes
        redacted = 0
        for response in responses:
            request = response.request
            try:
                body = b"" if 300 <= response.status < 400 else await response.body()
            except PlaywrightError:  # bodies of aborted or evicted responses are gone
                body = b""
            cap = min(self.settings.max_body_bytes, max(budget, 0))
            truncated = len(body) > cap
            if truncated:
                partial.dropped_bytes += len(body) - cap
                body = body[:cap]
            budget -= len(body)
            partial.exchanges.append(
                Exchange(
                    method=request.method,
                    url=response.url,
                    status=response.status,
                    request_headers=_without_secrets(
                        _pairs(await request.headers_array()), self.settings.storage_state
                    ),
                    response_headers=_pairs(await response.headers_array()),
                    body=body,
                    request_body=(request.post_data_buffer or b"")[: self.settings.max_body_bytes],
                    truncated=truncated,
                    server_ip=_served_from(proxy, response.url),
                    resource_type=request.resource_type,
                )
            )
            redacted += sum(v == REDACTED for _, v in partial.exchanges[-1].request_headers)
        if redacted:
            partial.notes.append(
                f"{redacted} session credential header(s) (Cookie/Authorization) redacted from "
                "the recorded requests: the capture used the marketplace's logged-in session"
            )

    async def _tls(self, main: Response, final_url: str, address: str | None) -> TlsInfo:
        details = await main.security_details()
        browser = {key: _text(value) for key, value in (details or {}).items()}
        parts = urlsplit(final_url)
        host, port = parts.hostname or "", parts.port or 443
        if address is None:  # never connected through the guard: do not connect around it
            return TlsInfo(browser=browser, error=f"no checked address for {host}:{port}")
        if self.settings.proxies:  # a direct connection would go around the marketplace's pool
            return TlsInfo(
                browser=browser,
                error="reached through a proxy: the certificate chain was not fetched around it",
            )
        return await asyncio.to_thread(peer_tls, host, port, browser, address=address)


def _served_from(proxy: GuardProxy, url: str) -> str | None:
    """The upstream address the proxy connected to for ``url``'s host and port."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
    except ValueError:
        return None
    return proxy.connected.get(((parts.hostname or "").lower(), port))


async def _settle(page: Page) -> None:
    """Give late scripts and lazy images a moment; a page that never idles is still captured."""
    try:
        await page.wait_for_load_state("networkidle", timeout=5_000)
    except PlaywrightError:  # a timeout: busy pages are normal
        logger.debug("page %s did not reach network idle; capturing as is", page.url)


async def _redirects(request: Request) -> list[Redirect]:
    chain: list[Redirect] = []
    previous = request.redirected_from
    while previous is not None and len(chain) < 50:
        response = await previous.response()
        status = response.status if response else 0
        location = (await response.header_value("location") or "") if response else ""
        chain.append(Redirect(previous.url, status, location))
        previous = previous.redirected_from
    return list(reversed(chain))


def _without_secrets(
    headers: tuple[tuple[str, str], ...], session: str | None
) -> tuple[tuple[str, str], ...]:
    """With a logged-in session, credential headers keep their names but not their values."""
    if session is None:
        return headers
    return tuple(
        (name, REDACTED if name.lower() in SECRET_REQUEST_HEADERS else value)
        for name, value in headers
    )


def _pairs(headers: list[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(h["name"]), str(h["value"])) for h in headers)


def _text(value: object) -> str:
    """security_details() gives validity as epoch floats; manifests hold no floats."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_utc(datetime.fromtimestamp(int(value), UTC))
    return str(value)[:500]

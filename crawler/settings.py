"""Scrapy settings for ipwatch. Per-marketplace politeness comes from the profile (see runner)."""

from __future__ import annotations

from config import limits  # a module, not names: Scrapy reads every UPPERCASE name here
from evidence.capture import chromium  # a module, not names: Scrapy reads every UPPERCASE name here

BOT_NAME = "ipwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify honestly: rights holders' agents crawl in the open.
USER_AGENT = "ipwatch/0.1 (+https://github.com/ipwatch/ipwatch; infringement monitoring)"
ROBOTSTXT_OBEY = True

# Without an open workspace in IPWATCH_WORKSPACE (a plain `scrapy crawl`), this factory opens
# the data folder IPWATCH_HOME; named by path so the crawler never imports the application.
IPWATCH_WORKSPACE_FACTORY = "ipwatch.services.workspace.open_workspace"

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items of one response processed at once. Scrapy 2.19 starts this many worker tasks for every
# response, however few items it yields (a listing page yields one; scrapy/scrapy#5182): at its
# default of 100 they were a tenth of a re-crawl's profile. A products.json page's hundreds of
# listings still wait on the detection workers, not on this.
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = limits.DOWNLOAD_MAX_BYTES
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Exponential backoff base (s) when the server gives no Retry-After.
IPWATCH_RETRY_BACKOFF_BASE = 0.5
IPWATCH_RETRY_BACKOFF_MAX = 60.0
IPWATCH_RETRY_AFTER_MAX = 120.0
# Block pages in a row that stop a crawl (a profile's politeness.max_consecutive_blocks wins).
IPWATCH_MAX_CONSECUTIVE_BLOCKS = 5

# Requests to private, loopback or link-local addresses are refused unless listed here, as
# HOST or HOST:PORT (the demo and the tests list 127.0.0.1); the profile's own host is not
# trusted implicitly. Link-local (metadata) addresses pass only when named as that address.
IPWATCH_ALLOWED_PRIVATE_HOSTS: list[str] = []

# Proxy URLs Scrapy requests take in turn (ipwatch.yaml crawl.marketplaces.<name>.proxies,
# credentials expanded from the environment); empty: no proxy.
IPWATCH_PROXIES: list[str] = []
IPWATCH_STORAGE_STATE: str | None = None  # Playwright session file for evidence captures

# Images: size and pixel limits enforced before and while decoding.
IPWATCH_IMAGE_MAX_BYTES = limits.IMAGE_MAX_BYTES
IPWATCH_IMAGE_MAX_PIXELS = limits.IMAGE_MAX_PIXELS
IPWATCH_IMAGES_PER_LISTING = limits.IMAGES_PER_LISTING
# Image URLs a crawl remembers having fetched (the most recently used; older ones are asked again).
IPWATCH_SEEN_IMAGES = 50_000

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.ssrf.PrivateAddressGuardMiddleware": 50,
    # After the guard (which judges the target host), before Scrapy's HttpProxyMiddleware (750).
    "crawler.middlewares.proxies.ProxyRotationMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    # Sees responses before the retry middleware: a wall is retried here, a failing server there.
    "crawler.middlewares.blocks.BlockPageMiddleware": 560,
    # Below Scrapy's HttpCompressionMiddleware (590): it stores and restores decoded bodies.
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 580,
}

SPIDER_MIDDLEWARES = {
    # Sees requests after Scrapy's own filters (offsite, depth: 500 and up) have dropped theirs.
    "crawler.middlewares.frontier.FrontierMiddleware": 50,
}
# A distributed run started with `crawl --detect-workers` sends listings to its Redis detection
# queue (crawler.distributed.detection_queue) instead of scoring them in this process.
IPWATCH_DETECT_QUEUE = False
IPWATCH_DETECT_IN_FLIGHT = 256  # listings one crawl worker may leave unanswered at once
IPWATCH_DETECT_TIMEOUT = 600.0  # seconds before an unanswered listing fails (and is skipped)
# The job's crawl journal (crawler.frontier), which makes a killed crawl resumable; set by
# `ipwatch crawl` (ipwatch.services.crawl_jobs); None: no journal, as for a plain `scrapy crawl`.
IPWATCH_FRONTIER_JOURNAL: str | None = None
# The interrupted run whose journal this crawl resumes, recorded as the run's resumed_from.
IPWATCH_RESUMED_FROM: str | None = None
# When that job's first crawl began (a datetime): snapshots sealed since then and never indexed
# with their listing are reused, not sealed again (crawler.recovered).
IPWATCH_RESUMED_SINCE = None

ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.media.MediaPipeline": 200,
    "crawler.pipelines.detect.DetectPipeline": 300,
    "crawler.pipelines.evidence.EvidencePipeline": 400,
    "crawler.pipelines.index.IndexPipeline": 500,
}

EXTENSIONS = {
    "crawler.extensions.crawl_run.CrawlRunRecorder": 100,
    "crawler.extensions.item_errors.ItemErrorCounts": 105,
    "crawler.extensions.metrics.CrawlMetricsExtension": 110,
    "crawler.extensions.list_yield.ListYieldMemory": 120,
    "crawler.extensions.heap.HeapLimits": 130,
}
# glibc malloc arenas a crawl process may use (0: glibc's default, 8 per core; the operator's
# MALLOC_ARENA_MAX wins), and how often it hands free heap pages back (seconds; 0: never).
IPWATCH_MALLOC_ARENAS = 2
IPWATCH_HEAP_TRIM_INTERVAL = 60.0
# The crawl's Prometheus metrics (a crawler.metrics.CrawlMetrics on the registry of the caller's
# choice); None: those of the process-wide registry, which `ipwatch crawl --metrics-port` serves.
IPWATCH_METRICS = None

DOWNLOAD_HANDLERS = {
    # scrapy-playwright's handler, with IPWATCH_ALLOWED_PRIVATE_HOSTS' rule on every request
    # a rendered page makes (images, scripts, fetch), as on Scrapy's own.
    "http": "crawler.browser.GuardedPlaywrightHandler",
    "https": "crawler.browser.GuardedPlaywrightHandler",
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
PLAYWRIGHT_BROWSER_TYPE = "chromium"
# Debian's Chromium: `playwright install` cannot download browsers here, and need not.
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": chromium.CHROMIUM,
    "headless": True,
    "args": list(chromium.LAUNCH_ARGS),
}
# Service workers fetch outside page routing, so the guard could not see their requests.
PLAYWRIGHT_CONTEXTS = {"default": {"service_workers": "block"}}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4

HTTPCACHE_ENABLED = False
# Conditional requests (ETag / Last-Modified) for HTML pages, copies in <home>/cache/http.sqlite:
# unused pages are deleted after MAX_AGE_DAYS, the least recently used past MAX_MB of bodies.
IPWATCH_HTTP_CACHE = True
IPWATCH_HTTP_CACHE_MAX_MB = 256
IPWATCH_HTTP_CACHE_MAX_AGE_DAYS = 14
# Listing pages' extraction results by content (<home>/cache/extracted.sqlite): same age limit.
IPWATCH_EXTRACTION_CACHE = True
IPWATCH_EXTRACTION_CACHE_MAX_MB = 256
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Browser capture of flagged listings (screenshot, rendered HTML, every exchange as WARC),
# sealed with the crawler's own exchange. Chromium and its flags are PLAYWRIGHT_LAUNCH_OPTIONS'.
IPWATCH_BROWSER_CAPTURE = True
IPWATCH_CAPTURE_VIEWPORT = [1280, 800]  # width, height in CSS pixels; the screenshot is full-page
IPWATCH_CAPTURE_TIMEOUT = 45.0  # seconds per attempt (load, settle, screenshot, bodies, TLS)
IPWATCH_CAPTURE_RETRIES = 2  # attempts after the first; then the failure is sealed as such
IPWATCH_CAPTURE_BACKOFF = 2.0  # seconds before retry n: BACKOFF * 2**(n-1)
IPWATCH_CAPTURE_CONCURRENCY = 2  # browser captures at once (each is a Chromium tab)
IPWATCH_CAPTURE_MAX_BODY_BYTES = limits.CAPTURE_MAX_BODY_BYTES  # per body kept in browser.warc
IPWATCH_CAPTURE_MAX_TOTAL_BYTES = limits.CAPTURE_MAX_TOTAL_BYTES  # all bodies of one capture

"""Crawl throughput: a bare Scrapy spider vs ``ipwatch crawl`` on one generated local shop.

The shop (demomarket.generated) has N listings with one photo each, 0.5 % of them copies of the
demo's infringing listings. Both crawls start from the same URLs (the registry's keyword
searches and the "new arrivals" pages), follow the same selectors, fetch every listing page and
its photo, obey robots.txt and use the same concurrency; the bare spider does nothing else.
Each runs in its own process, so its CPU seconds (detection workers included) and peak RSS are
its own. ``ipwatch crawl`` then runs again over the unchanged shop (the re-crawl). All of it with
the image models off (hashes and text only) and on (OCR, learned descriptor, logos, regions).

    .venv/bin/python bench/crawl_throughput.py [--n 500] [--models off|on|both] [--workers -1]
        [--descriptor-runtime auto|torch|onnxruntime] [--json]

``--n`` of 2000 or 10000 is the same run, longer. The images are rendered before any timing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from config.profile import PROFILES_DIR
from demomarket import DemoMarket
from demomarket.brandkit import write_brand_kit
from demomarket.generated import generated_catalog
from demomarket.images import cached
from demomarket.pages import SEARCH_PAGE_SIZE

ROOT = Path(__file__).resolve().parent.parent
MODELS_OFF = {"descriptor_model": "", "ocr_max_images": 0, "logo_max_images": 0}
MODELS_OFF |= {"region_max_images": 0}

BARE_SPIDER = r"""
import sys, scrapy
from scrapy.crawler import CrawlerProcess
from urllib.parse import quote

class Bare(scrapy.Spider):
    name = "bare"
    def __init__(self, base, keywords, sections, max_pages, links, next_page, images, **kw):
        super().__init__(**kw)
        self.base, self.keywords, self.sections = base, keywords, sections
        self.max_pages, self.links, self.next_page = max_pages, links, next_page
        self.images = images
        self.listings = 0
    async def start(self):
        for keyword in self.keywords:
            yield scrapy.Request(self.base + "/search?q=" + quote(keyword), cb_kwargs={"page": 1})
        for section in self.sections:
            yield scrapy.Request(self.base + section, cb_kwargs={"page": 1})
    def parse(self, response, page):
        for href in response.css(self.links).getall():
            yield response.follow(href, self.listing)
        following = response.css(self.next_page).get()
        if following and page < self.max_pages:
            yield response.follow(following, self.parse, cb_kwargs={"page": page + 1})
    def listing(self, response):
        self.listings += 1
        for src in response.xpath(self.images).getall():
            yield response.follow(src, self.image)
    def image(self, response):
        yield {"url": response.url, "bytes": len(response.body)}

args = __import__("json").loads(sys.argv[1])
process = CrawlerProcess(args.pop("settings"))
crawler = process.create_crawler(Bare)
process.crawl(crawler, **args)
process.start()
print("LISTINGS", crawler.spider.listings)
"""


def profile_for(home: Path, base_url: str, n: int) -> tuple[Path, dict[str, Any]]:
    """The demo profile over the generated shop: searches plus every "new arrivals" page."""
    data = yaml.safe_load((PROFILES_DIR / "demo.yaml").read_text(encoding="utf-8"))
    pages = math.ceil(n / SEARCH_PAGE_SIZE) + 1
    data["sections"] = [s for s in data["sections"] if s["url"] == "/new"]
    data["sections"][0]["max_pages"] = pages
    data["base_url"] = base_url
    path = home / "bench.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path, data


def run_measured(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall seconds, CPU seconds (its own children included) and peak RSS of one process."""
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(
            f"{command[:4]} failed ({proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    return {"wall_s": wall, **_children_usage(), "stdout": proc.stdout}


_spent = {"cpu": 0.0}


def _children_usage() -> dict[str, float]:
    """CPU seconds the finished children used since the last call, and the largest RSS any
    single one of them reached so far (the crawl process or one detection worker)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    spent, _spent["cpu"] = cpu - _spent["cpu"], cpu
    return {"cpu_s": spent, "peak_rss_mb": usage.ru_maxrss / 1024}


def bare(base_url: str, profile: dict[str, Any], keywords: list[str]) -> dict[str, Any]:
    politeness = profile["politeness"]
    settings = {
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": "ipwatch-bench",
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": politeness["concurrent_requests_per_domain"],
        "DOWNLOAD_DELAY": politeness["download_delay"],
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    }
    args = {
        "settings": settings,
        "base": base_url,
        "keywords": keywords,
        "sections": [s["url"] for s in profile["sections"]],
        "max_pages": profile["sections"][0]["max_pages"],
        "links": profile["search"]["listing_links"],
        "next_page": profile["search"]["next_page"],
        "images": profile["listing"]["fields"]["images"].removeprefix("xpath:").strip(),
    }
    with tempfile.TemporaryDirectory(prefix="ipwatch-bare-") as tmp:
        script = Path(tmp) / "bare_spider.py"  # a file: Scrapy reads its callbacks' source
        script.write_text(BARE_SPIDER, encoding="utf-8")
        result = run_measured([sys.executable, str(script), json.dumps(args)], dict(os.environ))
    line = [x for x in result["stdout"].splitlines() if x.startswith("LISTINGS")]
    result["listings"] = int(line[-1].split()[1]) if line else 0
    return result


def ipwatch_crawl(home: Path, profile: Path, base_url: str) -> dict[str, Any]:
    env = {**os.environ, "IPWATCH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ipwatch.cli", "--home", str(home), "crawl", str(profile)]
    command += ["--base-url", base_url, "--allow-private-host", "127.0.0.1"]
    return run_measured(command, env)


def listings_seen(home: Path) -> int:
    from store import open_store

    index = open_store(f"sqlite:///{home / 'index.db'}")
    try:
        return index.count_listings("demo")
    finally:
        index.close()


def not_modified(home: Path) -> dict[str, int]:
    """Pages and photos the last crawl's conditional requests got back as 304."""
    from store import open_store

    index = open_store(f"sqlite:///{home / 'index.db'}")
    try:
        counters = index.list_runs()[0].counters
    finally:
        index.close()
    return {
        "pages": counters.get("http_not_modified", 0),
        "photos": counters.get("images_not_modified", 0),
    }


def measure(
    n: int, models: str, workers: int, market: DemoMarket, runtime: str = "auto"
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ipwatch-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        detection = {"workers": workers, **(MODELS_OFF if models == "off" else {})}
        detection["descriptor_runtime"] = runtime
        (home / "ipwatch.yaml").write_text(yaml.safe_dump({"detection": detection}))
        kit = write_brand_kit(Path(tmp) / "kit")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ipwatch.cli",
                "--home",
                str(home),
                "assets",
                "import",
                str(kit),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        from registry.store import Registry

        registry = Registry(f"sqlite:///{home / 'registry.db'}")
        keywords = registry.search_keywords()
        registry.close()
        profile_path, profile = profile_for(home, market.base_url, n)
        _children_usage()
        base = bare(market.base_url, profile, keywords)
        first = ipwatch_crawl(home, profile_path, market.base_url)
        seen = listings_seen(home)
        again = ipwatch_crawl(home, profile_path, market.base_url)
        revalidated = not_modified(home)
    pages = base["listings"]
    return {
        "n": n,
        "models": models,
        "workers": workers,
        "descriptor_runtime": runtime,
        "bare_pages_per_s": pages / base["wall_s"],
        "ipwatch_pages_per_s": seen / first["wall_s"],
        "ratio": (seen / first["wall_s"]) / (pages / base["wall_s"]),
        "recrawl_vs_first": again["wall_s"] / first["wall_s"],
        "bare_cpu_s_per_listing": base["cpu_s"] / max(pages, 1),
        "ipwatch_cpu_s_per_listing": first["cpu_s"] / max(seen, 1),
        "recrawl_cpu_s_per_listing": again["cpu_s"] / max(seen, 1),
        "peak_rss_mb": max(first["peak_rss_mb"], again["peak_rss_mb"]),
        "listings": {"bare": pages, "ipwatch": seen},
        "recrawl_304": revalidated,
        "wall_s": {"bare": base["wall_s"], "first": first["wall_s"], "recrawl": again["wall_s"]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="listings in the generated shop")
    parser.add_argument("--models", choices=("off", "on", "both"), default="both")
    parser.add_argument("--workers", type=int, default=-1, help="detection.workers (-1: auto)")
    parser.add_argument(
        "--descriptor-runtime",
        choices=("auto", "torch", "onnxruntime"),
        default="auto",
        help="detection.descriptor_runtime (what runs the learned descriptor)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    catalog = generated_catalog(args.n)
    started = time.perf_counter()
    for item in catalog.items:
        for name in item.images:
            cached(name)
    print(f"# {args.n} photos rendered in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    rows = []
    with DemoMarket(catalog=catalog) as market:
        for models in ("off", "on") if args.models == "both" else (args.models,):
            rows.append(measure(args.n, models, args.workers, market, args.descriptor_runtime))
            row = rows[-1]
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(
                    f"N={row['n']} models {row['models']:3} workers {row['workers']}"
                    f" descriptor {row['descriptor_runtime']}:"
                    f" bare {row['bare_pages_per_s']:.1f} pages/s,"
                    f" ipwatch {row['ipwatch_pages_per_s']:.1f} pages/s"
                    f" (ratio {row['ratio']:.2f});"
                    f" re-crawl/first {row['recrawl_vs_first']:.2f};"
                    f" CPU s/listing bare {row['bare_cpu_s_per_listing']:.3f},"
                    f" ipwatch {row['ipwatch_cpu_s_per_listing']:.3f},"
                    f" re-crawl {row['recrawl_cpu_s_per_listing']:.3f};"
                    f" peak RSS {row['peak_rss_mb']:.0f} MB;"
                    f" re-crawl 304s: {row['recrawl_304']['pages']} pages,"
                    f" {row['recrawl_304']['photos']} photos",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Snapshots sealed per second vs hashing the same bytes alone, as a ratio.

Sealing = WARC build, blob writes (fsynced), canonical manifest, Ed25519 signature, the
transparency-log append (fsynced), a signed tree head per snapshot, the inclusion proof and the
seal record. The baseline is SHA-256 over exactly the bytes a snapshot stores. Also printed:
what the tree head per snapshot costs, against appending to the log with no head at all (the
alternative, one head per crawl batch).

Second figure: capture seconds per page with the browser (Debian's Chromium against the demo
shop on 127.0.0.1: load, settle, full-page screenshot, rendered HTML, every body), one page at
a time, against fetching the same page and its images with plain HTTP in the same run; and
what sealing a capture's artifacts adds.

    .venv/bin/python bench/seal_speed.py [--snapshots 200] [--page-kb 200] [--images 3]
                                         [--captures 10]   (0 skips the browser figure)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demomarket import DemoMarket
from demomarket.testing import expected_flagged, fetch
from evidence.capture.browser import BrowserCapturer, BrowserSettings
from evidence.log.translog import TransparencyLog
from evidence.seal.sealing import Sealer
from evidence.seal.seals import SealStore, log_entry
from evidence.seal.signing import generate_key
from evidence.seal.snapshot import Capture, CapturedImage, Citation, ListingInfo, seal
from evidence.storage.blobstore import BlobStore


def inputs(page_kb: int, images: int, n: int) -> tuple[Capture, list[CapturedImage]]:
    body = b"<html>" + os.urandom(page_kb * 1024) + b"</html>"
    capture = Capture(
        requested_url=f"http://shop.example/item/{n}",
        final_url=f"http://shop.example/item/{n}",
        status=200,
        request_headers=[("User-Agent", "ipwatch-bench")],
        response_headers=[("Content-Type", "text/html")],
        body=body,
        captured_at=datetime.now(UTC),
        user_agent="ipwatch-bench",
    )
    pictures = [
        CapturedImage(f"http://shop.example/img/{n}-{i}.jpg", os.urandom(100 * 1024), "image/jpeg")
        for i in range(images)
    ]
    return capture, pictures


def run(snapshots: int, page_kb: int, images: int) -> None:
    with tempfile.TemporaryDirectory(prefix="seal-bench-") as folder:
        measure(Path(folder), snapshots, page_kb, images)


def measure(work: Path, snapshots: int, page_kb: int, images: int) -> None:
    signer = generate_key(work / "key.pem")
    store = BlobStore(work / "blobs")
    sealer = Sealer(TransparencyLog(work / "log"), signer, SealStore(work / "seals"))
    listing = ListingInfo(id="L", url="http://shop.example/", marketplace="bench", title="t")
    citation = [Citation("F", "A", "R-1", "owner", 0.9)]
    samples = [inputs(page_kb, images, n) for n in range(snapshots)]

    start = time.perf_counter()
    stored = 0
    for capture, pictures in samples:
        sealed = seal(capture, listing, pictures, citation, store=store, sealer=sealer)
        stored += sum(a.size for a in sealed.artifacts)
    seal_seconds = time.perf_counter() - start

    start = time.perf_counter()
    for capture, pictures in samples:
        hashlib.sha256(capture.body).digest()
        for picture in pictures:
            hashlib.sha256(picture.data).digest()
    hash_seconds = time.perf_counter() - start

    bare = TransparencyLog(work / "bare-log")
    entries = [log_entry(f"S-{n:020x}", "0" * 64) for n in range(snapshots)]
    start = time.perf_counter()
    for entry in entries:
        bare.append(entry)
    append_seconds = time.perf_counter() - start
    headed = TransparencyLog(work / "headed-log")
    start = time.perf_counter()
    for entry in entries:
        headed.append(entry)
        headed.sign_head(signer)
    headed_seconds = time.perf_counter() - start

    seal_rate, hash_rate = snapshots / seal_seconds, snapshots / hash_seconds
    print(f"{snapshots} snapshots, {stored / snapshots / 1024:.0f} KiB stored each")
    print(f"seal (hash+WARC+blobs+manifest+sign+log+head+proof): {seal_rate:9.1f} /s")
    print(f"hash the same bytes alone:                            {hash_rate:9.1f} /s")
    print(f"ratio seal / hash-only:                               {seal_rate / hash_rate:9.3f}")
    print(
        f"log append alone {snapshots / append_seconds:.0f} /s, with a signed head each "
        f"{snapshots / headed_seconds:.0f} /s: a head per snapshot costs "
        f"{(headed_seconds - append_seconds) / snapshots * 1000:.2f} ms, "
        f"{(headed_seconds - append_seconds) / seal_seconds * 100:.0f}% of sealing time"
    )


def capture_figure(pages: int) -> None:
    """Browser capture vs a plain fetch of the same page and images, seconds per page."""
    items = sorted(expected_flagged())[:pages]
    with DemoMarket() as market, tempfile.TemporaryDirectory(prefix="capture-bench-") as folder:
        urls = [market.url(f"/item/{item}") for item in items]
        work = Path(folder)
        store = BlobStore(work / "blobs")
        sealer = Sealer(
            TransparencyLog(work / "log"), generate_key(work / "key.pem"), SealStore(work / "seals")
        )
        capture, _ = inputs(50, 0, 0)
        listing = ListingInfo(id="L", url=urls[0], marketplace="bench", title="t")
        citation = [Citation("F", "A", "R-1", "owner", 0.9)]

        async def browse() -> tuple[float, float, list]:
            capturer = BrowserCapturer(BrowserSettings(concurrency=1, retries=0))
            try:
                start = time.perf_counter()
                await capturer.start()
                launch = time.perf_counter() - start
                start = time.perf_counter()
                captures = [await capturer.capture(url) for url in urls]
                return launch, time.perf_counter() - start, captures
            finally:
                await capturer.close()

        launch, browser_seconds, captures = asyncio.run(browse())
        failed = [c.requested_url for c in captures if c.outcome != "complete"]
        start = time.perf_counter()
        for url in urls:
            page = fetch(url)
            for image in sorted(set(re.findall(r"/img/[A-Za-z0-9._-]+", page.text))):
                fetch(market.url(image))
        fetch_seconds = time.perf_counter() - start
        start = time.perf_counter()
        for browser in captures:
            seal(capture, listing, [], citation, store=store, sealer=sealer, browser=browser)
        seal_seconds = time.perf_counter() - start
    n = len(urls)
    shots = sum(len(c.screenshot or b"") for c in captures) / n / 1024
    print(f"browser capture, {n} demo listings one at a time (Chromium launch {launch:.2f} s once)")
    print(f"capture per page (load+settle+screenshot+HTML+bodies): {browser_seconds / n:9.3f} s")
    print(f"plain HTTP fetch of the same page and its images:      {fetch_seconds / n:9.3f} s")
    ratio = browser_seconds / fetch_seconds
    print(f"ratio capture / plain fetch:                           {ratio:9.1f}")
    print(f"sealing one capture (browser WARC, PNG of {shots:.0f} KiB): {seal_seconds / n:.3f} s")
    if failed:
        print(f"captures that failed: {', '.join(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=200)
    parser.add_argument("--page-kb", type=int, default=200)
    parser.add_argument("--images", type=int, default=3)
    parser.add_argument("--captures", type=int, default=10)
    args = parser.parse_args()
    run(args.snapshots, args.page_kb, args.images)
    if args.captures:
        capture_figure(args.captures)


if __name__ == "__main__":
    main()

"""Verifying a case package (WACZ) vs `sha256sum` of the same file, as a ratio; peak memory.

The package is built here: snapshots sealed with random page bodies and images (so nothing
compresses away), exported as one WACZ as `ipwatch evidence export` lays it out. Verification
(`evidence.verify.wacz.verify_wacz`: every part against datapackage.json, the signed digest, the
index, then each snapshot's manifest, signature, inclusion proof, artifacts and WARC records)
runs in a child process, and its peak resident memory is that child's high-water mark (VmHWM,
which starts afresh at exec; ``getrusage`` ``ru_maxrss`` would also count the parent's pages the
child held between fork and exec, here the package being built). The baseline is `sha256sum`
over exactly the same file, run in the same script.

    .venv/bin/python bench/verify_speed.py [--size-mb 200] [--snapshot-kb 1024] [--images 4]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric import ec

from evidence.export.bundle import HomeSource, bundle_parts
from evidence.export.wacz import WaczPage, build_wacz, write_wacz
from evidence.export.wacz_auth import WaczSigner
from evidence.log.translog import TransparencyLog
from evidence.seal.custody import CustodyLog
from evidence.seal.sealing import Sealer
from evidence.seal.seals import SealStore
from evidence.seal.signing import Signer, generate_key
from evidence.seal.snapshot import Capture, CapturedImage, Citation, ListingInfo, seal
from evidence.storage.blobstore import BlobStore

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figures:
    snapshots: int
    package_bytes: int
    verify_seconds: float
    sha256sum_seconds: float
    peak_rss_bytes: int
    ok: bool


def sample(n: int, snapshot_kb: int, images: int) -> tuple[Capture, list[CapturedImage]]:
    """One listing's exchange and images, ``snapshot_kb`` KiB in all, split evenly."""
    share = snapshot_kb * 1024 // (images + 1)
    url = f"http://shop.example/item/{n}"
    capture = Capture(
        requested_url=url,
        final_url=url,
        status=200,
        request_headers=[("User-Agent", "ipwatch-bench")],
        response_headers=[("Content-Type", "text/html")],
        body=b"<html>" + os.urandom(share) + b"</html>",
        captured_at=datetime.now(UTC),
        user_agent="ipwatch-bench",
    )
    pictures = [
        CapturedImage(f"http://shop.example/img/{n}-{i}.jpg", os.urandom(share), "image/jpeg")
        for i in range(images)
    ]
    return capture, pictures


def build_package(work: Path, size_mb: int, snapshot_kb: int, images: int) -> tuple[Path, Signer]:
    """Seal enough snapshots to reach ``size_mb`` and export them as one WACZ."""
    signer = generate_key(work / "key.pem")
    store, seals = BlobStore(work / "blobs"), SealStore(work / "seals")
    sealer = Sealer(TransparencyLog(work / "log"), signer, seals)
    custody = CustodyLog(work / "custody.jsonl")
    listing = ListingInfo(id="L", url="http://shop.example/", marketplace="bench", title="t")
    citation = [Citation("F", "A", "R-1", "owner", 0.9)]
    count = max(1, size_mb * 1024 // snapshot_kb)
    snapshots: dict[str, dict[str, bytes]] = {}
    pages = []
    for n in range(count):
        capture, pictures = sample(n, snapshot_kb, images)
        sealed = seal(capture, listing, pictures, citation, store=store, sealer=sealer)
        source = HomeSource(
            sealed.id,
            store=store,
            seals=seals,
            custody=custody,
            public_key=signer.public_key_pem(),
        )
        snapshots[sealed.id] = bundle_parts(source)
        pages.append(WaczPage(sealed.id, capture.final_url, capture.captured_at.isoformat(), "t"))
    moment = datetime.now(UTC)
    wacz_signer = WaczSigner(ec.generate_private_key(ec.SECP384R1()))
    files = build_wacz(
        snapshots,
        pages,
        signer=signer,
        wacz_signer=wacz_signer,
        created=moment,
        software="bench",
        title="bench case",
    )
    return write_wacz(files, work / "case.wacz", moment), signer


def child_verify(wacz: Path, key: Path) -> None:
    """Run in the child: verify and print what was found as one JSON line."""
    from evidence.verify.wacz import verify_wacz

    start = time.perf_counter()
    reports = verify_wacz(wacz, public_key=key.read_bytes())
    seconds = time.perf_counter() - start
    failed = sum(len(r.failed) for r in reports)
    ok = not failed and all(r.ok for r in reports[1:])
    peak = peak_rss_bytes()
    print(json.dumps({"seconds": seconds, "snapshots": len(reports) - 1, "ok": ok, "peak": peak}))


def peak_rss_bytes() -> int:
    """This process's peak resident memory since exec (Linux VmHWM), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(work: Path, size_mb: int, snapshot_kb: int, images: int) -> Figures:
    wacz, signer = build_package(work, size_mb, snapshot_kb, images)
    key = work / "public.pem"
    key.write_bytes(signer.public_key_pem())
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(wacz), str(key)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    start = time.perf_counter()
    subprocess.run(["sha256sum", str(wacz)], capture_output=True, check=True)
    sha_seconds = time.perf_counter() - start
    return Figures(
        snapshots=result["snapshots"],
        package_bytes=wacz.stat().st_size,
        verify_seconds=result["seconds"],
        sha256sum_seconds=sha_seconds,
        peak_rss_bytes=result["peak"],
        ok=result["ok"],
    )


def report(figures: Figures) -> None:
    mb = figures.package_bytes / MiB
    verify_rate = mb / figures.verify_seconds
    sha_rate = mb / figures.sha256sum_seconds
    print(f"case package: {figures.snapshots} snapshots, {mb:.0f} MiB WACZ")
    print(
        f"verify_wacz: {figures.snapshots / figures.verify_seconds:8.1f} snapshots/s "
        f"{verify_rate:8.1f} MiB/s  ({figures.verify_seconds:.2f} s)"
    )
    print(f"sha256sum:   {'':>19} {sha_rate:8.1f} MiB/s  ({figures.sha256sum_seconds:.2f} s)")
    print(f"ratio verify / sha256sum throughput: {verify_rate / sha_rate:.3f}")
    print(f"peak memory of the verifying process: {figures.peak_rss_bytes / MiB:.0f} MiB")
    print("verification " + ("passed" if figures.ok else "FAILED"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200, help="package size to build")
    parser.add_argument("--snapshot-kb", type=int, default=1024, help="bytes per snapshot")
    parser.add_argument("--images", type=int, default=4, help="images per snapshot")
    parser.add_argument("--child", nargs=2, metavar=("WACZ", "KEY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_verify(Path(args.child[0]), Path(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="verify-bench-") as folder:
        figures = measure(Path(folder), args.size_mb, args.snapshot_kb, args.images)
    report(figures)
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run the demo shop in the foreground: ``python -m demomarket --port 8765``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from demomarket.brandkit import write_brand_kit
from demomarket.catalog import CATALOG
from demomarket.grow import grown
from demomarket.server import DemoMarket
from demomarket.styles import STYLE_ROUTES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demomarket", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument(
        "--style",
        default="demo",
        choices=["demo", *sorted(STYLE_ROUTES)],
        help="serve the catalog in a real shop's structure (default demo)",
    )
    parser.add_argument(
        "--listings",
        type=int,
        default=0,
        metavar="N",
        help="grow the shop to N listings with unflagged filler (load and distributed tests)",
    )
    parser.add_argument(
        "--brand-kit", metavar="DIR", help="write registry.yaml and official images to DIR and exit"
    )
    args = parser.parse_args(argv)
    if args.brand_kit:
        print(write_brand_kit(args.brand_kit))
        return 0
    try:
        catalog = grown(args.listings) if args.listings else CATALOG
        market = DemoMarket(
            port=args.port, host=args.host, style=args.style, catalog=catalog
        ).start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}; try --port 0", file=sys.stderr)
        return 1
    print(f"DemoMarket serving at {market.base_url} (Ctrl-C to stop)", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        market.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the review desk for the README, made with real Chromium on the demo's data.

    python docs/make_screenshots.py [--home DIR]

Without --home it runs `ipwatch demo` into a temporary folder first. It starts the desk on
127.0.0.1 (uvicorn, a free port), logs in as a throw-away admin and writes docs/img/*.png at
1280 px and 390 px wide.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from PIL import Image
from playwright.sync_api import sync_playwright

from ipwatch.services.workspace import Workspace
from ipwatch.web.app import create_app

OUT = Path(__file__).parent / "img"
CHROMIUM = "/usr/bin/chromium"
MAX_PNG_BYTES = 250_000  # screenshots live in git: keep each small


def shrink(path: Path) -> int:
    """Re-save ``path`` as a palette PNG (a flat UI needs few colours); fewer until it fits."""
    with Image.open(path) as shot:
        rgb = shot.convert("RGB")
    for colors in (256, 128, 64, 32):
        rgb.quantize(colors=colors, dither=Image.Dither.NONE).save(path, optimize=True)
        if path.stat().st_size <= MAX_PNG_BYTES:
            break
    return path.stat().st_size


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="ipwatch-shots-")) / "home"
    subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [
            sys.executable,
            "-m",
            "ipwatch.cli",
            "--home",
            str(home),
            "demo",
            "--port",
            str(free_port()),
        ],
        check=True,
    )
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a data folder holding the demo's data")
    args = parser.parse_args()
    home = args.home or demo_home()
    workspace = Workspace.open(home)
    user, password = f"shots-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    workspace.directory.add_user(user, "admin", None, password)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(workspace, secure_cookies=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            for width, suffix in ((1280, ""), (390, "-390")):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{base}/login")
                page.fill("input[name=name]", user)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/queue")
                page.screenshot(path=str(OUT / f"queue{suffix}.png"))
                top = page.locator("#cards .qcard").first.get_attribute("data-href")
                page.goto(base + str(top))
                page.screenshot(path=str(OUT / f"finding{suffix}.png"), full_page=width == 1280)
                page.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        workspace.directory.set_disabled(user, True)
        workspace.close()
    for shot in sorted(OUT.glob("*.png")):
        print(f"wrote {shot} ({shrink(shot) // 1000} kB)")


if __name__ == "__main__":
    main()

"""Debian's Chromium and the flags every ipwatch browser is launched with.

`playwright install` cannot download browsers here (and need not): the crawl, the evidence
capture and the PDF report all drive `/usr/bin/chromium`. Background networking, component
updates and sync are off so the browser talks only to the pages it is sent to.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

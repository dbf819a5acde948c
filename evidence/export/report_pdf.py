"""Print the HTML report to PDF with Chromium (Debian's, launched as crawler/settings.py does).

The page is loaded from a string with every request blocked: the report is self-contained, and
nothing in listing text may make the browser fetch anything.
"""

from __future__ import annotations

from evidence.capture.chromium import CHROMIUM, LAUNCH_ARGS
from evidence.exceptions import EvidenceError


class ReportPdfError(EvidenceError):
    """Chromium could not print the report; the message says what to install or fix."""


def html_to_pdf(html: str, *, executable: str = CHROMIUM, timeout_ms: int = 60_000) -> bytes:
    """A4 PDF bytes of ``html``, backgrounds printed."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        raise ReportPdfError("the PDF report needs playwright: pip install playwright") from None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable, headless=True, args=list(LAUNCH_ARGS)
            )
            try:
                page = browser.new_page(java_script_enabled=False, offline=True)
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, wait_until="load", timeout=timeout_ms)
                return page.pdf(format="A4", print_background=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ReportPdfError(
            f"Chromium at {executable} could not print the report ({str(exc)[:300]}); "
            "install it (apt-get install chromium) or export with --no-pdf"
        ) from None

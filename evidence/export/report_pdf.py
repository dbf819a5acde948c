"""Print the HTML report to PDF with Chromium (Debian's, launched as crawler/settings.py does).

The page is loaded from a string with every request blocked: the report is self-contained, and
nothing in listing text may make the browser fetch anything. Every printed page carries the
case reference and date at the top and "page N of M" at the bottom, so a page taken out of the
stack still says where it belongs.
"""

from __future__ import annotations

from evidence.capture.chromium import CHROMIUM, LAUNCH_ARGS
from evidence.exceptions import EvidenceError
from evidence.export.report_markup import esc

_RUNNING = (
    '<div style="font:8px sans-serif;color:#444;width:100%;padding:0 14mm;{align}">{text}</div>'
)


class ReportPdfError(EvidenceError):
    """Chromium could not print the report; the message says what to install or fix."""


def running_templates(reference: str, date: str) -> tuple[str, str]:
    """Header (case reference and date) and footer (page N of M) for every printed page."""
    header = _RUNNING.format(
        align="display:flex;justify-content:space-between",
        text=f"<span>Case {esc(reference)}</span><span>Exported {esc(date)}</span>",
    )
    footer = _RUNNING.format(
        align="text-align:center",
        text='Page <span class="pageNumber"></span> of <span class="totalPages"></span>',
    )
    return header, footer


def html_to_pdf(
    html: str,
    *,
    reference: str = "",
    date: str = "",
    executable: str = CHROMIUM,
    timeout_ms: int = 60_000,
) -> bytes:
    """A4 PDF bytes of ``html``, backgrounds printed, case reference/date/page on each page."""
    header, footer = running_templates(reference, date)
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
                return page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ReportPdfError(
            f"Chromium at {executable} could not print the report ({str(exc)[:300]}); "
            "install it (apt-get install chromium) or export with --no-pdf"
        ) from None

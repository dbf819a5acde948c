"""The printed case report, looked at as a reader sees it: Chromium prints it, PDFium renders
each page to pixels and text, and the tests check what a lawyer would check on paper."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from evidence.export.report import CaseReport, ImageFile
from evidence.export.report_html import render_html
from evidence.export.report_markup import fingerprint
from tests.evidence.export.test_evidence_report import build_report, hostile_parts

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is a dev dependency (make install)")
pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium"
)

# A tall full-page screenshot: three coloured thirds, so each printed part can be recognised.
BLUE, GREEN, ORANGE = (0, 0, 200), (0, 160, 0), (230, 120, 0)
SHOT_W, SHOT_H = 1000, 4200


def tall_screenshot() -> bytes:
    image = Image.new("RGB", (SHOT_W, SHOT_H), BLUE)
    image.paste(GREEN, (0, 1400, SHOT_W, 2800))
    image.paste(ORANGE, (0, 2800, SHOT_W, SHOT_H))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclasses.dataclass
class Printed:
    texts: list[str]
    pages: list[Image.Image]


def printed(case: CaseReport) -> Printed:
    from evidence.export.report_pdf import html_to_pdf

    pdf = pdfium.PdfDocument(
        html_to_pdf(render_html(case), reference="case-7.wacz", date="2026-12-05T08:00:00Z")
    )
    texts, pages = [], []
    for index in range(len(pdf)):
        page = pdf[index]
        texts.append(page.get_textpage().get_text_range())
        pages.append(page.render(scale=1).to_pil().convert("RGB"))
    return Printed(texts, pages)


def widest_run(page: Image.Image, color: tuple[int, int, int]) -> int:
    """How many pixels of ``color`` (within a small tolerance) the fullest row holds; the
    screenshot parts are solid bands, so this is the printed width of the band."""
    pixels = np.asarray(page, dtype=np.int16)
    close = np.abs(pixels - np.array(color, dtype=np.int16)).sum(axis=2) < 40
    return int(close.sum(axis=1).max())


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> CaseReport:
    base = build_report(hostile_parts(tmp_path_factory.mktemp("pdf")), True)
    snapshot = base.snapshots[0]
    first = snapshot.comparisons[0]
    signals = [{**s, "score": "0.912345678"} for s in first.signals]
    snapshot = dataclasses.replace(
        snapshot,
        screenshot=ImageFile(tall_screenshot(), "image/png", "screenshot.png", "cd" * 32),
        comparisons=[dataclasses.replace(first, signals=signals, risk="0.87654321")],
        price="12.99 USD",
    )
    return dataclasses.replace(base, snapshots=[snapshot], operator="Dana Reviewer")


@pytest.fixture(scope="module")
def paper(case: CaseReport) -> Printed:
    return printed(case)


def test_every_page_carries_case_reference_date_and_page_number(paper: Printed) -> None:
    total = len(paper.texts)
    assert total >= 4  # cover, then a screenshot cut into four parts at full width
    for number, text in enumerate(paper.texts, start=1):
        assert "Case case-7.wacz" in text and "2026-12-05T08:00:00Z" in text
        assert f"Page {number} of {total}" in text


def test_cover_page_summarises_the_case_for_a_lawyer(case: CaseReport, paper: Printed) -> None:
    cover = "".join(paper.texts[0].split())  # table cells wrap; compare without whitespace
    snapshot = case.snapshots[0]
    for expected in (
        "Summary",
        "Dana Reviewer",  # who exported it
        fingerprint(case.key_id)[:14],  # the signing key's fingerprint
        snapshot.snapshot_id,
        "12.99 USD",  # the sealed price
        "0.88",  # the risk, rounded
        "1 listing(s), 1 seller(s), 1 registered right(s)",
    ):
        assert "".join(expected.split()) in cover, expected
    assert "0.87654321" not in " ".join(paper.texts)  # scores are rounded everywhere
    assert "0.912345678" not in " ".join(paper.texts)


def test_first_page_is_not_half_empty(paper: Printed) -> None:
    page = paper.pages[0]
    width, height = page.size
    gray = page.convert("L").crop((0, 0, width, int(height * 0.93)))  # above the footer
    rows = [y for y in range(gray.height) if gray.crop((0, y, width, y + 1)).getextrema()[0] < 200]
    assert rows and rows[-1] > 0.6 * height


def test_tall_screenshot_is_printed_full_width_in_continued_parts(paper: Printed) -> None:
    width = paper.pages[0].width
    content = width - 2 * 14 / 25.4 * 72  # A4 width minus the 14 mm margins, in points
    shot_pages = [p for p in paper.pages if widest_run(p, BLUE) or widest_run(p, ORANGE)]
    assert len(shot_pages) >= 3  # not squeezed onto one page as a thumbnail
    for color in (BLUE, GREEN, ORANGE):
        assert max(widest_run(p, color) for p in paper.pages) > 0.9 * content, color
    joined = " ".join(paper.texts)
    assert "part 1 of 4" in joined and "part 4 of 4, continued from the previous part" in joined


def test_headings_stay_with_what_they_head(paper: Printed) -> None:
    for text, page in zip(paper.texts, paper.pages, strict=True):
        if "part 1 of 4" in text:
            assert "Screenshot" in text and widest_run(page, BLUE) > 0  # heading + first part
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("Case ", "Page "))]
        assert body and body[-1] not in ("Screenshot", "What was matched", "Timeline", "Hashes")


def test_verify_steps_name_the_tsa_only_when_a_timestamp_was_made(case: CaseReport) -> None:
    plain = render_html(case)
    assert case.snapshots[0].timestamped is False
    assert "tsa-root.pem" not in plain and "openssl ts" not in plain
    assert "no time-stamping authority was configured" in plain
    stamped_case = dataclasses.replace(
        case, snapshots=[dataclasses.replace(case.snapshots[0], timestamped=True)]
    )
    stamped = render_html(stamped_case)
    assert "--tsa-ca tsa-root.pem" in stamped and "openssl ts -verify" in stamped
    assert "no time-stamping authority was configured" not in stamped

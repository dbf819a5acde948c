"""The evidence report as one self-contained HTML page (images inline, no script, no fetches).

Order follows how a lawyer reads it: a cover with the case summary, how to verify, then one
section per snapshot (facts, the screenshot at full width in page-sized parts, what was matched,
timeline, hashes). Listing text is hostile: every value passes through ``esc``, and a
Content-Security-Policy forbids scripts and any network access, so even a missed escape could
not run code or call home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.export.bundle import ARTIFACTS, MANIFEST, SEAL, TOKEN
from evidence.export.report import INLINE_IMAGE_TYPES
from evidence.export.report_cover import cover, verify_steps
from evidence.export.report_markup import esc, image, png_img, rounded
from evidence.export.report_slices import ScreenshotUnreadable, slice_screenshot
from evidence.export.wacz import PART_SEP, evidence_path

if TYPE_CHECKING:
    from evidence.export.report import CaseReport, Comparison, ImageFile, SnapshotReport

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body{font:13px/1.4 system-ui,sans-serif;margin:2em;color:#111}
@media print{body{margin:0}}
h1{font-size:21px;margin-top:0}h2{font-size:17px;border-bottom:1px solid #999;margin-top:1.6em}
h3{font-size:14px}h1,h2,h3{break-after:avoid;page-break-after:avoid}
table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border:1px solid #ccc;padding:3px 5px;text-align:left;vertical-align:top}
tr{break-inside:avoid}
.summary td,.summary th{font-size:11.5px}.num{text-align:right;white-space:nowrap}
code,.hash{font-family:monospace;font-size:11px;word-break:break-all}
.pair{display:flex;gap:1em}.pair figure{flex:1;margin:0;border:1px solid #ccc;padding:.5em}
.finding{break-inside:avoid;page-break-inside:avoid}
img{max-width:100%;max-height:420px}mark{background:#fd6}
figure.shot{margin:0 0 .6em 0;break-inside:avoid;page-break-inside:avoid}
figure.shot img{width:100%;max-height:none;border:1px solid #bbb}
figcaption{font-size:11px;color:#333}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap;word-break:break-all;break-inside:avoid}
.snap{break-before:page;page-break-before:always}
"""


def _outlined(image_html: str, region: tuple[float, float, float, float] | None) -> str:
    """The image with a box drawn over the region found (fractions of its size)."""
    if region is None:
        return image_html
    x0, y0, x1, y1 = region
    box = (
        f"position:absolute;left:{100 * x0:.2f}%;top:{100 * y0:.2f}%;"
        f"width:{100 * (x1 - x0):.2f}%;height:{100 * (y1 - y0):.2f}%;"
        "border:3px solid #e00;box-sizing:border-box"
    )
    return (
        f'<div class="found" style="position:relative;display:inline-block">{image_html}'
        f'<div class="region" style="{box}"></div></div>'
    )


def _highlight(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return esc(text)
    start, end = span
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


def _comparison(c: Comparison) -> str:
    head = (
        f"<h3>Finding {esc(c.finding_id)}: {esc(c.asset_name)} "
        f"(registration {esc(c.registration_number or 'not given')}, owner {esc(c.owner)})</h3>"
        f"<p>Risk {rounded(c.risk)}</p>"
    )
    if c.registered_image is not None or c.listing_image is not None:
        pair = (
            f"<figure>{image(c.registered_image, 'registered image')}<figcaption>Registered "
            f"image of {esc(c.asset_name)}</figcaption></figure>"
            f"<figure>{_outlined(image(c.listing_image, 'listing image'), c.region)}"
            f"<figcaption>Listing image {esc(c.listing_image.label if c.listing_image else '')}"
            f"{' (where it was found is outlined)' if c.region else ''}</figcaption></figure>"
        )
    else:
        pair = (
            f"<figure><p><strong>{esc(c.mark or c.asset_name)}</strong></p><figcaption>"
            f"Registered mark</figcaption></figure><figure><p>{_highlight(c.listing_text, c.span)}"
            f"</p><figcaption>Listing text (matched part highlighted)</figcaption></figure>"
        )
    rows = "".join(
        f'<tr><td>{esc(s["kind"])}</td><td class="num">{rounded(s["score"])}</td>'
        f"<td>{esc(s['detail'])}</td></tr>"
        for s in c.signals
    )
    signals = f"<table><tr><th>signal</th><th>score</th><th>why</th></tr>{rows}</table>"
    return f'<div class="finding">{head}<div class="pair">{pair}</div>{signals}</div>'


def _screenshot(shot: ImageFile | None) -> str:
    """The screenshot at full width, cut into page-sized parts that say they continue."""
    if shot is None:
        return (
            "<h3>Screenshot</h3><p><em>No screenshot in this snapshot (captured over HTTP "
            "without a browser); the page itself is in the WARC and replays from the WACZ."
            "</em></p>"
        )
    if shot.media_type not in INLINE_IMAGE_TYPES:
        return "<h3>Screenshot</h3>" + image(shot, "screenshot of the listing page")
    try:
        sliced = slice_screenshot(shot.data)
    except ScreenshotUnreadable as exc:
        return f"<h3>Screenshot</h3><p><em>{esc(exc)}</em></p>"
    figures = []
    for part in sliced.parts:
        where = (
            f"part {part.index} of {part.count}"
            + (", continued from the previous part" if part.index > 1 else "")
            + f" (pixels {part.top}-{part.bottom} of {sliced.width}x{sliced.height})"
            if part.count > 1
            else f"{sliced.width}x{sliced.height} pixels"
        )
        heading = "<h3>Screenshot</h3>" if part.index == 1 else ""
        figures.append(
            f'<figure class="shot">{heading}'
            f"{png_img(part.data, f'screenshot of the listing page, {where}')}"
            f"<figcaption>Screenshot of the listing page, {esc(where)}.</figcaption></figure>"
        )
    cut = (
        f"<p><em>The page is longer than {len(sliced.parts)} printed parts; the rest is in "
        f"the sealed file <code>{esc(shot.label)}</code> (SHA-256 {esc(shot.sha256)}).</em></p>"
        if sliced.truncated
        else ""
    )
    return "".join(figures) + cut


def _snapshot(s: SnapshotReport) -> str:
    facts = [
        ("Snapshot", s.snapshot_id),
        ("Listing URL", s.url),
        ("Marketplace", s.marketplace),
        ("Title", s.title),
        ("Seller", s.seller or "not recorded"),
        ("Price", s.price or "not listed"),
        ("Captured (UTC)", s.captured_at),
        ("Manifest SHA-256", s.manifest_sha256),
        ("Signing key id", s.key_id),
        ("Transparency log", f"entry {s.log_index}, tree size {s.tree_size}, root {s.tree_root}"),
    ]
    fact_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts)
    timeline = "".join(
        f"<tr><td>{esc(e.at)}</td><td>{esc(e.what)}</td><td>{esc(e.who)}</td>"
        f"<td>{esc(e.detail)}</td></tr>"
        for e in s.timeline
    )
    hashes = "".join(
        f'<tr><td><code>{esc(p)}</code></td><td class="hash">{esc(h)}</td><td>{n}</td></tr>'
        for p, h, n in s.hashes
    )
    return (
        f'<section class="snap"><h2>Snapshot {esc(s.snapshot_id)}</h2>'
        f"<table>{fact_rows}</table>{_screenshot(s.screenshot)}"
        f"<h2>What was matched</h2>{''.join(_comparison(c) for c in s.comparisons)}"
        f"<h2>Timeline</h2><table><tr><th>when (UTC)</th><th>what</th><th>who</th>"
        f"<th>detail</th></tr>{timeline}</table>"
        f"<h2>Hashes</h2><table><tr><th>file in the package</th><th>SHA-256</th><th>bytes</th>"
        f"</tr>{hashes}</table>{_manual_steps(s)}</section>"
    )


def _manual_steps(s: SnapshotReport) -> str:
    manifest, seal = evidence_path(s.snapshot_id, MANIFEST), evidence_path(s.snapshot_id, SEAL)
    token = evidence_path(s.snapshot_id, TOKEN)
    artifacts = evidence_path(s.snapshot_id, ARTIFACTS) + PART_SEP + "*"
    steps = (
        f"sha256sum {manifest}        # must print {s.manifest_sha256}\n"
        f"sha256sum archive/* {artifacts}   # each as in the table above\n"
        f"# the manifest's Ed25519 signature (signed bytes: a fixed line, then the file):\n"
        f"printf 'ipwatch manifest v2\\n' | cat - {manifest} > signed.bin\n"
        f'python3 -c "import json,sys; sys.stdout.buffer.write(bytes.fromhex(json.load('
        f"open('{seal}'))['signature']['value']))\" > sig.bin\n"
        f"openssl pkeyutl -verify -pubin -inkey published-key.pem -rawin "
        f"-in signed.bin -sigfile sig.bin     # Signature Verified Successfully"
    )
    if s.timestamped:
        steps += (
            f"\n# the RFC 3161 timestamp covers the manifest digest:\n"
            f"openssl ts -verify -digest {s.manifest_sha256} -in {token} "
            f"-token_in -CAfile tsa-root.pem"
        )
    return f"<h3>Checking this snapshot by hand</h3><pre>{esc(steps)}</pre>"


def render_html(case: CaseReport) -> str:
    """The whole report; every listing-derived value is escaped."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{esc(case.title)}</title><style>{STYLE}</style></head><body>"
        f"{cover(case)}{verify_steps(case)}"
        + "".join(_snapshot(s) for s in case.snapshots)
        + "</body></html>"
    )

"""The evidence report as one self-contained HTML page (images inline, no script, no fetches).

Listing text is hostile: every value passes through ``esc`` (HTML-escaped, quotes included),
images are inlined only for raster types, and a Content-Security-Policy forbids scripts and
any network access, so even a missed escape could not run code or call home.
"""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING

from evidence.export.bundle import ARTIFACTS, MANIFEST, SEAL, TOKEN
from evidence.export.report import INLINE_IMAGE_TYPES
from evidence.export.wacz import PART_SEP, evidence_path

if TYPE_CHECKING:
    from evidence.export.report import CaseReport, Comparison, ImageFile, SnapshotReport

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #999;margin-top:2em}
h3{font-size:15px}table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
code,.hash{font-family:monospace;font-size:12px;word-break:break-all}
.pair{display:flex;gap:1em}.pair figure{flex:1;margin:0;border:1px solid #ccc;padding:.5em}
img{max-width:100%;max-height:420px}mark{background:#fd6}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap;word-break:break-all}
section{page-break-inside:auto}.snap{page-break-before:always}
"""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def _image(image: ImageFile | None, alt: str) -> str:
    if image is None:
        return f"<p><em>{esc(alt)}: not available</em></p>"
    if image.media_type not in INLINE_IMAGE_TYPES:
        return f"<p><em>{esc(alt)} ({esc(image.media_type)}) is not shown inline</em></p>"
    data = base64.b64encode(image.data).decode("ascii")
    return f'<img alt="{esc(alt)}" src="data:{image.media_type};base64,{data}">'


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
        f"<p>Risk {esc(c.risk)}</p>"
    )
    if c.registered_image is not None or c.listing_image is not None:
        pair = (
            f"<figure>{_image(c.registered_image, 'registered image')}<figcaption>Registered "
            f"image of {esc(c.asset_name)}</figcaption></figure>"
            f"<figure>{_outlined(_image(c.listing_image, 'listing image'), c.region)}"
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
        f"<tr><td>{esc(s['kind'])}</td><td>{esc(s['score'])}</td><td>{esc(s['detail'])}</td></tr>"
        for s in c.signals
    )
    signals = f"<table><tr><th>signal</th><th>score</th><th>why</th></tr>{rows}</table>"
    return head + f'<div class="pair">{pair}</div>' + signals


def _snapshot(s: SnapshotReport) -> str:
    facts = [
        ("Snapshot", s.snapshot_id),
        ("Listing URL", s.url),
        ("Marketplace", s.marketplace),
        ("Title", s.title),
        ("Seller", s.seller or "not recorded"),
        ("Captured (UTC)", s.captured_at),
        ("Manifest SHA-256", s.manifest_sha256),
        ("Signing key id", s.key_id),
        ("Transparency log", f"entry {s.log_index}, tree size {s.tree_size}, root {s.tree_root}"),
    ]
    fact_rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts)
    screenshot = (
        _image(s.screenshot, "screenshot of the listing page")
        if s.screenshot
        else "<p><em>No screenshot in this snapshot (captured over HTTP without a browser); "
        "the page itself is in the WARC and replays from the WACZ.</em></p>"
    )
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
        f"<table>{fact_rows}</table><h3>Screenshot</h3>{screenshot}"
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
    return (
        "<h3>Checking this snapshot by hand</h3><pre>"
        + esc(
            f"sha256sum {manifest}        # must print {s.manifest_sha256}\n"
            f"sha256sum archive/* {artifacts}   # each as in the table above\n"
            f"# the manifest's Ed25519 signature (signed bytes: a fixed line, then the file):\n"
            f"printf 'ipwatch manifest v2\\n' | cat - {manifest} > signed.bin\n"
            f'python3 -c "import json,sys; sys.stdout.buffer.write(bytes.fromhex(json.load('
            f"open('{seal}'))['signature']['value']))\" > sig.bin\n"
            f"openssl pkeyutl -verify -pubin -inkey published-key.pem -rawin "
            f"-in signed.bin -sigfile sig.bin     # Signature Verified Successfully\n"
            f"# the RFC 3161 timestamp covers the manifest digest:\n"
            f"openssl ts -verify -digest {s.manifest_sha256} -in {token} "
            f"-token_in -CAfile tsa-root.pem"
        )
        + "</pre>"
    )


def render_html(case: CaseReport) -> str:
    """The whole report; every listing-derived value is escaped."""
    n = len(case.snapshots)
    steps = esc(
        f"ipwatch evidence verify {case.package_name} --public-key published-key.pem "
        "--tsa-ca tsa-root.pem -v"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{esc(case.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{esc(case.title)}</h1>"
        f"<p>Evidence report for {n} sealed snapshot(s), exported {esc(case.created)} by "
        f"{esc(case.software)} in <code>{esc(case.package_name)}</code>. Every snapshot was "
        f"signed with the Ed25519 key <code>{esc(case.key_id)}</code>, entered in a "
        "transparency log and, where a time-stamping authority was configured, time-stamped "
        "(RFC 3161).</p>"
        "<h2>How to verify this evidence</h2><ol>"
        "<li>Get the sealing organisation's public key (<code>published-key.pem</code>) from "
        f"them, not from this package, and check its key id is <code>{esc(case.key_id)}</code>."
        "</li><li>With ipwatch installed, run:<pre>"
        f"{steps}</pre>Every check prints as passed, failed or not checked; the exit status is "
        "0 only when nothing failed. It recomputes every hash, the manifest signatures, the "
        "transparency-log inclusion proofs and signed tree heads, the timestamps and the "
        "chain of custody.</li>"
        "<li>Without ipwatch: unzip the package and compare each file's <code>sha256sum</code> "
        "with <code>datapackage.json</code> and with the tables below; check the signatures "
        "with <code>openssl</code> as shown for each snapshot.</li>"
        "<li>To see the captured page, open the package in ReplayWeb.page "
        "(https://replayweb.page), which reads WACZ files locally in the browser.</li></ol>"
        + "".join(_snapshot(s) for s in case.snapshots)
        + "</body></html>"
    )

"""The report's first page and its verification steps: what a lawyer reads before the detail.

The cover names the case (the package), the date, who exported it and the signing key's
fingerprint; the summary lists every listing with its seller, price, the rights it infringes and
the snapshot that proves it. The verification steps list only what was configured: no TSA step
when no snapshot carries a timestamp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.export.report_markup import esc, fingerprint

if TYPE_CHECKING:
    from evidence.export.report import CaseReport, SnapshotReport

MAX_TITLE = 140  # characters of a listing title shown in the summary table


def cover(case: CaseReport) -> str:
    facts = [
        ("Case reference", case.package_name),
        ("Exported (UTC)", case.created),
        ("Exported by", case.operator or "not recorded"),
        ("Software", case.software),
        ("Signing key", f"Ed25519, SHA-256 fingerprint {fingerprint(case.key_id)}"),
    ]
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts)
    stamped = (
        "and time-stamped by an RFC 3161 time-stamping authority"
        if case.timestamped
        else "(no time-stamping authority was configured, so no RFC 3161 timestamp is included)"
    )
    return (
        f"<h1>{esc(case.title)}</h1><table>{rows}</table>"
        f"<p>Each of the {len(case.snapshots)} snapshot(s) below was sealed when it was "
        "captured: its files were hashed, the list of hashes was signed with the key above, "
        f"entered in a transparency log {stamped}.</p>" + _summary(case)
    )


def _summary(case: CaseReport) -> str:
    sellers = {s.seller for s in case.snapshots if s.seller}
    rights = {
        _right(c.asset_name, c.registration_number) for s in case.snapshots for c in s.comparisons
    }
    head = (
        "<h2>Summary</h2>"
        f"<p>{len(case.snapshots)} listing(s), {len(sellers)} seller(s), {len(rights)} "
        "registered right(s).</p>"
        '<table class="summary"><tr><th>#</th><th>Listing</th><th>Seller</th><th>Price</th>'
        "<th>Rights matched</th><th>Risk</th><th>Captured (UTC)</th><th>Snapshot</th></tr>"
    )
    return head + "".join(_row(n, s) for n, s in enumerate(case.snapshots, 1)) + "</table>"


def _row(number: int, s: SnapshotReport) -> str:
    title = s.title if len(s.title) <= MAX_TITLE else s.title[: MAX_TITLE - 1] + "…"
    rights = (
        "<br>".join(esc(_right(c.asset_name, c.registration_number)) for c in s.comparisons)
        or "none cited"
    )
    risk = max((float(c.risk) for c in s.comparisons if _is_number(c.risk)), default=None)
    return (
        f'<tr><td class="num">{number}</td><td>{esc(title)}<br><small>{esc(s.marketplace)}'
        f"</small></td><td>{esc(s.seller or 'not recorded')}</td>"
        f'<td class="num">{esc(s.price or "not listed")}</td><td>{rights}</td>'
        f'<td class="num">{"" if risk is None else f"{risk:.2f}"}</td>'
        f"<td>{esc(s.captured_at)}</td><td><code>{esc(s.snapshot_id)}</code></td></tr>"
    )


def _right(name: str, registration: str | None) -> str:
    return f"{name} (reg. {registration})" if registration else name


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def verify_steps(case: CaseReport) -> str:
    command = f"ipwatch evidence verify {case.package_name} --public-key published-key.pem"
    if case.timestamped:
        command += " --tsa-ca tsa-root.pem"
    checks = "every hash, the manifest signatures, the transparency-log inclusion proofs and "
    checks += "signed tree heads, "
    checks += "the RFC 3161 timestamps " if case.timestamped else ""
    checks += "and the chain of custody"
    return (
        "<h2>How to verify this evidence</h2><ol>"
        "<li>Get the sealing organisation's public key (<code>published-key.pem</code>) from "
        "them, not from this package, and check its SHA-256 fingerprint is "
        f"<code>{esc(fingerprint(case.key_id))}</code>.</li>"
        + (
            "<li>Get the time-stamping authority's root certificate (<code>tsa-root.pem</code>)"
            " from the authority.</li>"
            if case.timestamped
            else ""
        )
        + f"<li>With ipwatch installed, run:<pre>{esc(command)} -v</pre>Every check prints as "
        "passed, failed or not checked; the exit status is 0 only when nothing failed. It "
        f"recomputes {checks}.</li>"
        "<li>Without ipwatch: unzip the package and compare each file's <code>sha256sum</code> "
        "with <code>datapackage.json</code> and with the tables below; check the signatures "
        "with <code>openssl</code> as shown for each snapshot.</li>"
        "<li>To see the captured page, open the package in ReplayWeb.page "
        "(https://replayweb.page), which reads WACZ files locally in the browser.</li></ol>"
    )

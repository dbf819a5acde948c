"""Sellers as a reviewer sees them: only through findings in their scope.

A seller has no owner, so a user sees a seller only when at least one of their owners' findings
names it, and sees only those findings: the seller's dealings with other rights holders stay
invisible. The card gathers the seller's findings across marketplaces by name as well as by key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipwatch.services.errors import NotFoundError
from model import FindingQuery, FindingStatus

if TYPE_CHECKING:
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord, Seller

SCAN_LIMIT = 50_000  # findings read to build the seller list (riskiest first)
PAGE = 500
CARD_FINDINGS = 200


@dataclass(frozen=True)
class SellerCard:
    seller: Seller
    findings: list[FindingRecord]  # in scope, riskiest first, every marketplace
    marketplaces: list[str]


def seller_rows(
    workspace: Workspace, principal: Principal, text: str | None = None
) -> list[dict[str, object]]:
    """One row per seller named by a finding in scope: counts by status and the highest risk."""
    principal.require("read")
    rows: dict[str, dict[str, object]] = {}
    after: tuple[float, str] | None = None
    scanned = 0
    while scanned < SCAN_LIMIT:
        query = FindingQuery(seller=text, limit=PAGE, search_after=after)
        batch = workspace.index.list_findings(principal.scope(query))
        for finding in batch:
            key = finding.seller_key
            if not key:
                continue
            row = rows.setdefault(
                key,
                {
                    "key": key,
                    "name": finding.seller.name if finding.seller else None,
                    "marketplace": finding.marketplace,
                    "url": finding.seller.url if finding.seller else None,
                    "findings": 0,
                    "open": 0,
                    "confirmed": 0,
                    "max_risk": round(finding.risk, 4),
                },
            )
            row["findings"] = int(str(row["findings"])) + 1
            if finding.status in (FindingStatus.NEW, FindingStatus.IN_REVIEW):
                row["open"] = int(str(row["open"])) + 1
            if finding.status == FindingStatus.CONFIRMED:
                row["confirmed"] = int(str(row["confirmed"])) + 1
        scanned += len(batch)
        if len(batch) < PAGE:
            break
        after = (batch[-1].risk, batch[-1].id)
    return sorted(rows.values(), key=lambda r: (-float(str(r["max_risk"])), str(r["key"])))


def seller_card(workspace: Workspace, principal: Principal, key: str) -> SellerCard:
    principal.require("read")
    seller = workspace.index.get_seller(key)
    if seller is None:
        raise NotFoundError(f"no seller {key[:200]!r}")
    found: dict[str, FindingRecord] = {}
    for match in dict.fromkeys(v for v in (key, seller.name) if v):
        query = FindingQuery(seller=match, limit=CARD_FINDINGS)
        for finding in workspace.index.list_findings(principal.scope(query)):
            found.setdefault(finding.id, finding)
    if not found:
        raise NotFoundError(f"no seller {key[:200]!r}")
    findings = sorted(found.values(), key=lambda f: (-f.risk, f.id))
    return SellerCard(seller, findings, sorted({f.marketplace for f in findings}))

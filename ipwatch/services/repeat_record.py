"""The repeat-infringer record of the sellers and networks a user may see.

Built from the findings in the caller's scope (a seller's dealings with other rights holders
never count), their review history, and how many listings of each seller the index holds.
Notices, removals and reappearances are read from the findings' signed history (each notice
outcome moves its findings); counter-notices from the stored notices' own state history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from enforcement.record import FindingFacts, Record, Thresholds, combine_records, seller_record
from ipwatch.services.seller_network import seller_networks
from model import FindingQuery, FindingStatus
from model.notices import NoticeQuery, NoticeState

if TYPE_CHECKING:
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model import FindingRecord

PAGE = 500
SCAN_LIMIT = 200_000  # findings read for one record
_HISTORY = (FindingStatus.NOTICE_SENT, FindingStatus.REMOVED, FindingStatus.REAPPEARED)
CSV_COLUMNS = (
    "scope", "key", "name", "sellers", "marketplaces", "first_seen", "last_seen",
    "listings_seen", "confirmed", "strikes", "strike_level", "notices_sent", "removals",
    "counter_notices", "reappearances", "infringing_share", "manifestly_illegal",
    "manifestly_illegal_share", "gravity", "intent", "finding_ids",
)  # fmt: skip


@dataclass(frozen=True)
class RepeatRecord:
    sellers: list[Record]
    networks: list[Record]

    def rows(self) -> list[dict[str, Any]]:
        """Every seller, then every network, as export rows with a ``scope`` column."""
        return [{"scope": "seller", **r.to_dict()} for r in self.sellers] + [
            {"scope": "network", **r.to_dict()} for r in self.networks
        ]


def thresholds(workspace: Workspace) -> Thresholds:
    settings = workspace.config.enforcement
    return Thresholds(
        settings.strikes_warning,
        settings.strikes_suspend,
        settings.manifest_risk,
        dict(settings.gravity),
    )


def counter_noticed(workspace: Workspace, principal: Principal) -> frozenset[str]:
    """Findings cited by a notice, in the principal's owners, that a counter-notice answered."""
    owners = principal.owners
    notices = workspace.index.list_notices(NoticeQuery(owners=owners, limit=100_000))
    out: set[str] = set()
    for notice in notices:
        events = workspace.index.list_notice_events(notice.id)
        if any(e.to_state == NoticeState.COUNTER_NOTICE for e in events):
            out.update(notice.finding_ids)
    return frozenset(out)


def _facts(
    workspace: Workspace, finding: FindingRecord, countered: frozenset[str] = frozenset()
) -> FindingFacts:
    history: frozenset[str] = frozenset()
    if finding.status in _HISTORY:  # only these can have passed a status they left
        history = frozenset(e.to_status.value for e in workspace.index.list_events(finding.id))
    disguised = any(
        isinstance(s.get("evidence"), dict) and s["evidence"].get("disguised") is True
        for s in finding.signals
    )
    return FindingFacts(
        id=finding.id,
        listing_id=finding.listing_id,
        marketplace=finding.marketplace,
        status=finding.status.value,
        risk=finding.risk,
        kinds=frozenset(str(s.get("kind")) for s in finding.signals),
        disguised=disguised,
        history=history,
        counter_noticed=finding.id in countered,
        created=finding.created,
        updated=finding.updated,
    )


def _findings_by_seller(
    workspace: Workspace, principal: Principal
) -> dict[str, list[FindingFacts]]:
    out: dict[str, list[FindingFacts]] = {}
    countered = counter_noticed(workspace, principal)
    after: tuple[float, str] | None = None
    scanned = 0
    while scanned < SCAN_LIMIT:
        query = FindingQuery(limit=PAGE, search_after=after)
        batch = workspace.index.list_findings(principal.scope(query))
        for finding in batch:
            if finding.seller_key:
                out.setdefault(finding.seller_key, []).append(_facts(workspace, finding, countered))
        scanned += len(batch)
        if len(batch) < PAGE:
            break
        after = (batch[-1].risk, batch[-1].id)
    return out


def repeat_record(
    workspace: Workspace, principal: Principal, with_networks: bool = True
) -> RepeatRecord:
    """Every seller named by a finding in scope, worst first; then every network in scope."""
    principal.require("read")
    limits = thresholds(workspace)
    by_seller = _findings_by_seller(workspace, principal)
    listings = Counter(
        listing.seller_key
        for listing in workspace.index.iter_listings()
        if listing.seller_key in by_seller
    )
    records: dict[str, Record] = {}
    for key, findings in by_seller.items():
        seller = workspace.index.get_seller(key)
        seen = (seller.first_seen, seller.last_seen) if seller else (None, None)
        name = seller.name if seller else None
        records[key] = seller_record(key, name, findings, listings[key], limits, seen)
    networks = []
    if with_networks:
        for row in seller_networks(workspace, principal):
            members = [records[k] for k in row.members if k in records]
            if len(members) >= 2:
                networks.append(combine_records(row.network, members, limits))
    return RepeatRecord(_worst_first(records.values()), _worst_first(networks))


def _worst_first(records: Any) -> list[Record]:
    return sorted(records, key=lambda r: (-r.strikes, -r.gravity, -len(r.notice_ids), r.key))

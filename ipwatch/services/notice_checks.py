"""Is a noticed listing gone? Ask each listing of the sent and acknowledged notices.

A listing that answers HTTP 404 or 410 is taken down: its finding moves ``notice_sent ->
removed`` (signed, through the review service) with the time it was seen gone, and a notice
whose every listing is gone is marked ``removed``. Anything else (200, a redirect, an error)
changes nothing: only a definite "gone" counts; a notice whose listings are still up
``notices.escalate_after_days`` after it was sent is raised as overdue (``notice_overdue``).
Requests follow the crawl's address rule (``crawl.allowed_private_hosts``) and connect to the
address that was checked.

A crawl that finds a noticed listing gone (a 404/410 or "no longer available" page, or absent
from a complete run) settles it the same way without asking again (``settle_gone``).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ipwatch.services.errors import ServiceError
from ipwatch.services.notice_overdue import OverdueNotice, overdue, raise_overdue
from ipwatch.services.notice_states import mark_notice
from ipwatch.services.notices import list_notices
from ipwatch.services.review import record_enforcement
from model import FindingStatus
from model.notices import NoticeQuery, NoticeState
from netguard.policy import AddressPolicy

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace
    from model.notices import NoticeRecord

GONE = (404, 410)
TIMEOUT = 15.0


@dataclass
class CheckResult:
    checked: int = 0
    gone: list[tuple[str, str, int]] = field(default_factory=list)  # (finding, url, status)
    still_there: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (finding, why)
    notices_removed: list[str] = field(default_factory=list)
    overdue: list[OverdueNotice] = field(default_factory=list)  # still up past the delay


def probe(url: str, policy: AddressPolicy, timeout: float = TIMEOUT) -> int:
    """The HTTP status ``url`` answers a GET with (no redirect followed); OSError when it
    cannot be asked, ValueError when the address rule refuses it."""
    addresses, reason = policy.check(url)
    if reason is not None or not addresses:
        raise ValueError(reason or "the host does not resolve")
    parts = urlsplit(url)
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        conn = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=context
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    conn._create_connection = lambda where, t, source: socket.create_connection(  # type: ignore[attr-defined]
        (addresses[0], where[1]), t, source
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("GET", path, headers={"User-Agent": "ipwatch-notice-check"})
        response = conn.getresponse()
        response.read(64 * 1024)
        return response.status
    except http.client.HTTPException as exc:
        raise OSError(str(exc)) from None
    finally:
        conn.close()


def check_noticed(
    workspace: Workspace,
    principal: Principal,
    allowed_private_hosts: Sequence[str] = (),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CheckResult:
    """Check every listing of the principal's sent/acknowledged notices (see module doc)."""
    principal.require("review")
    policy = AddressPolicy.from_hosts(
        [*workspace.config.crawl.allowed_private_hosts, *allowed_private_hosts]
    )
    result = CheckResult()
    for state in (NoticeState.SENT, NoticeState.ACKNOWLEDGED):
        for notice in list_notices(workspace, NoticeQuery(state=state, limit=1000), principal):
            gone_here = 0
            still_up: list[tuple[str, str]] = []
            for finding_id, url in zip(notice.finding_ids, notice.urls, strict=False):
                finding = workspace.index.get_finding(finding_id)
                if finding is None or finding.status == FindingStatus.REMOVED:
                    gone_here += finding is not None
                    continue
                result.checked += 1
                try:
                    status = probe(url, policy)
                except (OSError, ValueError) as exc:
                    result.problems.append((finding_id, str(exc)[:300]))
                    continue
                if status not in GONE:
                    result.still_there.append(finding_id)
                    still_up.append((finding_id, url))
                    continue
                seen = clock().isoformat(timespec="seconds")
                why = f"notice {notice.id}: listing answered HTTP {status} at {seen}"
                try:
                    record_enforcement(
                        workspace,
                        finding_id,
                        (FindingStatus.NOTICE_SENT,),
                        FindingStatus.REMOVED,
                        why,
                        principal,
                    )
                except ServiceError as exc:
                    result.problems.append((finding_id, str(exc)))
                    continue
                result.gone.append((finding_id, url, status))
                gone_here += 1
            seen = clock().isoformat(timespec="seconds")
            reason = f"every listing answered HTTP 404/410 (checked {seen})"
            _all_gone(workspace, notice, gone_here, reason, principal, result)
            late = overdue(workspace, notice, still_up, clock())
            if late is not None:
                result.overdue.append(late)
                raise_overdue(workspace, late)
    return result


def _all_gone(
    workspace: Workspace,
    notice: NoticeRecord,
    gone: int,
    reason: str,
    principal: Principal,
    result: CheckResult,
) -> None:
    """A notice whose every listing is gone is marked removed."""
    if notice.finding_ids and gone == len(notice.finding_ids):
        mark_notice(workspace, notice.id, "removed", reason, principal)
        result.notices_removed.append(notice.id)


def settle_gone(
    workspace: Workspace,
    gone: Mapping[str, str],
    principal: Principal,
    run_id: str,
) -> CheckResult:
    """Findings of sent/acknowledged notices whose listing a crawl found gone (listing id ->
    why) move ``notice_sent -> removed``; a notice whose every listing is gone is removed."""
    principal.require("review")
    result = CheckResult()
    if not gone:
        return result
    for state in (NoticeState.SENT, NoticeState.ACKNOWLEDGED):
        for notice in list_notices(workspace, NoticeQuery(state=state, limit=1000), principal):
            gone_here = 0
            for finding_id, url in zip(notice.finding_ids, notice.urls, strict=False):
                finding = workspace.index.get_finding(finding_id)
                if finding is None or finding.status == FindingStatus.REMOVED:
                    gone_here += finding is not None
                    continue
                result.checked += 1
                why = gone.get(finding.listing_id)
                if why is None:
                    result.still_there.append(finding_id)
                    continue
                try:
                    record_enforcement(
                        workspace,
                        finding_id,
                        (FindingStatus.NOTICE_SENT,),
                        FindingStatus.REMOVED,
                        f"notice {notice.id}: crawl run {run_id} found the listing gone ({why})",
                        principal,
                    )
                except ServiceError as exc:
                    result.problems.append((finding_id, str(exc)))
                    continue
                result.gone.append((finding_id, url, _status(why)))
                gone_here += 1
            reason = f"every listing is gone (crawl run {run_id})"
            _all_gone(workspace, notice, gone_here, reason, principal, result)
    return result


def _status(why: str) -> int:
    """The HTTP status a crawl's reason names (``http 404``), else 0 (absent, or a page)."""
    head, _, code = why.partition(" ")
    return int(code) if head == "http" and code.isdigit() else 0

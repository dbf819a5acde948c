"""What a browser capture obtained, as plain data: sealed by ``seal`` whether it worked or not.

A failed capture is not dropped: it is sealed as whatever the last attempt got plus the list
of attempts and their errors, so the manifest itself says the browser view is missing and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from evidence.seal.manifest import format_utc

if TYPE_CHECKING:
    from datetime import datetime

CaptureOutcome = Literal["complete", "failed"]
MAX_ERROR_CHARS = 500
MAX_LISTED = 200  # redirects, blocked requests: enough for any real page, bounded for hostile ones


@dataclass(frozen=True)
class Exchange:
    """One request the page made and the response it got; ``body`` is capped (``truncated``)."""

    method: str
    url: str
    status: int
    request_headers: tuple[tuple[str, str], ...]
    response_headers: tuple[tuple[str, str], ...]
    body: bytes
    request_body: bytes = b""
    truncated: bool = False
    server_ip: str | None = None
    resource_type: str = ""


@dataclass(frozen=True)
class Attempt:
    started_at: datetime
    error: str | None  # None: this attempt succeeded

    def to_dict(self) -> dict[str, Any]:
        return {"started_at": format_utc(self.started_at), "error": self.error}


@dataclass(frozen=True)
class Redirect:
    url: str
    status: int
    location: str


@dataclass(frozen=True)
class PeerCertificate:
    """One certificate the server presented, in the order it sent them (leaf first)."""

    der: bytes
    sha256: str
    subject: str
    issuer: str
    not_before: str
    not_after: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before,
            "not_after": self.not_after,
        }


@dataclass(frozen=True)
class TlsInfo:
    """The browser's view (``security_details``) and the chain from our own TLS connection."""

    browser: dict[str, Any]  # protocol, subject, issuer, valid_from, valid_to (strings)
    chain: tuple[PeerCertificate, ...] = ()
    chain_source: str = ""
    protocol: str | None = None
    cipher: str | None = None
    chain_verified: bool | None = None  # against the capture host's trust store
    error: str | None = None

    @property
    def leaf_sha256(self) -> str | None:
        return self.chain[0].sha256 if self.chain else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "browser": self.browser,
            "leaf_sha256": self.leaf_sha256,
            "chain": [cert.to_dict() for cert in self.chain],
            "chain_source": self.chain_source,
            "protocol": self.protocol,
            "cipher": self.cipher,
            "chain_verified": self.chain_verified,
            "error": self.error,
        }


@dataclass(frozen=True)
class BrowserCapture:
    """A flagged listing as a real browser rendered it (or the record of why it could not)."""

    requested_url: str
    outcome: CaptureOutcome
    attempts: tuple[Attempt, ...]
    captured_at: datetime
    viewport: tuple[int, int]
    user_agent: str
    environment: dict[str, str]  # host OS, arch, tool versions
    final_url: str | None = None
    status: int | None = None
    screenshot: bytes | None = None
    rendered_html: bytes | None = None
    exchanges: tuple[Exchange, ...] = ()
    redirects: tuple[Redirect, ...] = ()
    server_ip: str | None = None
    tls: TlsInfo | None = None
    blocked: tuple[tuple[str, str], ...] = ()  # (url, reason) the SSRF guard refused
    served_from: dict[str, str] = field(default_factory=dict)  # "host:port" -> upstream address
    operator: str | None = None
    job_id: str | None = None
    dropped_bytes: int = 0  # response bytes left out over the total cap
    notes: tuple[str, ...] = field(default_factory=tuple)

    def metadata(self) -> dict[str, Any]:
        """The manifest's ``browser`` section (artifacts are listed separately)."""
        return {
            "outcome": self.outcome,
            "attempts": [a.to_dict() for a in self.attempts],
            "requested_url": self.requested_url,
            "final_url": self.final_url,
            "status": self.status,
            "captured_at": format_utc(self.captured_at),
            "viewport": {"width": self.viewport[0], "height": self.viewport[1]},
            "user_agent": self.user_agent,
            "redirects": [
                {"url": r.url, "status": r.status, "location": r.location}
                for r in self.redirects[:MAX_LISTED]
            ],
            "server_ip": self.server_ip,
            "tls": self.tls.to_dict() if self.tls else None,
            "exchanges": len(self.exchanges),
            "truncated_bodies": sum(e.truncated for e in self.exchanges),
            "dropped_bytes": self.dropped_bytes,
            "blocked": [{"url": u, "reason": r} for u, r in self.blocked[:MAX_LISTED]],
            "served_from": dict(sorted(self.served_from.items())[:MAX_LISTED]),
            "environment": dict(self.environment),
            "operator": self.operator,
            "job_id": self.job_id,
            "notes": list(self.notes),
        }


def short_error(exc: BaseException | str) -> str:
    """One bounded line: Playwright errors carry multi-line call logs."""
    text = str(exc) if not isinstance(exc, str) else exc
    name = "" if isinstance(exc, str) else f"{type(exc).__name__}: "
    first = (text.strip().splitlines() or [""])[0]
    return (name + first)[:MAX_ERROR_CHARS] or type(exc).__name__

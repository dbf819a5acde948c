"""Decide whether a response is a block page, and which kind, from status, headers and text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from config.patterns import MAX_SUBJECT, compile_regex
from crawler.blocks.patterns import (
    FORBIDDEN,
    MARKERS,
    PATTERN,
    RATE_LIMITED,
    SCAN_CHARS,
    WALL_STATUSES,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from config.patterns import Matcher
    from config.profile import BlockRules


@dataclass(frozen=True)
class BlockReason:
    """Why a page counts as blocked: ``kind`` (see ``crawler.blocks.patterns``) and a detail."""

    kind: str
    detail: str


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def classify(
    status: int,
    headers: Mapping[str, str] | None,
    body_text: str,
    *,
    patterns: Iterable[Matcher] = (),
    status_codes: Iterable[int] = (),
) -> BlockReason | None:
    """The reason this response is a wall rather than the page asked for, or None.

    ``patterns`` and ``status_codes`` are a profile's own (``blocks:``); a page matching one
    is blocked whatever its status.
    """
    if status in set(status_codes):
        return BlockReason(PATTERN, f"status {status} is listed in the profile's blocks")
    text = body_text[:SCAN_CHARS]
    lowered = text.lower()
    wall = status in WALL_STATUSES
    for marker, kind, anywhere in MARKERS:
        if (anywhere or wall) and marker in lowered:
            return BlockReason(kind, f"status {status}, page contains {marker!r}")
    for pattern in patterns:
        match = pattern.search(text[: MAX_SUBJECT * 32])
        if match:
            return BlockReason(
                PATTERN, f"status {status}, profile pattern matched {match[0][:80]!r}"
            )
    if status == 429:
        return BlockReason(RATE_LIMITED, "status 429 Too Many Requests")
    if status == 503 and _header(headers, "retry-after") is None:
        return None  # an ordinary server error: the retry middleware's business
    if status == 503:
        return BlockReason(RATE_LIMITED, "status 503 with Retry-After")
    if status == 403 and _header(headers, "cf-mitigated") is not None:
        return BlockReason(FORBIDDEN, "status 403 with cf-mitigated")
    return None


class BlockClassifier:
    """``classify`` with one profile's rules compiled once."""

    def __init__(self, rules: BlockRules | None = None) -> None:
        self.patterns = [compile_regex(p) for p in rules.patterns] if rules else []
        self.status_codes = frozenset(rules.status_codes) if rules else frozenset()

    def __call__(
        self, status: int, headers: Mapping[str, str] | None, body_text: str
    ) -> BlockReason | None:
        return classify(
            status,
            headers,
            body_text,
            patterns=self.patterns,
            status_codes=self.status_codes,
        )

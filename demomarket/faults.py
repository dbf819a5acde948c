"""Faults on demand: slow, throttled, failing, truncated and malformed responses, counted per URL.

A ``FaultPlan`` maps URL patterns (``fnmatch`` syntax, matched against path plus ``?query``) to
faults; a test can also ask for one with query parameters, e.g. ``/item/1001?fault=429&times=2``.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal, get_args

# "404", "410" and "removed" take a listing down: HTTP 404 or 410, or a 200 "no longer
# available" page; "challenge", "captcha" and "empty" are the walls of demomarket.walls; "304"
# is a lying Not Modified: no validators, whatever the request asked (a hostile or broken cache).
FaultKind = Literal[
    "slow",
    "429",
    "500",
    "503",
    "drop",
    "truncate",
    "malformed",
    "challenge",
    "captcha",
    "empty",
    "404",
    "410",
    "removed",
    "304",
]
KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass(frozen=True)
class Fault:
    """One misbehaviour; ``times=None`` fires on every hit, else only on the first ``times``.

    ``after`` lets the first hits through: ``after=1`` serves the crawler's fetch and fails
    the browser capture that follows it. ``challenge`` (403 Cloudflare interstitial),
    ``captcha`` (200 slider captcha) and ``empty`` (200, no listings) are anti-bot walls
    (``demomarket.walls``).
    """

    kind: FaultKind
    times: int | None = None
    after: int = 0
    delay: float = 1.0  # seconds, for "slow"
    retry_after: int = 1  # seconds, sent with "429" and "503"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {', '.join(KINDS)}")
        if self.after < 0:
            raise ValueError("Fault.after must be >= 0")
        if self.times is not None and self.times < 0:
            raise ValueError("Fault.times must be >= 0, or None for every hit")

    @classmethod
    def from_query(cls, query: Mapping[str, list[str]]) -> Fault | None:
        """The fault ``?fault=KIND[&times=K][&after=N][&delay=S][&retry_after=S]`` asks for."""
        kind = query.get("fault", [None])[0]
        if kind is None:
            return None
        times = query.get("times", [None])[0]
        after = query.get("after", ["0"])[0]
        return cls(
            kind=kind,  # type: ignore[arg-type]  # checked in __post_init__
            times=int(times) if times is not None else None,
            after=int(after),
            delay=float(query.get("delay", ["1"])[0]),
            retry_after=int(query.get("retry_after", ["1"])[0]),
        )


class FaultPlan:
    """Which URLs misbehave and how; thread-safe hit counting per (pattern, URL)."""

    def __init__(self, rules: Mapping[str, Fault | Iterable[Fault]] | None = None) -> None:
        self._rules: list[tuple[str, Fault]] = []
        self._hits: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        for pattern, faults in (rules or {}).items():
            for fault in [faults] if isinstance(faults, Fault) else faults:
                self.add(pattern, fault)

    def add(self, pattern: str, fault: Fault) -> FaultPlan:
        """Add a rule; returns the plan so calls chain."""
        with self._lock:
            self._rules.append((pattern, fault))
        return self

    def decide(self, target: str, query: Mapping[str, list[str]]) -> list[Fault]:
        """Count this hit of ``target`` (path?query) and return the faults that apply to it."""
        candidates = [(p, f) for p, f in self._rules if fnmatchcase(target, p)]
        asked = Fault.from_query(query)
        if asked is not None:
            candidates.append(("?fault", asked))
        active = []
        with self._lock:
            for pattern, fault in candidates:
                key = (pattern, target)
                self._hits[key] += 1
                hit = self._hits[key] - fault.after
                if hit > 0 and (fault.times is None or hit <= fault.times):
                    active.append(fault)
        return active

    def clear(self) -> None:
        """Drop every rule: the shop behaves from now on (a listing that comes back)."""
        with self._lock:
            self._rules.clear()
            self._hits.clear()

    def reset(self) -> None:
        """Forget hit counts so every fault fires again from the start."""
        with self._lock:
            self._hits.clear()


_CLOSING = re.compile(rb"</(div|li|ul|p|span|a)>")
_JSONLD = re.compile(rb'(<script type="application/ld\+json">)(.*?)(</script>)', re.S)


def malform(body: bytes) -> bytes:
    """Break a page the way real ones break: unclosed tags, stray bytes, cut-off JSON-LD."""
    broken = _CLOSING.sub(b"", body)
    broken = _JSONLD.sub(lambda m: m[1] + m[2][: len(m[2]) // 2] + b",,}" + m[3], broken)
    middle = len(broken) // 2
    return broken[:middle] + b'\xff\xfe\x00\x81<<div class="' + broken[middle:]

"""Every Redis key of one distributed run, in one place: ``ipwatch:{run_id}:...``.

A key per run (as scrapy-redis' maintainers advise) so the next night's run starts with an
empty frontier and dupefilter and crawls everything again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redis import Redis

RUN_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
HOST_PREFIX = "ipwatch:host:"  # per-host politeness slots: shared by every run on purpose


@dataclass(frozen=True)
class RunKeys:
    """The names of one run's keys; the run id is checked once, here."""

    run_id: str

    def __post_init__(self) -> None:
        if not RUN_ID_RE.fullmatch(self.run_id):
            raise ValueError(
                f"run id {self.run_id!r} is not valid: letters, digits and _.:- only "
                "(use the id `ipwatch crawl --workers` printed)"
            )

    def _key(self, name: str) -> str:
        return f"ipwatch:{self.run_id}:{name}"

    @property
    def spec(self) -> str:
        return self._key("spec")  # JSON: what to crawl (written by the coordinator)

    @property
    def requests(self) -> str:
        return self._key("requests")  # scrapy-redis priority queue (sorted set)

    @property
    def dupefilter(self) -> str:
        return self._key("dupefilter")  # scrapy-redis request fingerprints (set)

    @property
    def workers(self) -> str:
        return self._key("workers")  # set of worker ids that joined

    def leases(self, worker: str) -> str:
        return self._key(f"leases:{worker}")  # hash lease id -> encoded request

    def alive(self, worker: str) -> str:
        return self._key(f"alive:{worker}")  # heartbeat, expires when the worker dies

    def idle(self, worker: str) -> str:
        return self._key(f"idle:{worker}")  # set while the worker has nothing in flight

    @property
    def done(self) -> str:
        return self._key("done")  # set once: frontier empty, no leases

    @property
    def counters(self) -> str:
        return self._key("counters")  # hash: the workers' crawl counters, summed

    @property
    def seal(self) -> str:
        return self._key("seal")  # stream of snapshots waiting for the sealer

    @property
    def sealed(self) -> str:
        return self._key("sealed")  # set of listing ids sealed in this run

    @property
    def seen(self) -> str:
        return self._key("seen")  # hash listing id -> what its upsert did (states.py)

    @property
    def gone(self) -> str:
        return self._key("gone")  # hash listing id -> why its page says it is gone

    @property
    def detect(self) -> str:
        return self._key("detect")  # stream of listings waiting for a detection worker

    def detected(self, submitter: str) -> str:
        return self._key(f"detected:{submitter}")  # stream of one submitter's results

    def all_keys(self, server: Redis) -> list[str]:
        """Every key of this run (for clean-up after a finished run)."""
        return [key.decode() for key in server.scan_iter(match=self._key("*"), count=500)]


def connect(url: str) -> Redis:
    """A client for ``url``; a server that does not answer is a clear error, not a hang."""
    return Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)

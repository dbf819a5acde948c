"""The one sealer of a distributed run: commits the workers' manifests to the log, in order.

Workers store each flagged listing's artifacts and manifest and add its snapshot to the run's
seal stream; this reads the stream in a consumer group, appends each manifest with the
workspace's ``Sealer`` (the same commit an in-process crawl makes), indexes the snapshot,
then acknowledges it. A sealer killed mid-way is restarted and re-reads what it had not
acknowledged; a listing is sealed at most once per run and a logged snapshot never twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import ResponseError

from crawler.distributed.keys import RunKeys
from crawler.distributed.sealing import snapshot_from_json, with_log_index
from evidence.exceptions import EvidenceError
from ipwatch.services.workers import read_spec, server_for, worker_id

if TYPE_CHECKING:
    from redis import Redis

    from ipwatch.services.workspace import Workspace

logger = logging.getLogger(__name__)

GROUP = "sealer"
Entry = tuple[bytes, dict[bytes, bytes]]  # a stream entry: id, fields


@dataclass
class SealerResult:
    sealed: int = 0
    duplicates: int = 0
    rejected: int = 0


def run_sealer(
    workspace: Workspace, url: str, run_id: str, *, block_ms: int = 1000
) -> SealerResult:
    """Seal until the run is done and its stream drained."""
    server = server_for(url)
    read_spec(server, run_id)  # a clear error for a run that does not exist
    keys = RunKeys(run_id)
    try:
        server.xgroup_create(keys.seal, GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
    consumer = worker_id()
    result = SealerResult()
    # What a killed sealer had read but not acknowledged comes first, in stream order.
    while True:
        answer: list[Any] = server.xautoclaim(keys.seal, GROUP, consumer, 0, "0-0", count=100)
        claimed: list[Entry] = answer[1]
        if not claimed:
            break
        for entry_id, fields in claimed:
            _seal_one(workspace, server, keys, entry_id, fields, result)
    while True:
        done = _run_over(server, keys)  # read before the stream: nothing comes after it
        batches: list[Any] | None = server.xreadgroup(  # type: ignore[assignment]
            GROUP, consumer, {keys.seal: ">"}, count=50, block=block_ms
        )
        entries: list[Entry] = [entry for _, stream in batches or [] for entry in stream]
        for entry_id, fields in entries:
            _seal_one(workspace, server, keys, entry_id, fields, result)
        if done and not entries:
            return result


def _run_over(server: Redis, keys: RunKeys) -> bool:
    """The run is done and every worker has stopped (a worker adds to the stream until then)."""
    if not server.exists(keys.done):
        return False
    workers: set[bytes] = server.smembers(keys.workers)  # type: ignore[assignment]
    return not any(server.exists(keys.alive(w.decode())) for w in workers)


def _seal_one(
    workspace: Workspace,
    server: Redis,
    keys: RunKeys,
    entry_id: bytes,
    fields: dict[bytes, bytes],
    result: SealerResult,
) -> None:
    """Commit, index, remember the listing, acknowledge: in that order, so a crash at any step
    redoes only what is missing."""
    try:
        snapshot = snapshot_from_json(fields[b"snapshot"])
        if server.sismember(keys.sealed, snapshot.listing_id):
            result.duplicates += 1  # a re-queued request crawled it again: sealed already
        else:
            sealer = workspace.sealer
            logged = sealer.seals.get(snapshot.id)  # a sealer killed after its append
            if logged is None:
                manifest = workspace.blobs.get(snapshot.manifest_sha256)
                logged_index = sealer.commit(snapshot.id, manifest, snapshot.manifest_sha256)
                index = logged_index.log_index
            else:
                index = logged.log_index
            workspace.index.add_snapshot(with_log_index(snapshot, index))
            server.sadd(keys.sealed, snapshot.listing_id)
            result.sealed += 1
    except (KeyError, ValueError, TypeError, EvidenceError) as exc:
        # A malformed entry cannot be sealed by retrying; say which, keep the rest moving.
        result.rejected += 1
        logger.error("seal stream entry %s of run %s rejected: %s", entry_id, keys.run_id, exc)
    server.xack(keys.seal, GROUP, entry_id)

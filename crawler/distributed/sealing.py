"""Workers capture and build sealed manifests; the one sealer commits them, in order.

A worker's pipelines run unchanged with this context: ``seal`` stores every artifact and the
manifest (content-addressed, in the shared data folder) and commits through ``HandOff``,
which defers the commit; the snapshot record the index pipeline then adds goes to the run's
seal stream instead of the index. ``ipwatch sealer`` reads the stream, appends each manifest
to the transparency log and indexes the snapshot (``ipwatch.services.sealer``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from model import SnapshotRef

if TYPE_CHECKING:
    from pathlib import Path

    from redis import Redis

    from crawler.context import CrawlContext
    from crawler.distributed.keys import RunKeys
    from detector.engine import Detector
    from detector.settings import DetectionSettings
    from evidence.log.translog import TransparencyLog
    from evidence.seal.ledger import Ledger
    from evidence.seal.signing import Signer
    from evidence.storage.blobstore import BlobStore
    from model import Asset

PENDING_INDEX = -1  # a snapshot's log index until the sealer has appended it


@dataclass(frozen=True)
class Deferred:
    """A commit that has not happened yet: the sealer sets the real log index."""

    log_index: int = PENDING_INDEX


@dataclass(frozen=True)
class HandOff:
    """Commits nothing: the sealer does (it signs the same manifest with the same key)."""

    signer: Signer

    def commit(self, snapshot_id: str, manifest_bytes: bytes, manifest_sha256: str) -> Deferred:
        return Deferred()


def snapshot_to_json(snapshot: SnapshotRef) -> str:
    data = asdict(snapshot)
    data["captured_at"] = snapshot.captured_at.isoformat()
    return json.dumps(data, sort_keys=True)


def snapshot_from_json(text: str | bytes) -> SnapshotRef:
    data = json.loads(text)
    data["captured_at"] = datetime.fromisoformat(data["captured_at"])
    return SnapshotRef(**data)


class SealQueueIndex:
    """The workspace's index, except that snapshots go to the seal stream (the sealer adds them)."""

    def __init__(self, index: Any, server: Redis, keys: RunKeys) -> None:
        self._index = index
        self._server = server
        self._keys = keys

    def add_snapshot(self, snapshot: SnapshotRef) -> None:
        self._server.xadd(
            self._keys.seal,
            {"listing_id": snapshot.listing_id, "snapshot": snapshot_to_json(snapshot)},
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


class WorkerContext:
    """A ``CrawlContext`` for a crawl worker: the workspace's, with sealing handed off."""

    def __init__(self, workspace: CrawlContext, server: Redis, keys: RunKeys) -> None:
        self._workspace = workspace
        self.index = SealQueueIndex(workspace.index, server, keys)
        self.sealer = HandOff(workspace.sealer.signer)

    def __deepcopy__(self, memo: dict[int, object]) -> WorkerContext:
        return self  # Scrapy copies its settings; the context (and its connections) is shared

    @property
    def home(self) -> Path:
        return self._workspace.home

    @property
    def blobs(self) -> BlobStore:
        return self._workspace.blobs

    @property
    def ledger(self) -> Ledger:
        return self._workspace.ledger

    @property
    def translog(self) -> TransparencyLog:
        return self._workspace.translog

    @property
    def signing_key_path(self) -> Path:
        return self._workspace.signing_key_path

    @property
    def assets(self) -> dict[str, Asset]:
        return self._workspace.assets

    @property
    def detector(self) -> Detector:
        return self._workspace.detector

    @property
    def detection_settings(self) -> DetectionSettings:
        return self._workspace.detection_settings


def with_log_index(snapshot: SnapshotRef, log_index: int) -> SnapshotRef:
    return replace(snapshot, ledger_seq=log_index)

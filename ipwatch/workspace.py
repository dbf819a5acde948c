"""Opens a user's data folder: registry, evidence index, blob store, ledger, detector."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from config.settings import AppConfig, load_app_config, resolve_home

if TYPE_CHECKING:
    from detector.engine import Detector
    from detector.model import Asset
    from detector.settings import DetectionSettings
    from evidence.blobstore import BlobStore
    from evidence.index.protocol import EvidenceIndex
    from evidence.ledger import Ledger
    from registry.store import Registry


class Workspace:
    """Lazily opened services over ``home``; every command and the crawl pipelines share one."""

    def __init__(self, home: Path, config: AppConfig | None = None):
        self.home = home
        self.config = config if config is not None else load_app_config(home)

    @classmethod
    def open(cls, home: str | Path | None = None) -> Workspace:
        path = resolve_home(home)
        path.mkdir(parents=True, exist_ok=True)
        return cls(path)

    @property
    def registry_url(self) -> str:
        return (
            os.environ.get("IPWATCH_REGISTRY")
            or self.config.registry
            or f"sqlite:///{self.home / 'registry.db'}"
        )

    @property
    def index_url(self) -> str:
        return (
            os.environ.get("IPWATCH_INDEX")
            or self.config.index
            or f"sqlite:///{self.home / 'index.db'}"
        )

    @cached_property
    def registry(self) -> Registry:
        from registry.store import Registry

        return Registry(self.registry_url)

    @cached_property
    def index(self) -> EvidenceIndex:
        from evidence.index import open_index

        return open_index(self.index_url, base_dir=self.home)

    @cached_property
    def blobs(self) -> BlobStore:
        from evidence.blobstore import BlobStore

        return BlobStore(self.home / "blobs")

    @cached_property
    def ledger(self) -> Ledger:
        from evidence.ledger import Ledger

        return Ledger(self.home / "ledger.jsonl")

    @cached_property
    def detection_settings(self) -> DetectionSettings:
        from detector.settings import DetectionSettings

        return DetectionSettings.from_mapping(self.config.detection)

    @cached_property
    def assets(self) -> dict[str, Asset]:
        """The registry's assets as the detector sees them, images decoded once, by id."""
        return {asset.id: asset for asset in self.registry.detector_assets()}

    @cached_property
    def detector(self) -> Detector:
        """Built once per process from the registry's current assets."""
        from detector.engine import Detector

        return Detector(list(self.assets.values()), self.detection_settings)

    def close(self) -> None:
        if "index" in self.__dict__:
            self.index.close()

    def __deepcopy__(self, memo: dict[int, object]) -> Workspace:
        """Scrapy deep-copies its settings; the open services must stay shared, not copied."""
        return self

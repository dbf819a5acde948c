"""Opens a user's data folder: registry, evidence index, blobs, log, signing key, detector."""

from __future__ import annotations

import logging
import os
import stat
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from config.settings import AppConfig, load_app_config, resolve_home

if TYPE_CHECKING:
    from detector.engine import Detector
    from detector.settings import DetectionSettings
    from evidence.export.wacz_auth import WaczSigner
    from evidence.log.translog import TransparencyLog
    from evidence.seal.custody import CustodyLog
    from evidence.seal.decisions import DecisionLog
    from evidence.seal.ledger import Ledger
    from evidence.seal.sealing import Sealer
    from evidence.seal.seals import SealStore
    from evidence.seal.signing import Signer
    from evidence.storage.blobstore import BlobStore
    from model import Asset
    from registry.identity import Directory
    from registry.store import Registry
    from store.protocol import Store

logger = logging.getLogger(__name__)

SIGNING_KEY = Path("keys") / "ed25519.pem"
# ECDSA P-384 key for the WACZ Auth signature spec tools check (evidence/export/wacz_auth.py)
WACZ_SIGNING_KEY = Path("keys") / "wacz-ecdsa-p384.pem"


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
    def read_only(self) -> bool:
        """Is the data folder on read-only or write-once media? Then reads, lists, verify and
        bundles (written elsewhere) work without writing a byte to it.

        A folder with no write permission for anyone counts too, even for root, who could
        write it anyway: the owner marked it as kept evidence.
        """
        try:
            info = os.stat(self.home)
            flags = os.statvfs(self.home).f_flag
        except OSError:
            return False
        no_one_writes = not stat.S_IMODE(info.st_mode) & 0o222
        return bool(flags & os.ST_RDONLY) or no_one_writes or not os.access(self.home, os.W_OK)

    @cached_property
    def directory(self) -> Directory:
        """Users, roles, sessions and API tokens, kept in the registry database."""
        from registry.identity import Directory

        return Directory(self.registry)

    @cached_property
    def index(self) -> Store:
        from store import open_store

        return open_store(self.index_url, base_dir=self.home, read_only=self.read_only)

    @cached_property
    def blobs(self) -> BlobStore:
        from evidence.storage.blobstore import BlobStore

        return BlobStore(self.home / "blobs")

    @cached_property
    def ledger(self) -> Ledger:
        """The hash-chained ledger of version-1 snapshots (read-only since version 2)."""
        from evidence.seal.ledger import Ledger

        return Ledger(self.home / "ledger.jsonl")

    @cached_property
    def translog(self) -> TransparencyLog:
        from evidence.log.translog import TransparencyLog

        return TransparencyLog(self.home / "log")

    @cached_property
    def seals(self) -> SealStore:
        from evidence.seal.seals import SealStore

        return SealStore(self.home / "seals")

    @cached_property
    def custody(self) -> CustodyLog:
        from evidence.seal.custody import CustodyLog

        return CustodyLog(self.home / "custody.jsonl")

    @cached_property
    def decisions(self) -> DecisionLog:
        """Every review decision, signed when made: what a finding's status is checked against."""
        from evidence.seal.decisions import DecisionLog

        return DecisionLog(self.home / "decisions.jsonl")

    @property
    def signing_key_path(self) -> Path:
        return self.home / SIGNING_KEY

    @cached_property
    def signer(self) -> Signer:
        """The workspace key; made on first use (the first seal) and said so in the log."""
        from evidence.seal.signing import KeyExistsError, generate_key, load_signer

        path = self.signing_key_path
        if not path.exists():
            try:
                signer = generate_key(path)
            except KeyExistsError:
                return load_signer(path)  # another process made it first: use that one
            logger.warning(
                "created the evidence signing key %s (key id %s); publish its public half with "
                "`ipwatch keys export` so others can verify your evidence",
                path,
                signer.key_id,
            )
            return signer
        return load_signer(path)

    @cached_property
    def wacz_signer(self) -> WaczSigner:
        """The ECDSA key that signs exported WACZs to the WACZ Auth spec; made on first export."""
        from evidence.export.wacz_auth import wacz_key

        return wacz_key(self.home / WACZ_SIGNING_KEY)

    def public_key_pem(self) -> bytes | None:
        """The workspace's public key, or None when no key was ever made (nothing to sign)."""
        return self.signer.public_key_pem() if self.signing_key_path.exists() else None

    @cached_property
    def sealer(self) -> Sealer:
        from evidence.seal.sealing import Sealer, Timestamper

        settings = self.config.timestamp
        return Sealer(
            log=self.translog,
            signer=self.signer,
            seals=self.seals,
            timestamper=Timestamper(settings) if settings is not None else None,
        )

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

        return Detector(
            list(self.assets.values()), self.detection_settings, image_cache=self.image_cache
        )

    @property
    def image_cache(self) -> Path:
        """Per-photo signals (descriptor, SIFT, OCR, hashes) by photo SHA-256; registry-free."""
        return self.home / "cache" / "images.sqlite"

    def registry_changed(self) -> None:
        """Drop the assets and detector built from the registry; the next use rebuilds them."""
        for name in ("assets", "detector"):
            self.__dict__.pop(name, None)

    def close(self) -> None:
        if "index" in self.__dict__:
            self.index.close()

    def __deepcopy__(self, memo: dict[int, object]) -> Workspace:
        """Scrapy deep-copies its settings; the open services must stay shared, not copied."""
        return self


def open_workspace(home: str | Path | None = None) -> Workspace:
    """The factory a plain ``scrapy crawl`` loads by name (``IPWATCH_WORKSPACE_FACTORY``)."""
    return Workspace.open(home)

"""What a crawl needs from the application, as a port: the crawler never imports ``ipwatch``.

The application core builds one object that has these attributes (its workspace) and passes it
in the ``IPWATCH_WORKSPACE`` setting. A plain ``scrapy crawl`` has no such object, so it is
made by the factory named in ``IPWATCH_WORKSPACE_FACTORY`` (a dotted path, loaded the way
Scrapy loads pipelines), called with ``IPWATCH_HOME``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.crawler import Crawler

    from detector.engine import Detector
    from detector.settings import DetectionSettings
    from evidence.log.translog import TransparencyLog
    from evidence.seal.ledger import Ledger
    from evidence.seal.sealing import Sealer
    from evidence.storage.blobstore import BlobStore
    from model import Asset
    from store.protocol import Store

_ATTRIBUTE = "_ipwatch_workspace"


class CrawlContext(Protocol):
    """The stores, sealer and detector one crawl's pipelines and extensions share."""

    @property
    def home(self) -> Path: ...
    @property
    def index(self) -> Store: ...
    @property
    def blobs(self) -> BlobStore: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def translog(self) -> TransparencyLog: ...
    @property
    def sealer(self) -> Sealer: ...
    @property
    def signing_key_path(self) -> Path: ...
    @property
    def assets(self) -> dict[str, Asset]: ...
    @property
    def detector(self) -> Detector: ...
    @property
    def detection_settings(self) -> DetectionSettings: ...


def workspace_for(crawler: Crawler) -> CrawlContext:
    """The context the caller passed in IPWATCH_WORKSPACE, else one made by the factory."""
    workspace: Any = getattr(crawler, _ATTRIBUTE, None)
    if workspace is None:
        workspace = crawler.settings.get("IPWATCH_WORKSPACE")
        if workspace is None:
            factory = load_object(crawler.settings.get("IPWATCH_WORKSPACE_FACTORY"))
            workspace = factory(crawler.settings.get("IPWATCH_HOME"))
        setattr(crawler, _ATTRIBUTE, workspace)
    return workspace  # type: ignore[no-any-return]

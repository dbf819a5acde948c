"""A small, hostile review desk: two rights holders, listings whose text is an attack, users of
every role, and a real uvicorn server on 127.0.0.1 serving it."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn

from config.settings import AppConfig
from evidence.seal.snapshot import seal
from evidence.storage.blobstore import BlobStore
from ipwatch.services.workspace import Workspace
from ipwatch.web.app import create_app
from model import FindingRecord, ListingRecord, Seller
from registry.models import Owner
from tests.evidence.evidence_samples import (
    sample_capture,
    sample_citations,
    sample_images,
    sample_listing,
)

ACME, GLOBEX = "Acme", "Globex"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>=HYPERLINK("http://x")'
PASSWORD = "correct horse battery staple"


@dataclass
class DeskData:
    home: Path
    workspace: Workspace
    acme_findings: list[str]
    globex_finding: str
    acme_snapshot: str
    globex_snapshot: str
    tokens: dict[str, str]


def _finding(
    fid: str,
    listing: str,
    asset: str,
    owner: str,
    risk: float,
    title: str,
    seller: Seller,
    kind: str = "word_mark",
) -> FindingRecord:
    return FindingRecord(
        id=fid,
        listing_id=listing,
        asset_id=asset,
        owner=owner,
        marketplace="demo",
        risk=risk,
        flagged=True,
        signals=[
            {
                "kind": kind,
                "score": risk,
                "detail": f"{title} matches {asset}",
                "evidence": {"field": "title", "start": 0, "end": 5, "text": title[:5]},
            }
        ],
        created=NOW,
        updated=NOW,
        seller=seller,
        title=title,
        url=f"http://shop.example/{listing}",
    )


def _listing(listing: str, title: str, seller: Seller) -> ListingRecord:
    return ListingRecord(
        id=listing,
        marketplace="demo",
        url=f"http://shop.example/{listing}",
        title=title,
        content_hash="h-" + listing,
        first_seen=NOW - timedelta(days=1),
        last_seen=NOW,
        price="9.99",
        currency="USD",
        seller=seller,
    )


def _seal(workspace: Workspace, listing: str, finding_ids: list[str]) -> str:
    sealed = seal(
        sample_capture(),
        sample_listing(),
        sample_images(),
        sample_citations(),
        store=BlobStore(workspace.home / "blobs"),
        sealer=workspace.sealer,
    )
    workspace.index.add_snapshot(sealed.to_record(listing, finding_ids))
    return sealed.id


def build(home: Path, index_url: str | None = None) -> DeskData:
    """The desk's data in ``home``; the index on SQLite, or at ``index_url`` (OpenSearch)."""
    home.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(home, AppConfig(index=index_url))
    with workspace.registry.session() as session:
        session.add_all([Owner(name=ACME), Owner(name=GLOBEX)])
    hostile = Seller(id="s-1", name=XSS, marketplace="demo")
    plain = Seller(id="s-2", name="Globex Outlet", marketplace="demo")
    index = workspace.index
    index.upsert_listing(_listing("L-1", XSS + " ACMEX shoes", hostile))
    index.upsert_listing(_listing("L-2", "Acmee runner", hostile))
    index.upsert_listing(_listing("L-3", "Globexx bag", plain))
    acme = [
        _finding("F-a1", "L-1", "acme-word", ACME, 0.91, XSS + " ACMEX shoes", hostile),
        _finding("F-a2", "L-1", "acme-logo", ACME, 0.62, XSS + " ACMEX shoes", hostile, "logo"),
        _finding("F-a3", "L-2", "acme-word", ACME, 0.80, "Acmee runner", hostile),
    ]
    globex = _finding("F-g1", "L-3", "globex-word", GLOBEX, 0.95, "Globexx bag", plain)
    for record in [*acme, globex]:
        index.upsert_finding(record)
    acme_snapshot = _seal(workspace, "L-1", ["F-a1", "F-a2"])
    globex_snapshot = _seal(workspace, "L-3", ["F-g1"])
    directory = workspace.directory
    directory.add_user("root", "admin", None, PASSWORD)
    directory.add_user("alice", "reviewer", [ACME], PASSWORD)
    directory.add_user("ada", "admin", [ACME], PASSWORD)  # Acme's own administrator
    directory.add_user("amy", "reviewer", [ACME], PASSWORD)
    directory.add_user("vic", "viewer", [ACME], PASSWORD)
    directory.add_user("gary", "reviewer", [GLOBEX], PASSWORD)
    tokens = {
        name: directory.issue_token(name, "tests")[0] for name in ("root", "alice", "vic", "gary")
    }
    return DeskData(
        home, workspace, [f.id for f in acme], globex.id, acme_snapshot, globex_snapshot, tokens
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DeskServer:
    """uvicorn on 127.0.0.1 in a thread, serving the desk over ``workspace``."""

    def __init__(self, workspace: Workspace) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            create_app(workspace, secure_cookies=False),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> DeskServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the desk did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


GLOBEX_ASSET = "globex/word_mark/globexx"


def globex_asset(workspace: Workspace) -> str:
    """A registered Globex asset (its id has slashes, as derived ids do), made once."""
    from ipwatch.services.asset_import import import_document
    from ipwatch.services.identity import Principal

    if workspace.registry.get_asset(GLOBEX_ASSET) is None:
        document = {
            "owners": [{"name": GLOBEX, "assets": [{"kind": "word_mark", "name": "GLOBEXX"}]}]
        }
        import_document(workspace, Principal.operator("tests"), document, [])
    return GLOBEX_ASSET

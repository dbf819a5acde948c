"""The application's records (listings, sellers, findings, reviews, snapshots, runs) behind one
Protocol, ``store.protocol.Store``; ``open_store`` picks the backend from the URL's scheme.

Imports only ``model`` and ``config``: never evidence, detection or crawling.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.exceptions import IndexConfigError
from store.sqlite import SqliteStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from store.protocol import Store

__all__ = ["STORE_SCHEMES", "SqliteStore", "open_store"]


def _open_sqlite(url: str, base_dir: Path | None, read_only: bool = False) -> Store:
    """SQLAlchemy's spelling: ``sqlite:///rel.db`` is relative, ``sqlite:////abs.db`` absolute."""
    rest = url[len("sqlite://") :]
    if rest in ("", "/:memory:"):
        return SqliteStore(":memory:")
    if not rest.startswith("/"):
        raise IndexConfigError(
            f"{url!r} names a host; SQLite files are local: write sqlite:///relative.db "
            "or sqlite:////absolute/path.db"
        )
    path = Path(rest[1:])
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return SqliteStore(path, read_only=read_only)


def _open_elasticsearch(url: str, base_dir: Path | None, read_only: bool = False) -> Store:
    """The cluster backend; its spool of not-yet-indexed writes lives beside the workspace.

    ``read_only`` is for local files: the cluster decides itself what a client may write."""
    from store.elastic import ElasticStore

    return ElasticStore(url, spool_path=(base_dir or Path.cwd()) / "index-spool.db")


STORE_SCHEMES: dict[str, Callable[[str, Path | None, bool], Store]] = {
    "sqlite": _open_sqlite,
    "http": _open_elasticsearch,
    "https": _open_elasticsearch,
}


def open_store(url: str, base_dir: Path | str | None = None, *, read_only: bool = False) -> Store:
    """Open the backend the URL's scheme names; relative SQLite paths resolve under ``base_dir``.

    ``read_only``: an SQLite file is opened for reading only (never created, upgraded or written).
    """
    scheme, sep, _ = url.partition("://")
    opener = STORE_SCHEMES.get(scheme.lower()) if sep else None
    if opener is None:
        supported = ", ".join(f"{s}://" for s in STORE_SCHEMES)
        raise IndexConfigError(
            f"index URL {url!r} has no supported scheme; use one of {supported} "
            "(for example sqlite:///ipwatch.db)"
        )
    return opener(url, Path(base_dir) if base_dir is not None else None, read_only)

"""The evidence index: listings, findings, snapshots and crawl runs behind one Protocol."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evidence.exceptions import IndexConfigError
from evidence.index.sqlite import SqliteIndex

if TYPE_CHECKING:
    from collections.abc import Callable

    from evidence.index.protocol import EvidenceIndex

__all__ = ["STORE_SCHEMES", "SqliteIndex", "open_index"]


def _open_sqlite(url: str, base_dir: Path | None) -> EvidenceIndex:
    """SQLAlchemy's spelling: ``sqlite:///rel.db`` is relative, ``sqlite:////abs.db`` absolute."""
    rest = url[len("sqlite://") :]
    if rest in ("", "/:memory:"):
        return SqliteIndex(":memory:")
    if not rest.startswith("/"):
        raise IndexConfigError(
            f"{url!r} names a host; SQLite files are local: write sqlite:///relative.db "
            "or sqlite:////absolute/path.db"
        )
    path = Path(rest[1:])
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return SqliteIndex(path)


def _open_elasticsearch(url: str, base_dir: Path | None) -> EvidenceIndex:
    """The cluster backend; its spool of not-yet-indexed writes lives beside the workspace."""
    from evidence.index.elastic import ElasticIndex

    return ElasticIndex(url, spool_path=(base_dir or Path.cwd()) / "index-spool.db")


STORE_SCHEMES: dict[str, Callable[[str, Path | None], EvidenceIndex]] = {
    "sqlite": _open_sqlite,
    "http": _open_elasticsearch,
    "https": _open_elasticsearch,
}


def open_index(url: str, base_dir: Path | str | None = None) -> EvidenceIndex:
    """Open the backend the URL's scheme names; relative SQLite paths resolve under ``base_dir``."""
    scheme, sep, _ = url.partition("://")
    opener = STORE_SCHEMES.get(scheme.lower()) if sep else None
    if opener is None:
        supported = ", ".join(f"{s}://" for s in STORE_SCHEMES)
        raise IndexConfigError(
            f"index URL {url!r} has no supported scheme; use one of {supported} "
            "(for example sqlite:///ipwatch.db)"
        )
    return opener(url, Path(base_dir) if base_dir is not None else None)

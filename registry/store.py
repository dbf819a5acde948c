"""The registry's front door: one object per database URL (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, selectinload, undefer

from model import Asset as DetectorAsset
from model import AssetKind
from registry import identity_models, models
from registry.exceptions import RegistryError
from registry.export import export_registry
from registry.importer import ImportResult
from registry.importer import import_file as _import_file
from registry.schema import MARK_KINDS
from registry.to_detector import to_detector_assets
from registry.views import AssetView, asset_view

DEFAULT_URL = "sqlite:///ipwatch.db"
_TABLES = (models, identity_models)  # both modules define tables on models.Base


def _in_force(row: models.Asset, day: date | None) -> bool:
    if day is None:
        return True
    started = row.valid_from is None or row.valid_from <= day
    return started and (row.valid_until is None or day <= row.valid_until)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores ON DELETE CASCADE unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Registry:
    """Owners and their assets in SQL; every method runs in its own short transaction."""

    def __init__(self, url: str = DEFAULT_URL, *, create: bool = True) -> None:
        try:
            self.engine = create_engine(url)
        except ArgumentError as exc:
            raise RegistryError(
                f"bad registry URL {url!r} ({exc}); use sqlite:///path/to/file.db or "
                "postgresql+psycopg://user@host/db"
            ) from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _enable_sqlite_foreign_keys)
        if create:
            self.create_all()

    def create_all(self) -> None:
        """Create missing tables (existing ones are left alone)."""
        models.Base.metadata.create_all(self.engine)

    def close(self) -> None:
        """Release pooled connections (tests and short-lived CLI commands)."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session inside a transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def import_file(
        self,
        path: Path | str,
        *,
        confined: bool = False,
        allowed_owners: frozenset[str] | None = None,
    ) -> ImportResult:
        """Validate the whole file and its images, then write it all or nothing.

        ``confined``: images only from the file's own folder (uploads); ``allowed_owners``:
        refuse a file that names any other owner (a rights holder manages only its own)."""
        return _import_file(self, Path(path), confined, allowed_owners)

    def export(self, path: Path | str, owner: str | None = None) -> int:
        """Write the import format to ``path`` (``.json`` or YAML) with images in ``images/``."""
        with self.session() as session:
            return export_registry(session, Path(path), owner)

    def list_assets(
        self, owner: str | None = None, kind: AssetKind | str | None = None
    ) -> list[AssetView]:
        """Assets ordered by id, optionally of one owner and/or one kind."""
        query = select(models.Asset).join(models.Asset.owner).order_by(models.Asset.id)
        if owner is not None:
            query = query.where(models.Owner.name == owner)
        if kind is not None:
            query = query.where(models.Asset.kind == _kind(kind).value)
        with self.session() as session:
            rows = session.scalars(query.options(selectinload(models.Asset.images))).all()
            return [asset_view(row) for row in rows]

    def get_asset(self, asset_id: str) -> AssetView | None:
        with self.session() as session:
            row = session.get(models.Asset, asset_id)
            return None if row is None else asset_view(row)

    def reference_image(self, sha256: str) -> tuple[bytes, str, str] | None:
        """A stored reference image's (bytes, media type, label) by digest, for reports."""
        with self.session() as session:
            row = session.scalars(
                select(models.AssetImage)
                .where(models.AssetImage.sha256 == sha256)
                .options(undefer(models.AssetImage.data))
                .limit(1)
            ).first()
            return None if row is None else (row.data, row.media_type, row.label)

    def remove_asset(self, asset_id: str) -> bool:
        """Delete an asset and its images; False when there was none with that id."""
        with self.session() as session:
            row = session.get(models.Asset, asset_id)
            if row is None:
                return False
            session.delete(row)
            return True

    def remove_owner(self, name: str) -> bool:
        """Delete an owner with all its assets; False when there was none with that name."""
        with self.session() as session:
            row = session.scalar(select(models.Owner).where(models.Owner.name == name))
            if row is None:
                return False
            session.delete(row)
            return True

    def detector_assets(self, on: date | None = None) -> list[DetectorAsset]:
        """Assets as the detector needs them, images decoded to RGB; only those in force ``on``."""
        query = (
            select(models.Asset)
            .options(
                selectinload(models.Asset.owner),
                selectinload(models.Asset.images).undefer(models.AssetImage.data),
            )
            .order_by(models.Asset.id)
        )
        with self.session() as session:
            rows = [row for row in session.scalars(query).all() if _in_force(row, on)]
            return to_detector_assets(rows)

    def search_keywords(self, on: date | None = None) -> list[str]:
        """Distinct keywords of word and figurative marks, for the crawler's search URLs."""
        query = (
            select(models.Asset)
            .where(models.Asset.kind.in_([kind.value for kind in MARK_KINDS]))
            .order_by(models.Asset.id)
        )
        seen: set[str] = set()
        keywords: list[str] = []
        with self.session() as session:
            for row in session.scalars(query):
                if not _in_force(row, on):
                    continue
                for keyword in row.keywords or ():
                    if keyword.casefold() not in seen:
                        seen.add(keyword.casefold())
                        keywords.append(keyword)
        return keywords


def _kind(kind: AssetKind | str) -> AssetKind:
    try:
        return AssetKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in AssetKind)
        raise RegistryError(f"unknown asset kind {kind!r}; use one of {allowed}") from None

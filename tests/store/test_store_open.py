"""Backend selection by URL (``STORE_SCHEMES``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from model import ListingRecord
from store import open_store
from store.exceptions import IndexConfigError

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def listing() -> ListingRecord:
    return ListingRecord(
        id="L-1",
        marketplace="demo",
        url="http://127.0.0.1/L-1",
        title="Nikee Air",
        content_hash="h1",
        first_seen=T0,
        last_seen=T0,
    )


def test_open_index_sqlite_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rel = open_store("sqlite:///rel.db")
    rel.upsert_listing(listing())
    rel.close()
    assert (tmp_path / "rel.db").exists()
    absolute = tmp_path / "sub" / "abs.db"
    index = open_store(f"sqlite:///{absolute}")  # sqlite:////abs/path: four slashes
    index.close()
    assert absolute.exists()
    based = open_store("sqlite:///based.db", base_dir=tmp_path / "ws")
    based.close()
    assert (tmp_path / "ws" / "based.db").exists()
    memory = open_store("sqlite://")
    assert memory.get_listing("x") is None
    memory.close()


def test_open_index_errors():
    with pytest.raises(IndexConfigError, match="sqlite://, http://, https://"):
        open_store("mongodb://x")
    with pytest.raises(IndexConfigError, match="no supported scheme"):
        open_store("index.db")
    with pytest.raises(IndexConfigError, match="names a host"):
        open_store("sqlite://host/x.db")

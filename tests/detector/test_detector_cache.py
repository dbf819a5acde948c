"""The findings cache: an unchanged listing is not scored again, anything that changes its
findings misses, and a damaged or planted cache file is never trusted."""

from __future__ import annotations

import dataclasses
import logging
import pickle
import sqlite3
from typing import TYPE_CHECKING

import pytest

from detector.cache import FindingsCache, findings_json, registry_key
from detector.engine import Detector
from detector.settings import DetectionSettings
from detector.workers import InProcessDetection
from model import Seller

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from model import Asset, Listing

COPY = "N0VAFLEX runner, 1:1 replica"
THIEF = Seller(id="s-999", name="Cheap Shoes 4U")


def detection(path: Path, assets: list[Asset], settings: DetectionSettings) -> InProcessDetection:
    cache = FindingsCache(path, registry_key(assets, settings))
    return InProcessDetection(Detector(assets, settings), cache)


def score(path: Path, assets: list[Asset], listing: Listing, **settings: object) -> tuple[str, int]:
    """The listing's findings as JSON, and whether they came from the cache (1) or not (0)."""
    inline = detection(path, assets, DetectionSettings(**settings))  # type: ignore[arg-type]
    try:
        found = inline.submit(listing).result()
        assert inline.cache is not None
        return findings_json(found), inline.cache.hits
    finally:
        inline.close()


def test_unchanged_listing_is_answered_from_the_cache(
    tmp_path: Path, novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    path = tmp_path / "cache" / "detect.sqlite"
    listing = make_listing(COPY, seller=THIEF)
    first, hits = score(path, [novaflex], listing)
    assert hits == 0 and '"flagged": true' in first
    again, hits = score(path, [novaflex], listing)
    assert (again, hits) == (first, 1)
    # How many workers scored it changes no finding.
    _, hits = score(path, [novaflex], listing, workers=2)
    assert hits == 1


def test_changed_listing_misses(
    tmp_path: Path, novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    path = tmp_path / "detect.sqlite"
    score(path, [novaflex], make_listing(COPY, seller=THIEF))
    _, hits = score(path, [novaflex], make_listing(COPY + " now cheaper", seller=THIEF))
    assert hits == 0
    _, hits = score(path, [novaflex], make_listing(COPY, seller=None))
    assert hits == 0


def test_registry_or_scoring_settings_change_invalidates(
    tmp_path: Path, novaflex: Asset, lumora: Asset, make_listing: Callable[..., Listing]
) -> None:
    path = tmp_path / "detect.sqlite"
    listing = make_listing(COPY, seller=THIEF)
    score(path, [novaflex], listing)
    assert score(path, [novaflex, lumora], listing)[1] == 0  # an asset added
    assert score(path, [dataclasses.replace(novaflex, keywords=())], listing)[1] == 0
    assert score(path, [novaflex], listing, threshold=0.9)[1] == 0
    assert score(path, [novaflex], listing)[1] == 1  # the original entry is still there


def test_corrupt_cache_file_is_cleared_with_a_warning(
    tmp_path: Path,
    novaflex: Asset,
    make_listing: Callable[..., Listing],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "detect.sqlite"
    path.write_bytes(b"this is not an SQLite database" * 100)
    with caplog.at_level(logging.WARNING, logger="detector.cache"):
        found, hits = score(path, [novaflex], make_listing(COPY, seller=THIEF))
    assert hits == 0 and '"flagged": true' in found
    assert "unreadable" in caplog.text and "clearing it" in caplog.text
    assert (
        score(path, [novaflex], make_listing(COPY, seller=THIEF))[1] == 1
    )  # a working cache again


class _Planted:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_cache_poisoning_pickle_payload_is_never_unpickled(
    tmp_path: Path,
    novaflex: Asset,
    make_listing: Callable[..., Listing],
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "detect.sqlite"
    listing = make_listing(COPY, seller=THIEF)
    honest, _ = score(path, [novaflex], listing)
    marker = tmp_path / "pwned"
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE findings SET findings = ?", (pickle.dumps(_Planted(marker)),))
    db.close()
    with caplog.at_level(logging.WARNING, logger="detector.cache"):
        found, hits = score(path, [novaflex], listing)
    assert not marker.exists()
    assert (found, hits) == (honest, 0)  # scored afresh, the planted row dropped
    assert "dropped" in caplog.text


def test_entries_unused_past_the_age_limit_are_deleted(
    tmp_path: Path, novaflex: Asset, make_listing: Callable[..., Listing]
) -> None:
    path = tmp_path / "detect.sqlite"
    key = registry_key([novaflex], DetectionSettings())
    score(path, [novaflex], make_listing(COPY, seller=THIEF))
    FindingsCache(path, key, max_age_days=-1).close()  # everything is older than "tomorrow"
    assert score(path, [novaflex], make_listing(COPY, seller=THIEF))[1] == 0


def test_cache_that_cannot_be_opened_costs_a_rescore_not_the_listing(
    tmp_path: Path,
    novaflex: Asset,
    make_listing: Callable[..., Listing],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Full disk or an unusable folder: detection goes on without the cache, nothing deleted."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    path = blocker / "cache" / "detect.sqlite"
    with caplog.at_level(logging.WARNING, logger="detector.cache"):
        found, hits = score(path, [novaflex], make_listing(COPY, seller=THIEF))
        again, hits_again = score(path, [novaflex], make_listing(COPY, seller=THIEF))
    assert '"flagged": true' in found and again == found
    assert hits == hits_again == 0
    assert "unavailable" in caplog.text and "detecting without it" in caplog.text
    assert blocker.read_text() == "a file where the cache folder should be"

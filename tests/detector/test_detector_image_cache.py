"""The image-signal store: JSON and npz rows, bounded in size and age, shared by processes."""

from __future__ import annotations

import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TYPE_CHECKING

import numpy as np
import pytest

from detector.image_cache import CorruptSignalError, ImageSignalCache, decode_arrays, encode_arrays

if TYPE_CHECKING:
    from pathlib import Path


def test_rows_round_trip_json_and_arrays(tmp_path: Path) -> None:
    cache = ImageSignalCache(tmp_path / "images.sqlite")
    key = cache.key("regions", "1024,3000", "a" * 64)
    points = np.arange(10, dtype=np.float32).reshape(5, 2)
    cache.put(key, {"scale": 0.5}, {"points": points})
    meta, arrays = cache.get(key) or ({}, {})
    assert meta == {"scale": 0.5}
    assert np.array_equal(arrays["points"], points) and arrays["points"].dtype == np.float32
    assert cache.get(cache.key("regions", "640,1000", "a" * 64)) is None  # other params
    assert (
        cache.get(ImageSignalCache(tmp_path / "x.sqlite", code="new").key("regions", "", ""))
        is None
    )


def test_a_compressed_member_is_refused_before_it_is_inflated() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("vector.npy", b"\0" * 1_000_000)  # inflates far past its stored size
    with pytest.raises(CorruptSignalError, match="compressed"):
        decode_arrays(buffer.getvalue())
    assert decode_arrays(encode_arrays({"v": np.ones(3)}))["v"].tolist() == [1.0, 1.0, 1.0]


def test_least_recently_used_rows_are_evicted_past_the_size_bound(tmp_path: Path) -> None:
    cache = ImageSignalCache(tmp_path / "images.sqlite", max_megabytes=0.05)  # ~52 kB
    block = np.zeros(2500, np.float32)  # ~10 kB a row
    keys = [cache.key("descriptor", "", f"{n:064x}") for n in range(8)]
    for key in keys[:4]:
        cache.put(key, {}, {"vector": block})
        time.sleep(0.01)
    assert cache.get(keys[0]) is not None  # used again: now the most recent
    for key in keys[4:]:
        cache.put(key, {}, {"vector": block})
        time.sleep(0.01)
    cache.prune()
    assert cache.total_bytes() <= cache.max_bytes
    assert cache.get(keys[0]) is not None and cache.get(keys[-1]) is not None
    assert cache.get(keys[1]) is None  # the least recently used went first


def test_rows_unused_for_too_long_are_deleted_on_open(tmp_path: Path) -> None:
    path = tmp_path / "images.sqlite"
    cache = ImageSignalCache(path)
    key = cache.key("ocr", "", "b" * 64)
    cache.put(key, {"boxes": []}, {})
    cache.close()
    assert ImageSignalCache(path).get(key) is not None
    ImageSignalCache(path, max_age_days=-1).close()  # everything is older than "tomorrow"
    assert ImageSignalCache(path).get(key) is None


def test_a_file_that_is_not_a_database_is_cleared(tmp_path: Path) -> None:
    path = tmp_path / "images.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    cache = ImageSignalCache(path)
    key = cache.key("hashes", "", "c" * 64)
    cache.put(key, {"hashes": None}, {})
    assert cache.get(key) is not None


def _write_rows(args: tuple[str, int]) -> int:
    path, worker = args
    from pathlib import Path

    cache = ImageSignalCache(Path(path))
    for n in range(40):
        cache.put(
            cache.key("descriptor", "", f"{worker}-{n}"), {}, {"v": np.full(64, n, np.float32)}
        )
    cache.close()
    return worker


def test_worker_processes_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "images.sqlite"
    ImageSignalCache(path).close()
    with ProcessPoolExecutor(3, mp_context=get_context("spawn")) as pool:
        assert sorted(pool.map(_write_rows, [(str(path), w) for w in range(3)])) == [0, 1, 2]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM signals").fetchone()[0] == 120
    cache = ImageSignalCache(path)
    _meta, arrays = cache.get(cache.key("descriptor", "", "2-39")) or ({}, {})
    assert arrays["v"].tolist() == [39.0] * 64


def test_a_row_larger_than_the_budget_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "images.sqlite"
    cache = ImageSignalCache(path, max_megabytes=0.01)
    key = cache.key("ocr", "", "d" * 64)
    cache.put(key, {"boxes": []}, {})
    with sqlite3.connect(path) as db:  # an insider inflates it past what this cache writes
        db.execute("UPDATE signals SET meta = ? WHERE key = ?", ("[" + "0," * 10_000 + "0]", key))
    assert cache.get(key) is None

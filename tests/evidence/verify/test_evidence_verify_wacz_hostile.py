"""Hostile WACZs: cheap to make, they must stay cheap to verify and fail with a clear check.

Each package is built here from a good export (nothing binary is committed). Work is measured
with verify's own accounting (``DecompressionBudget``), never with the clock.
"""

from __future__ import annotations

import struct
import tempfile
import zipfile
from pathlib import Path

import pytest

from evidence.verify.wacz import verify_wacz
from evidence.verify.zipparts import DecompressionBudget
from tests.data.make_bundles import HERE, TOKENS, good_parts
from tests.evidence.export.test_evidence_wacz import SIGNER, make_wacz

ZEROS = 16 * 1024 * 1024  # the attack in the issue used 200 MB; the ratio is what matters
INDEX_LINES = 20


@pytest.fixture(scope="module")
def good_wacz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with tempfile.TemporaryDirectory() as work:
        parts = good_parts(Path(work), HERE / TOKENS)
    return make_wacz(parts, tmp_path_factory.mktemp("wacz") / "good.wacz")


def zip_bomb_wacz(good: Path, out: Path) -> tuple[Path, str]:
    """The snapshot's WARC swapped for deflated zeros, behind 20 copies of its index line."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w") as zout:
        warc = next(n for n in zin.namelist() if n.startswith("archive/"))
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == warc:
                zout.writestr(info.filename, bytes(ZEROS), zipfile.ZIP_DEFLATED)
            elif info.filename == "indexes/index.cdxj":
                first = data.splitlines(keepends=True)[0]
                zout.writestr(info, first * INDEX_LINES)
            else:
                zout.writestr(info, data)
    return out, warc


def test_zip_bomb_index_amplification_inflates_each_part_once(
    good_wacz: Path, tmp_path: Path
) -> None:
    wacz, warc = zip_bomb_wacz(good_wacz, tmp_path / "bomb.wacz")
    assert wacz.stat().st_size < ZEROS // 100  # cheap to make
    budget = DecompressionBudget()
    reports = verify_wacz(wacz, public_key=SIGNER.public_key_pem(), budget=budget)
    with zipfile.ZipFile(wacz) as zf:
        every_part_once = sum(info.file_size for info in zf.infolist())
    assert budget.reads[warc] == 1
    assert max(budget.reads.values()) == 1
    assert budget.used <= every_part_once
    package, snapshot = reports
    assert package.get("wacz.resources").status == "failed"
    assert package.get("wacz.index").status == "failed"
    assert snapshot.failed and not snapshot.ok


def test_zip_bomb_over_the_package_limit_is_refused_as_a_failed_check(
    good_wacz: Path, tmp_path: Path
) -> None:
    wacz, _ = zip_bomb_wacz(good_wacz, tmp_path / "bomb.wacz")
    budget = DecompressionBudget(limit=4 * 1024 * 1024)
    reports = verify_wacz(wacz, public_key=SIGNER.public_key_pem(), budget=budget)
    assert budget.used <= budget.limit + 1
    assert reports[0].get("wacz.budget").status == "failed"
    assert any("inflates more than" in c.detail for r in reports for c in r.failed)


def deflated_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [i.filename for i in zf.infolist() if i.compress_type == zipfile.ZIP_DEFLATED]


def corrupt_deflate(src: Path, dst: Path, name: str) -> Path:
    """Set the first byte of ``name``'s deflate stream to a reserved block type (0b11)."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(name)
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    data[info.header_offset + 30 + name_len + extra_len] = 0xFF
    dst.write_bytes(bytes(data))
    return dst


def test_corrupt_deflate_byte_is_a_failed_check_not_a_zlib_traceback(
    good_wacz: Path, tmp_path: Path
) -> None:
    names = deflated_members(good_wacz)
    assert any(n.endswith("manifest.json") for n in names)
    for number, name in enumerate(names):
        wacz = corrupt_deflate(good_wacz, tmp_path / f"corrupt-{number}.wacz", name)
        reports = verify_wacz(wacz, public_key=SIGNER.public_key_pem())
        details = " ".join(c.detail for r in reports for c in r.failed)
        assert f"{name} in {wacz} is corrupt" in details, name

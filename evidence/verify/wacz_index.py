"""The WACZ's CDXJ index check: every line leads to a record of its URL at its offset.

Lines are grouped by WARC so each WARC is inflated once, however many lines point into it, and
each line parses at most ``VERIFY_RECORD_PROBE_BYTES`` of it: enough for a record's headers.
"""

from __future__ import annotations

import json
import zlib
from io import BytesIO
from typing import TYPE_CHECKING

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from config.limits import VERIFY_RECORD_PROBE_BYTES
from evidence.export.bundle import BundleError
from evidence.export.wacz import ARCHIVE_DIR, INDEX
from evidence.verify.artifacts import Check

if TYPE_CHECKING:
    from collections.abc import Iterable

    from evidence.verify.artifacts import VerificationReport
    from evidence.verify.zipparts import ZipParts

MAX_INDEX_LINES = 100_000


class IndexCheck:
    """Parse the index once; ``check_files`` judges the lines into some WARCs, ``finish`` the
    rest and adds the ``wacz.index`` check."""

    def __init__(self, archive: ZipParts) -> None:
        self.archive = archive
        self.problems: list[str] = []
        self.by_file: dict[str, list[tuple[str, dict[str, object]]]] = {}
        self.count = 0
        try:
            raw = archive.read(INDEX) or b""
        except BundleError as exc:
            self.problems.append(str(exc))
            return
        lines = raw.decode("utf-8", errors="replace").splitlines()
        self.count = len(lines)
        if len(lines) > MAX_INDEX_LINES:
            self.problems.append(f"{INDEX} has {len(lines)} lines, over {MAX_INDEX_LINES}")
            return
        for line in lines:
            try:
                entry = json.loads(line.split(" ", 2)[2])
                name = f"{ARCHIVE_DIR}/{entry['filename']}"
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                self.problems.append(f"index line unusable ({type(exc).__name__}): {line[:80]}")
                continue
            self.by_file.setdefault(name, []).append((line, entry))

    def check_files(self, names: Iterable[str]) -> None:
        """Judge the lines that point into ``names`` (each WARC read once, here or before)."""
        for name in names:
            entries = self.by_file.pop(name, [])
            if not entries:
                continue
            try:
                data = self.archive.read(name)
            except BundleError as exc:
                self.problems.append(f"{name}: {exc}")
                continue
            if data is None:
                self.problems.append(f"{name.removeprefix(ARCHIVE_DIR + '/')} is missing")
                continue
            for line, entry in entries:
                problem = _record_problem(data, line, entry)
                if problem:
                    self.problems.append(problem)

    def finish(self, report: VerificationReport) -> None:
        self.check_files(list(self.by_file))
        if self.problems:
            more = f" (+{len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
            detail = "; ".join(self.problems[:5]) + more
            report.checks.append(Check("wacz.index", "failed", detail))
        elif not self.count:
            report.checks.append(Check("wacz.index", "failed", f"{INDEX} is empty"))
        else:
            detail = f"{self.count} CDXJ line(s) each lead to their record"
            report.checks.append(Check("wacz.index", "passed", detail))


def _record_problem(data: bytes, line: str, entry: dict[str, object]) -> str | None:
    try:
        offset, length = int(str(entry["offset"])), int(str(entry["length"]))
        if offset < 0 or length <= 0 or offset + length > len(data):
            return f"{entry['filename']}@{offset}+{length} is outside the WARC: {line[:80]}"
        probe = data[offset : offset + min(length, VERIFY_RECORD_PROBE_BYTES)]
        record = next(iter(ArchiveIterator(BytesIO(probe))))
        uri = record.rec_headers.get_header("WARC-Target-URI")
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        return f"index line unusable ({type(exc).__name__}): {line[:80]}"
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error) as exc:
        return f"no WARC record at that offset ({exc}): {line[:80]}"
    if uri != entry["url"]:
        return f"{entry['filename']}@{offset} is {uri}, not {entry['url']}"
    return None

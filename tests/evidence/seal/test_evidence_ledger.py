from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from evidence.exceptions import LedgerError
from evidence.seal.ledger import GENESIS_HASH, Ledger

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def fill(ledger: Ledger, n: int) -> None:
    for i in range(n):
        ledger.append(f"S-{i:020x}", f"{i:064x}", T0 + timedelta(seconds=i))


def lines(ledger: Ledger) -> list[str]:
    return ledger.path.read_text().splitlines(keepends=True)


def kinds(ledger: Ledger) -> list[tuple[int, str]]:
    return [(p.line, p.kind) for p in ledger.verify()]


def test_chain_links_each_entry_to_the_previous(tmp_path):
    ledger = Ledger(tmp_path / "ledger.jsonl")
    assert ledger.verify() == [] and list(ledger.entries()) == []
    fill(ledger, 3)
    entries = list(ledger.entries())
    assert [e.seq for e in entries] == [0, 1, 2]
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    assert all(e.entry_hash == e.expected_hash() for e in entries)
    assert entries[1].recorded_at == "2024-05-01T00:00:01Z"
    assert ledger.find("S-" + "1".zfill(20)) == entries[1]
    assert ledger.find("S-nope") is None
    assert ledger.verify() == []
    # lines are canonical JSON
    first = json.loads(lines(ledger)[0])
    assert lines(ledger)[0] == json.dumps(first, sort_keys=True, separators=(",", ":")) + "\n"


def test_changed_field_breaks_entry_hash(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 3)
    text = lines(ledger)
    text[1] = text[1].replace(f"{1:064x}", "f" * 64)
    ledger.path.write_text("".join(text))
    assert kinds(ledger) == [(2, "wrong_entry_hash")]


def test_changed_prev_hash_breaks_link(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 3)
    text = lines(ledger)
    entry = json.loads(text[2])
    text[2] = text[2].replace(entry["prev_hash"], "a" * 64)
    ledger.path.write_text("".join(text))
    assert kinds(ledger) == [(3, "broken_link"), (3, "wrong_entry_hash")]


def test_rehashed_forgery_still_breaks_the_next_link(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 3)
    text = lines(ledger)
    from evidence.seal.ledger import LedgerEntry
    from evidence.seal.manifest import canonical_json

    forged = LedgerEntry(**{**json.loads(text[1]), "manifest_sha256": "e" * 64})
    forged = LedgerEntry(**{**forged.__dict__, "entry_hash": forged.expected_hash()})
    text[1] = canonical_json(forged.__dict__).decode() + "\n"
    ledger.path.write_text("".join(text))
    assert kinds(ledger) == [(3, "broken_link")]


def test_deleted_line_is_a_seq_gap_and_broken_link(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 4)
    text = lines(ledger)
    del text[1]
    ledger.path.write_text("".join(text))
    assert kinds(ledger) == [(2, "seq_gap"), (2, "broken_link")]


def test_bad_json_line_and_wrong_shape(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 3)
    text = lines(ledger)
    text[0] = "{not json\n"
    text[1] = '{"seq": 1}\n'
    ledger.path.write_text("".join(text))
    assert kinds(ledger) == [(1, "bad_json"), (2, "bad_entry")]
    assert [e.seq for e in ledger.entries()] == [2]


def test_truncated_last_line_is_reported_and_blocks_appends(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 2)
    data = ledger.path.read_bytes()
    ledger.path.write_bytes(data[:-30])
    assert kinds(ledger) == [(2, "truncated_last_line")]
    with pytest.raises(LedgerError, match="cut-short"):
        ledger.append("S-x", "0" * 64, T0)
    assert ledger.path.read_bytes() == data[:-30]


def test_damaged_last_entry_blocks_appends(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 2)
    text = lines(ledger)
    text[1] = text[1].replace("2024-05-01T00:00:01Z", "2024-05-01T00:00:09Z")
    ledger.path.write_text("".join(text))
    with pytest.raises(LedgerError, match="damaged"):
        ledger.append("S-x", "0" * 64, T0)


def test_duplicate_snapshot_id_is_reported(tmp_path):
    ledger = Ledger(tmp_path / "l.jsonl")
    ledger.append("S-1", "0" * 64, T0)
    ledger.append("S-1", "1" * 64, T0)
    assert kinds(ledger) == [(2, "duplicate_snapshot")]


def test_concurrent_appends_from_separate_handles_keep_the_chain(tmp_path):
    path = tmp_path / "l.jsonl"

    def worker(k: int) -> None:
        ledger = Ledger(path)
        for i in range(15):
            ledger.append(f"S-{k}-{i}", f"{i:064x}", T0)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ledger = Ledger(path)
    assert ledger.verify() == []
    assert [e.seq for e in ledger.entries()] == list(range(45))


def test_long_ledger_tail_read(tmp_path):
    # entries are ~300 bytes, so 40 of them cross several 4 KiB tail blocks
    ledger = Ledger(tmp_path / "l.jsonl")
    fill(ledger, 40)
    assert list(ledger.entries())[-1].seq == 39
    assert ledger.verify() == []

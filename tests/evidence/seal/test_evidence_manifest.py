from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from evidence.exceptions import ManifestError
from evidence.seal.manifest import (
    build_manifest,
    canonical_json,
    format_utc,
    parse_manifest,
    parse_utc,
    score_text,
)


def test_keys_sorted_no_whitespace_and_insertion_order_irrelevant():
    a = {"b": 1, "a": [True, None, {"z": "1", "y": "2"}]}
    b = {"a": [True, None, {"y": "2", "z": "1"}], "b": 1}
    assert canonical_json(a) == b'{"a":[true,null,{"y":"2","z":"1"}],"b":1}'
    assert canonical_json(a) == canonical_json(b)


def test_unicode_is_raw_utf8_and_controls_are_escaped():
    value = {"title": "Nïke “Air” 😀", "ctl": 'a\nb\x00"\\'}
    out = canonical_json(value)
    assert "Nïke “Air” 😀".encode() in out
    assert b'"a\\nb\\u0000\\"\\\\"' in out
    assert json.loads(out) == value


def test_keys_order_by_utf16_code_units_as_rfc8785():
    # U+1F600 is a surrogate pair (D83D...) so it sorts before U+E000 in UTF-16, not in code points.
    out = canonical_json({"\ue000": 1, "😀": 2, "a": 3})
    assert out.decode() == '{"a":3,"😀":2,"\ue000":1}'


@pytest.mark.parametrize(
    "value, where",
    [({"risk": 0.5}, r"\$\.risk"), ({"s": [1, 2.0]}, r"\$\.s\[1\]"), ({1: "x"}, "non-string")],
)
def test_floats_and_bad_keys_rejected_with_location(value, where):
    with pytest.raises(ManifestError, match=where):
        canonical_json(value)


def test_unpaired_surrogate_rejected():
    with pytest.raises(ManifestError, match="surrogate"):
        canonical_json({"t": "bad \udc80"})


def test_scores_become_round_tripping_strings():
    assert score_text(0.1) == "0.1"
    assert score_text(1) == "1.0"
    assert score_text("0.25") == "0.25"
    with pytest.raises(ManifestError, match="finite"):
        score_text(float("nan"))


def test_utc_format_with_z_and_naive_refused():
    assert format_utc(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    plus2 = timezone(timedelta(hours=2))
    moment = datetime(2024, 1, 2, 5, 4, 5, 120, tzinfo=plus2)
    assert format_utc(moment) == "2024-01-02T03:04:05.000120Z"
    assert parse_utc(format_utc(moment)) == moment
    with pytest.raises(ManifestError, match="naive"):
        format_utc(datetime(2024, 1, 2))


def _manifest():
    return build_manifest(
        snapshot_id="S-1",
        captured_at=datetime(2024, 1, 2, tzinfo=UTC),
        capture={"status": 200, "final_url": "http://127.0.0.1/x"},
        listing={"id": "L-1", "title": "Ä"},
        findings=[],
        artifacts=[{"name": "response.warc", "sha256": "0" * 64, "size": 3, "media_type": "x/y"}],
    )


def test_manifest_roundtrip_is_deterministic():
    data = canonical_json(_manifest())
    assert data == canonical_json(_manifest())
    assert parse_manifest(data) == _manifest()
    assert data.startswith(b'{"artifacts":[')


def test_parse_rejects_non_canonical_wrong_version_and_floats():
    manifest = _manifest()
    with pytest.raises(ManifestError, match="canonical"):
        parse_manifest(json.dumps(manifest, indent=1).encode())
    with pytest.raises(ManifestError, match="version"):
        parse_manifest(canonical_json({**manifest, "version": 3}))
    with pytest.raises(ManifestError, match="float"):
        parse_manifest(canonical_json(manifest).replace(b'"size":3', b'"size":3.0'))
    with pytest.raises(ManifestError, match="lacks"):
        parse_manifest(b'{"version":1}')
    with pytest.raises(ManifestError, match="not UTF-8 JSON"):
        parse_manifest(b"\xff{")


def test_build_fails_early_on_floats():
    with pytest.raises(ManifestError, match=r"\$\.capture\.elapsed"):
        build_manifest(
            snapshot_id="S-1",
            captured_at=datetime(2024, 1, 2, tzinfo=UTC),
            capture={"elapsed": 0.3},
            listing={},
            findings=[],
            artifacts=[],
        )

"""``ipwatch detect`` run as a user would: a registry file and a JSONL export in, findings out."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import yaml
from PIL import Image, ImageFilter

from tests.ipwatch.test_ipwatch_batch_listings import ImageServer
from tests.support import run_ipwatch

if TYPE_CHECKING:
    from collections.abc import Iterator


def product_photo(seed: int) -> Image.Image:
    """A deterministic stand-in for an official product photo: coloured blocks, blurred."""
    blocks = np.random.default_rng(seed).integers(0, 256, (12, 16, 3), dtype=np.uint8)
    image = Image.fromarray(blocks).resize((640, 480), Image.Resampling.NEAREST)
    return image.filter(ImageFilter.GaussianBlur(3))


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


PHOTO = product_photo(11)
OUTPUT_KEYS = {"listing_id", "asset_id", "risk", "flagged", "signals"}
SIGNAL_KEYS = {"kind", "score", "detail", "evidence"}


@pytest.fixture(scope="module")
def photo_server() -> Iterator[ImageServer]:
    """The registered photo, re-encoded as a marketplace would, served on 127.0.0.1."""
    copy = encode(PHOTO.resize((480, 360)), "JPEG", quality=75)
    with ImageServer({"/item/5.jpg": (200, {"Content-Type": "image/jpeg"}, copy)}) as server:
        yield server


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A word mark and a product photo; the image path is relative to the registry's folder."""
    folder = tmp_path / "brand"
    (folder / "images").mkdir(parents=True)
    PHOTO.save(folder / "images" / "runner.png")
    document = {
        "owners": [
            {
                "name": "Acme Sports Ltd",
                "assets": [
                    {
                        "id": "novaflex-word",
                        "kind": "word_mark",
                        "name": "NOVAFLEX",
                        "authorized_sellers": ["acme-official"],
                    },
                    {
                        "id": "novaflex-photo",
                        "kind": "product_image",
                        "name": "NovaFlex Runner photo",
                        "authorized_sellers": ["acme-official"],
                        "images": ["images/runner.png"],
                    },
                ],
            }
        ]
    }
    path = folder / "registry.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """Objects become JSON lines; strings are written as they are (broken lines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def listings_file(folder: Path, image_url: str) -> Path:
    """A disguised, a genuine and an unrelated listing, a copy by local path and one by URL."""
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "4.jpg").write_bytes(encode(PHOTO.resize((320, 240)), "JPEG", quality=80))
    shady = {"id": "shady-77", "name": "Shady Deals"}
    return write_jsonl(
        folder / "export.jsonl",
        [
            {"id": "L1", "title": "N 0 V A F L E X running shoes", "seller": shady},
            {
                "id": "L2",
                "title": "NOVAFLEX Runner",
                "url": "https://shop.example/2",
                "marketplace": "shop",
                "price": "99.00",
                "currency": "USD",
                "seller": {"id": "acme-official", "name": "Acme Store"},
            },
            {"id": "L3", "title": "Garden hose 20 m", "seller": shady},
            {"id": "L4", "title": "Running shoe", "seller": shady, "images": ["photos/4.jpg"]},
            {"id": "L5", "title": "Sport sneaker", "seller": shady, "images": [image_url]},
        ],
    )


def parse_output(text: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    for line in lines:
        assert set(line) == OUTPUT_KEYS
        assert 0 < line["risk"] <= 1
        for signal in line["signals"]:
            assert set(signal) == SIGNAL_KEYS
            assert 0 <= signal["score"] <= 1 and signal["detail"]
    return lines


def summary(lines: list[dict[str, Any]]) -> list[tuple[str, str, bool, list[str]]]:
    return [
        (
            line["listing_id"],
            line["asset_id"],
            line["flagged"],
            sorted(signal["kind"] for signal in line["signals"]),
        )
        for line in lines
    ]


EXPECTED = [
    ("L1", "novaflex-word", True, ["unauthorized_seller", "word_mark"]),
    ("L2", "novaflex-word", False, ["authorized_seller", "word_mark"]),
    ("L4", "novaflex-photo", True, ["image_copy", "unauthorized_seller"]),
    ("L5", "novaflex-photo", True, ["image_copy", "unauthorized_seller"]),
]


def test_detect_scores_every_listing(
    tmp_path: Path, registry: Path, photo_server: ImageServer
) -> None:
    url = f"{photo_server.base_url}/item/5.jpg"
    listings = listings_file(tmp_path / "export", url)
    home = tmp_path / "home"
    result = run_ipwatch(
        home,
        "detect",
        "--registry",
        str(registry),
        "--listings",
        str(listings),
        "--allow-private-host",
        "127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    lines = parse_output(result.stdout)
    assert summary(lines) == EXPECTED
    assert "/item/5.jpg" in photo_server.requests
    by_listing = {line["listing_id"]: line for line in lines}
    copy = next(s for s in by_listing["L5"]["signals"] if s["kind"] == "image_copy")
    assert copy["evidence"]["listing_image_url"] == url
    assert "5 listing(s) scored: 4 finding(s), 3 flagged; 0 bad line(s)" in result.stderr
    # The registry file was imported into a throwaway registry, never into the user's home.
    assert not (home / "registry.db").exists()

    out = tmp_path / "findings.jsonl"
    again = run_ipwatch(
        home,
        "detect",
        "--registry",
        str(registry),
        "--listings",
        str(listings),
        "--out",
        str(out),
        "--allow-private-host",
        "127.0.0.1",
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""
    assert out.read_text(encoding="utf-8") == result.stdout
    assert f"written to {out}" in again.stderr


def test_bad_lines_are_reported_by_number_and_skipped(tmp_path: Path, registry: Path) -> None:
    listings = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            {"id": "A", "title": "N.O.V.A.F.L.E.X trainers", "seller": {"id": "x"}},
            '{"id": "B", "title": ',
            {"id": "C"},
            {"id": ["D"], "title": "NOVAFLEX"},
            {"id": "E", "title": "Runner NOVAFLEX", "seller": {"id": "x"}, "images": ["no.jpg"]},
            "",
            {"id": "G", "title": "NOVAFLEX", "seller": {"id": 42}},
        ],
    )
    result = run_ipwatch(
        tmp_path / "home", "detect", "--registry", str(registry), "--listings", str(listings)
    )
    assert result.returncode == 0, result.stderr
    assert [line[0] for line in summary(parse_output(result.stdout))] == ["A", "E", "G"]
    err = result.stderr
    assert "line 2: invalid JSON" in err
    assert "line 3: title: Field required (skipped)" in err
    assert "line 4: id: Input should be a valid string (skipped)" in err
    assert "line 5: image 'no.jpg':" in err and "(scored without it)" in err
    assert "line 6" not in err and "line 1:" not in err and "line 7:" not in err
    assert "3 listing(s) scored" in err and "3 bad line(s) skipped, 1 image problem(s)" in err

    strict = run_ipwatch(
        tmp_path / "home",
        "detect",
        "--registry",
        str(registry),
        "--listings",
        str(listings),
        "--strict",
    )
    assert strict.returncode == 1
    assert strict.stdout == result.stdout


def test_private_image_url_refused_without_the_flag(
    tmp_path: Path, registry: Path, photo_server: ImageServer
) -> None:
    before = list(photo_server.requests)
    url = f"{photo_server.base_url}/item/5.jpg"
    listings = write_jsonl(
        tmp_path / "l.jsonl",
        [{"id": "P", "title": "Sneaker", "seller": {"id": "x"}, "images": [url]}],
    )
    result = run_ipwatch(
        tmp_path / "home", "detect", "--registry", str(registry), "--listings", str(listings)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "line 1: image" in result.stderr
    assert (
        "refusing 127.0.0.1: 127.0.0.1 resolves to non-public address(es) 127.0.0.1"
        in result.stderr
    )
    assert photo_server.requests == before


def test_unusable_registry_or_listings_exit_2(tmp_path: Path, registry: Path) -> None:
    listings = write_jsonl(tmp_path / "l.jsonl", [{"id": "A", "title": "x"}])
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "owners:\n  - name: X\n    assets:\n      - kind: trademark\n        name: Y\n"
    )
    bad_registry = run_ipwatch(
        tmp_path / "home", "detect", "--registry", str(broken), "--listings", str(listings)
    )
    assert bad_registry.returncode == 2
    assert str(broken) in bad_registry.stderr and "kind" in bad_registry.stderr
    missing = run_ipwatch(
        tmp_path / "home", "detect", "--registry", str(registry), "--listings", "nope.jsonl"
    )
    assert missing.returncode == 2
    assert "cannot read nope.jsonl" in missing.stderr

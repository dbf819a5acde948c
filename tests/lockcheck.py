"""The lock files still say what they were made from, and the running virtualenv holds them.

``requirements/venv.txt`` locks ``pyproject.toml`` with the Makefile's ``EXTRAS``,
``requirements/augly.txt`` locks ``requirements/augly.in``, ``requirements/pywb.txt``
``requirements/pywb.in`` and ``requirements/uv.txt`` the uv
that installs them. A dependency added to (or dropped from, or re-ranged in) an input without
``make lock`` is reported here, with the command that fixes it; ``make install`` runs this
after installing and ``tests/test_lock.py`` runs it in the suite.

Run: .venv/bin/python -m tests.lockcheck [--lock-only]   (exit 1 and one line per problem)
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
MAKEFILE = ROOT / "Makefile"
LOCK = ROOT / "requirements" / "venv.txt"
UV_LOCK = ROOT / "requirements" / "uv.txt"
AUGLY_IN = ROOT / "requirements" / "augly.in"
AUGLY_LOCK = ROOT / "requirements" / "augly.txt"
PYWB_IN = ROOT / "requirements" / "pywb.in"
PYWB_LOCK = ROOT / "requirements" / "pywb.txt"
# `make lock` puts this first in every lock file: the platform the pins and hashes are for.
HEADER = "# Locked for Linux x86_64 (manylinux_2_28) and CPython 3.11"
# Markers are evaluated for that platform, not for the machine running the check.
TARGET = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "extra": "",
}
PYPROJECT_VIA = "ipwatch (pyproject.toml)"
AUGLY_VIA = "-r requirements/augly.in"
PYWB_VIA = "-r requirements/pywb.in"
FIX_LOCK = "run make lock"
FIX_INSTALL = "run make install"

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


@dataclass
class Pin:
    """One locked distribution: its exact version, how many hashes, and what asked for it."""

    name: str
    version: str
    hashes: int = 0
    via: list[str] = field(default_factory=list)


def parse_lock(text: str) -> dict[str, Pin]:
    """The pins of a uv/pip-tools style lock (``name==version \\``, ``--hash=``, ``# via``)."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    in_via = False
    for raw in text.splitlines():
        line = raw.strip()
        match = _PIN.match(raw)
        if match:
            current = Pin(canonicalize_name(match[1]), match[2])
            pins[current.name] = current
            in_via = False
        elif current is None or not line:
            continue
        elif line.startswith("--hash="):
            current.hashes += 1
        elif line.startswith("# via"):
            rest = line.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                current.via.append(rest)
        elif in_via and line.startswith("#   "):
            current.via.append(line.removeprefix("#").strip())
    return pins


def extras(makefile_text: str) -> list[str]:
    """The extras ``.venv`` is installed with: the Makefile's ``EXTRAS :=`` line."""
    match = re.search(r"^EXTRAS\s*:=\s*(.*)$", makefile_text, re.MULTILINE)
    return match[1].split() if match else []


def pyproject_requirements(pyproject_text: str, wanted_extras: list[str]) -> list[str]:
    project = tomllib.loads(pyproject_text)["project"]
    optional = project.get("optional-dependencies", {})
    out = list(project.get("dependencies", []))
    for extra in wanted_extras:
        out += optional.get(extra, [])
    return out


def in_requirements(in_text: str) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in in_text.splitlines())
    return [line for line in lines if line]


def lock_problems(requirements: list[str], lock_text: str, lock_name: str, via: str) -> list[str]:
    """What differs between the inputs and the lock made from them (empty: they match)."""
    problems = []
    if not lock_text.startswith(HEADER):
        problems.append(f"{lock_name} does not start with {HEADER!r}: {FIX_LOCK}")
    pins = parse_lock(lock_text)
    asked = set()
    for text in requirements:
        try:
            req = Requirement(text)
        except InvalidRequirement as exc:
            problems.append(f"{text!r} is not a valid requirement: {exc}")
            continue
        if req.marker is not None and not req.marker.evaluate(TARGET):
            continue
        name = canonicalize_name(req.name)
        asked.add(name)
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{req} is asked for but {lock_name} does not lock it: {FIX_LOCK}")
        elif not req.specifier.contains(pin.version, prereleases=True):
            problems.append(
                f"{req} is asked for but {lock_name} locks {name}=={pin.version}: {FIX_LOCK}"
            )
    for pin in pins.values():
        if pin.hashes == 0:
            problems.append(f"{lock_name} locks {pin.name} without a hash: {FIX_LOCK}")
        if not pin.via:
            problems.append(f"{lock_name} locks {pin.name} but nothing asks for it: {FIX_LOCK}")
        elif via in pin.via and pin.name not in asked:
            problems.append(
                f"{lock_name} locks {pin.name} as asked for, but it is no longer: {FIX_LOCK}"
            )
    return problems


def uv_problems(uv_lock_text: str, lock_text: str) -> list[str]:
    """``requirements/uv.txt`` bootstraps exactly the uv that ``requirements/venv.txt`` locks."""
    uv_pins, pins = parse_lock(uv_lock_text), parse_lock(lock_text)
    problems = []
    if not uv_lock_text.startswith(HEADER):
        problems.append(f"requirements/uv.txt does not start with {HEADER!r}: {FIX_LOCK}")
    bootstrap = uv_pins.get("uv")
    locked = pins.get("uv")
    if set(uv_pins) != {"uv"} or bootstrap is None or bootstrap.hashes == 0:
        problems.append(f"requirements/uv.txt must pin uv alone, with hashes: {FIX_LOCK}")
    elif locked is None or locked.version != bootstrap.version:
        in_lock = locked.version if locked else "nothing"
        problems.append(
            f"requirements/uv.txt bootstraps uv {bootstrap.version} but requirements/venv.txt "
            f"locks {in_lock}: {FIX_LOCK}"
        )
    return problems


def installed_problems(lock_text: str) -> list[str]:
    """Locked distributions this interpreter lacks or holds at another version."""
    problems = []
    for pin in parse_lock(lock_text).values():
        try:
            have = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{pin.name}=={pin.version} is locked but not installed: {FIX_INSTALL}")
            continue
        if canonicalize_name(have) != canonicalize_name(pin.version) and have != pin.version:
            problems.append(
                f"{pin.name} {have} is installed but requirements/venv.txt locks "
                f"{pin.version}: {FIX_INSTALL}"
            )
    return problems


def problems(installed: bool = True) -> list[str]:
    """Everything wrong with the repository's locks (and, with ``installed``, this venv)."""
    lock = LOCK.read_text(encoding="utf-8")
    wanted = pyproject_requirements(
        PYPROJECT.read_text(encoding="utf-8"), extras(MAKEFILE.read_text(encoding="utf-8"))
    )
    out = lock_problems(wanted, lock, "requirements/venv.txt", PYPROJECT_VIA)
    out += uv_problems(UV_LOCK.read_text(encoding="utf-8"), lock)
    out += lock_problems(
        in_requirements(AUGLY_IN.read_text(encoding="utf-8")),
        AUGLY_LOCK.read_text(encoding="utf-8"),
        "requirements/augly.txt",
        AUGLY_VIA,
    )
    out += lock_problems(
        in_requirements(PYWB_IN.read_text(encoding="utf-8")),
        PYWB_LOCK.read_text(encoding="utf-8"),
        "requirements/pywb.txt",
        PYWB_VIA,
    )
    if installed and not out:
        out += installed_problems(lock)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lock-only", action="store_true", help="check the lock files, not this virtualenv"
    )
    args = parser.parse_args(argv)
    found = problems(installed=not args.lock_only)
    for line in found:
        print(f"lock: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

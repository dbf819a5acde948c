"""Registry errors: every message names where the problem is and what to do about it.

``RegistryError`` is the base class, so callers (CLI, review app) can catch one type.
"""

from __future__ import annotations

from pathlib import Path


class RegistryError(Exception):
    """Base class for everything the registry raises on purpose."""


class RegistryImportError(RegistryError):
    """An import file was rejected; nothing from it was written.

    ``problems`` holds one line per problem, each naming the file, the entry and the field.
    """

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        count = len(self.problems)
        if count == 1:
            message = self.problems[0]
        else:
            header = f"{path}: {count} problems, nothing was imported; fix them and re-run:"
            message = "\n".join([header, *(f"  - {problem}" for problem in self.problems)])
        super().__init__(message)


class RegistryExportError(RegistryError):
    """The registry could not be written out (target not writable, conflicting files)."""

"""What every command shares: the workspace, and turning expected failures into clear exits."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from config.errors import ConfigError
from ipwatch.console import err_console
from ipwatch.workspace import Workspace

if TYPE_CHECKING:
    from collections.abc import Callable

EXIT_USAGE = 2


class UserError(Exception):
    """A failure the user can fix; printed without a traceback."""


def expected_errors() -> tuple[type[Exception], ...]:
    from crawler.extraction.errors import PageLoadError, ProfileSelectorError
    from detector.exceptions import DetectorError
    from evidence.exceptions import EvidenceError
    from registry.exceptions import RegistryError
    from store.exceptions import StoreError

    return (
        UserError,
        ConfigError,
        RegistryError,
        EvidenceError,
        StoreError,
        DetectorError,
        PageLoadError,
        ProfileSelectorError,
    )


@dataclass
class State:
    home: Path | None = None
    operator: str | None = None  # --operator; see ``operator_name``
    _workspace: Workspace | None = field(default=None, repr=False)

    def operator_name(self) -> str:
        """Who is acting, for chain-of-custody events: --operator, $IPWATCH_OPERATOR, OS user."""
        from evidence.custody import current_operator

        return current_operator(self.operator)

    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace.open(self.home)
        return self._workspace


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def run_command(app: Callable[..., object], argv: list[str] | None) -> int:
    """Run the Typer app in process; expected errors become a message and exit code 2."""
    try:
        app(args=argv if argv is not None else sys.argv[1:], prog_name="ipwatch")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        err_console.print(str(exc.code), markup=False)
        return 1
    except expected_errors() as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_USAGE
    return 0

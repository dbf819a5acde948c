"""What every command shares: the workspace, and turning expected failures into clear exits."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from config.errors import ConfigError
from ipwatch.console import err_console

if TYPE_CHECKING:
    from ipwatch.services.identity import Principal
    from ipwatch.services.workspace import Workspace

EXIT_USAGE = 2
PLACEHOLDERS = {"int": "N", "integer": "N", "float": "N", "path": "PATH", "file": "FILE"}


class UserError(Exception):
    """A failure the user can fix; printed without a traceback."""


def expected_errors() -> tuple[type[Exception], ...]:
    from crawler.extraction.errors import PageLoadError, ProfileSelectorError
    from detector.exceptions import DetectorError
    from evidence.exceptions import EvidenceError
    from ipwatch.services.errors import ServiceError
    from registry.exceptions import RegistryError
    from store.exceptions import StoreError

    return (
        UserError,
        ServiceError,
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
        from evidence.seal.custody import current_operator

        return current_operator(self.operator)

    def principal(self) -> Principal:
        """The CLI acts as the data folder's operator: every owner, every action."""
        from ipwatch.services.identity import Principal

        return Principal.operator(self.operator_name())

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from ipwatch.services.workspace import Workspace

            self._workspace = Workspace.open(self.home)
        return self._workspace


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def name_placeholders(command: Any) -> Any:
    """Help shows words (TEXT, N, PATH), never Python types (``<str>``, ``<list[str]>``).

    A parameter's own ``metavar`` wins; flags show none. Applied to every command once. Typer
    ships its own copy of Click, so parameters are read by their documented attributes.
    """
    help_option = command.get_help_option(command.context_class(command))
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if param.metavar is None:
            param.metavar = placeholder(param)
        if param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
            # Typer prints an argument's Python type beside its name; the name says it all.
            param.display_type_rich = lambda ctx=None: None
    for sub in getattr(command, "commands", {}).values():
        name_placeholders(sub)
    return command


def placeholder(param: Any) -> str:
    """The word for one parameter's value, from Typer's type description or Click's type."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False) or param.name == "help":
        return ""
    described = getattr(param, "type_descriptor", None)
    if described is not None:
        choices = described.choices if described.is_choice else None
        kind = "path" if described.is_path else getattr(described.annotation, "__name__", "")
        many = described.is_list and param.param_type_name == "option"
    else:  # Click's own parameters
        choices = getattr(param.type, "choices", None)
        kind, many = getattr(param.type, "name", ""), bool(param.multiple or param.nargs != 1)
    if choices:
        word = "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    else:
        word = PLACEHOLDERS.get(kind.lower(), "TEXT")
    return word + ("..." if many else "")


def run_command(app: typer.Typer, argv: list[str] | None) -> int:
    """Run the Typer app in process; expected errors become a message and exit code 2."""
    command = name_placeholders(typer.main.get_command(app))
    try:
        command.main(args=argv if argv is not None else sys.argv[1:], prog_name="ipwatch")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        err_console.print(str(exc.code), markup=False)
        return 1
    except expected_errors() as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_USAGE
    return 0

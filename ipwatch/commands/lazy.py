"""Commands imported only when they run: ``ipwatch --help`` or ``ipwatch crawl`` does not import
the web app, the user directory or the detector's word lists.

Every ``ipwatch`` process (a crawl, a worker, a sealer, each scheduled run) used to import all
command modules, and through them most of the stack, before doing anything: seconds of CPU per
process. The root group knows each command by name, module and one-line help; a command's
module is imported when that command is resolved (to run it or show its own ``--help``). The
root's command list is drawn from the one-line helps, which
``tests/ipwatch/test_ipwatch_cli_lazy.py`` checks against each command's own help.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class LazyCommand:
    """``attr`` of ``module`` is a command function or a Typer group; ``summary`` is the first
    paragraph of its help, as the root's command list shows it."""

    module: str
    attr: str
    summary: str

    def load(self, name: str) -> Any:
        """The Click command, built exactly as ``app.command(name)`` or ``app.add_typer(...,
        name=name)`` on the root would have built it, with words for placeholders."""
        from ipwatch.commands.common import name_placeholders

        target = getattr(importlib.import_module(self.module), self.attr)
        holder = typer.Typer(rich_markup_mode="rich", pretty_exceptions_enable=False)
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
        else:
            holder.command(name)(target)
        return name_placeholders(typer.main.get_group(holder).commands[name])


class LazyGroup(TyperGroup):
    """A Typer group whose ``lazy`` commands are imported on first resolution."""

    lazy: ClassVar[Mapping[str, LazyCommand]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False  # drawing the root's help: summaries, no imports

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = self.lazy.get(cmd_name)
        if entry is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return TyperCommand(cmd_name, short_help=entry.summary)
        self.commands[cmd_name] = entry.load(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

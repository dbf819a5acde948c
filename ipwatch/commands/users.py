"""``ipwatch users``: who may use the review desk and the API, with which role and owners."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ipwatch.commands.common import UserError, state
from ipwatch.commands.output import CsvOption, JsonOption, emit, wants_machine
from ipwatch.console import console
from ipwatch.services import users as service
from registry.identity import ROLES

app = typer.Typer(
    help="Users of the review desk and API: roles (admin, reviewer, viewer) and owners.",
    no_args_is_help=True,
)
COLUMNS = ["name", "role", "owners", "disabled", "created", "has_password"]


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty():
        first = typer.prompt("password", hide_input=True)
        if typer.prompt("again", hide_input=True) != first:
            raise UserError("the two passwords differ; nothing was changed")
        return str(first)
    return None


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Login name (letters, digits, ._@+-).")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")] = "reviewer",
    owner: Annotated[
        list[str] | None,
        typer.Option("--owner", help="A rights holder this user works for (repeatable)."),
    ] = None,
    all_owners: Annotated[
        bool, typer.Option("--all-owners", help="Work for every owner (the enforcement team).")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
) -> None:
    """Add a user. Without a terminal or --password-stdin a random password is printed once."""
    if all_owners == bool(owner):
        raise UserError("give --owner NAME (repeatable) or --all-owners, not both or neither")
    password = _read_password(password_stdin)
    generated = password is None
    if generated:
        password = service.generated_password()
    st = state(ctx)
    user = service.add_user(
        st.workspace(), st.principal(), name, role, None if all_owners else owner, password
    )
    scope = "every owner" if user.owners is None else ", ".join(user.owners)
    typer.echo(f"added {user.name} ({user.role}) for {scope}")
    if generated:
        typer.echo(f"password (shown once): {password}")


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List users with their role, owners and whether they are disabled."""
    st = state(ctx)
    users = service.list_users(st.workspace(), st.principal())
    if wants_machine(as_json, as_csv):
        emit(users, COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    from rich.table import Table

    table = Table(title=f"{len(users)} user(s)")
    for column in ("name", "role", "owners", "state"):
        table.add_column(column, overflow="fold")
    for user in users:
        owners = "all" if user.owners is None else ", ".join(user.owners)
        table.add_row(user.name, user.role, owners, "disabled" if user.disabled else "active")
    console.print(table)


@app.command("disable")
def disable(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user to disable.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again.")] = False,
) -> None:
    """Disable a user: their sessions end and their API tokens are revoked at once."""
    st = state(ctx)
    user = service.set_disabled(st.workspace(), st.principal(), name, not enable)
    typer.echo(f"{user.name} is {'disabled' if user.disabled else 'enabled'}")


@app.command("password")
def password(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose password to set.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
) -> None:
    """Set a user's password; their open sessions end."""
    new = _read_password(password_stdin)
    if new is None:
        raise UserError("no terminal to ask on: pipe the password with --password-stdin")
    st = state(ctx)
    service.set_password(st.workspace(), st.principal(), name, new)
    typer.echo(f"password of {name} changed; their sessions were ended")


@app.command("token")
def token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "",
) -> None:
    """Make an API token (Authorization: Bearer TOKEN); it is printed once, stored hashed."""
    st = state(ctx)
    secret, view = service.issue_token(st.workspace(), st.principal(), name, label)
    typer.echo(secret)
    typer.echo(f"token {view.id} for {view.user}; keep it secret, it is not shown again", err=True)

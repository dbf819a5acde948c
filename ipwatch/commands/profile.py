"""``ipwatch profile``: the marketplace profiles a crawl can use, and checking one live."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from config.settings import resolve_home
from ipwatch.commands.common import state
from ipwatch.commands.output import CsvOption, JsonOption, emit, to_json_line, wants_machine
from ipwatch.console import console, err_console, plain
from ipwatch.services.profiles import check_profile, list_profiles

if TYPE_CHECKING:
    from ipwatch.services.profiles import Kind, ProfileCheck

app = typer.Typer(help="Marketplace profiles: list them, check one against a live page.",
                  no_args_is_help=True)  # fmt: skip
LIST_COLUMNS = ("name", "source", "path", "base_url", "pages", "overrides_bundled", "problem")


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List bundled profiles and the data folder's (marketplaces/*.yaml), which win by name."""
    rows = list_profiles(resolve_home(state(ctx).home))
    if wants_machine(as_json, as_csv):
        emit(rows, LIST_COLUMNS, as_json=as_json, as_csv=as_csv)
        return
    table = Table(title=f"{len(rows)} profile(s)")
    for column in ("name", "source", "base url", "pages", "problem"):
        table.add_column(column, overflow="fold")
    for row in rows:
        source = row.source + (" (overrides bundled)" if row.overrides_bundled else "")
        table.add_row(
            plain(row.name),
            plain(source),
            plain(row.base_url),
            plain(row.pages, 500),
            plain(row.problem or "", 1000),
        )
    console.print(table)


def _result_json(result: ProfileCheck) -> dict[str, object]:
    page = result.page
    return {
        "profile": result.profile,
        "ok": result.ok,
        "url": page.url,
        "kind": page.kind,
        "status": page.status,
        "final_url": page.final_url,
        "problem": page.problem,
        "missing": list(result.missing),
        "links": list(page.links),
        "next_page": page.next_page,
        "records_skipped": page.skipped,
        "item_id": page.item_id,
        "listing": page.listing.to_dict() if page.listing is not None else None,
    }


def _result_table(result: ProfileCheck) -> Table:
    page = result.page
    table = Table(title=f"{result.profile}: {page.kind} page {page.url}", show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    table.add_row("status", str(page.status or "—"))
    if page.kind == "list":
        table.add_row("listing links", str(len(page.links)))
        for link in page.links[:20]:
            table.add_row("", plain(link, 300))
        if len(page.links) > 20:
            table.add_row("", f"… and {len(page.links) - 20} more (--json shows all)")
        table.add_row("next page", plain(page.next_page or "—", 300))
        if page.skipped:
            table.add_row("records skipped", str(page.skipped))
    elif page.listing is not None:
        table.add_row("item id", plain(page.item_id or "—"))
        for key, value in page.listing.to_dict().items():
            if key == "seller":
                value = ", ".join(f"{k}={v}" for k, v in (value or {}).items() if v) or None
            elif key == "images":
                value = "\n".join(value) or None
            table.add_row(plain(key), plain("—" if value is None else str(value), 1000))
    return table


def check(
    ctx: typer.Context,
    profile: Annotated[
        str, typer.Argument(help="Profile name or path to a YAML profile.", metavar="PROFILE")
    ],
    url: Annotated[
        str | None,
        typer.Argument(
            help="Page to check (absolute, or a path on the profile's host). Default: the "
            "search for --keyword, else the first section.",
            metavar="URL",
        ),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            help="list, listing, or auto: a listing page when the profile's item_id matches.",
            metavar="[auto|list|listing]",
        ),
    ] = "auto",
    keyword: Annotated[
        str | None, typer.Option(help="Search for this when no URL is given.", metavar="TEXT")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Use this host instead of the profile's base_url.", metavar="URL"),
    ] = None,
    allow_private_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Allow this private/loopback host (a shop you run yourself).", metavar="HOST"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fetch one live page as a crawl would and print what PROFILE extracts from it.

    Exits 1 when the page cannot be read or required fields (listing links; title and price)
    come out empty.
    """
    if kind not in ("auto", "list", "listing"):
        raise typer.BadParameter("choose auto, list or listing", param_hint="--kind")
    chosen: Kind = kind  # type: ignore[assignment]
    result = check_profile(
        resolve_home(state(ctx).home),
        profile,
        url,
        keyword=keyword,
        base_url=base_url,
        kind=chosen,
        allowed_private_hosts=allow_private_host or (),
    )
    if as_json:
        typer.echo(to_json_line(_result_json(result), indent=2))
    else:
        console.print(_result_table(result))
    if result.page.problem is not None:
        err_console.print(f"cannot check {plain(result.page.url, 300)}: "
                          f"{plain(result.page.problem, 1000)}", soft_wrap=True)  # fmt: skip
        raise typer.Exit(1)
    if result.missing:
        err_console.print(
            f"profile {plain(result.profile)} extracted no {', '.join(result.missing)} from "
            f"{plain(result.page.url, 300)}; fix its selectors (or api paths) and check again",
            soft_wrap=True,
        )
        raise typer.Exit(1)


app.command("check")(check)

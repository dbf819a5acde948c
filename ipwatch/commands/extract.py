"""``ipwatch extract``: the crawler's extraction on a saved page, to write and debug profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from config.profile import load_profile
from config.settings import resolve_home
from crawler.extraction import extract_listing, load_page
from ipwatch.commands.common import state


def extract(
    ctx: typer.Context,
    page: Annotated[str, typer.Argument(help="A saved page: .html, .html.gz, or - for stdin.")],
    url: Annotated[
        str | None,
        typer.Option(
            help="The page's URL; relative links (images, seller) resolve against it "
            "and are left out without it."
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            help="Marketplace profile whose fallback selectors to use (name, looked up in the "
            "data folder's marketplaces/ first, or path)."
        ),
    ] = None,
) -> None:
    """Print the listing extracted from PAGE as one JSON object; missing fields are null."""
    home = resolve_home(state(ctx).home)
    selectors = load_profile(profile, home=home).listing.fields if profile else None
    body = load_page(page)
    page_url = url or ("file:///dev/stdin" if page == "-" else Path(page).resolve().as_uri())
    listing = extract_listing(body, page_url, selectors)
    typer.echo(json.dumps(listing.to_dict(), ensure_ascii=False, indent=2))

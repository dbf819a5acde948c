"""``ipwatch serve``: the review desk on uvicorn (pages, JSON API, OpenAPI at /api/v1/docs)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from config.logs import json_logging
from ipwatch.commands.common import state


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """Run the review desk. Users come from `ipwatch users add`; put it behind HTTPS (a reverse
    proxy) before listening beyond this machine: session cookies are Secure off loopback."""
    import uvicorn

    from ipwatch.web.app import create_app

    workspace = state(ctx).workspace()
    secure = workspace.config.desk.secure_cookies and not _loopback(host)
    app = create_app(workspace, secure_cookies=secure)
    typer.echo(f"review desk on http://{host}:{port}/ (API docs at /api/v1/docs); Ctrl-C stops")
    # JSON mode: uvicorn's records (access lines too) go through the root handler's JSON.
    log_config = None if json_logging() else uvicorn.config.LOGGING_CONFIG
    uvicorn.run(
        app, host=host, port=port, log_level="info", proxy_headers=False, log_config=log_config
    )

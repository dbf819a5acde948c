"""Build the desk's FastAPI application over one workspace.

Pages are server-rendered (Jinja2, autoescape on) and work without script; ``static/desk.js``
adds keyboard review and bulk selection. The JSON API under /api/v1 calls the same services,
so role and owner checks are the same whichever door a request comes through.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ipwatch import __version__
from ipwatch.services.errors import ServiceError, UnauthorizedError
from ipwatch.web.desk import Desk
from ipwatch.web.responses import json_response
from ipwatch.web.security import security_headers

if TYPE_CHECKING:
    from ipwatch.services.workspace import Workspace

HERE = Path(__file__).parent
templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
)


def _rounded(value: object, places: int = 2) -> str:
    try:
        return f"{float(str(value)):.{places}f}"
    except ValueError:
        return str(value)


templates.env.filters["rounded"] = _rounded


def render(
    request: Request, name: str, context: dict[str, object], status_code: int = 200
) -> Response:
    """A page from ``templates/`` (every value escaped on output)."""
    response: Response = templates.TemplateResponse(request, name, context, status_code=status_code)
    return response


def create_app(workspace: Workspace, *, secure_cookies: bool = True) -> FastAPI:
    import ipwatch.web.enforcement_routes as enforcement_routes
    from ipwatch.web import api, asset_routes, auth_routes, evidence_routes, health_routes, pages
    from ipwatch.web.asset_form_routes import router as asset_form_router

    app = FastAPI(
        title="ipwatch review desk",
        version=__version__,
        description="Work flagged listings: queue, findings, decisions, evidence. Authenticate "
        "with `Authorization: Bearer TOKEN` (`ipwatch users token NAME`).",
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.desk = Desk(workspace, secure_cookies)
    app.state.metrics = health_routes.DeskMetrics()
    app.middleware("http")(health_routes.count_requests)
    app.middleware("http")(security_headers)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(auth_routes.router)
    app.include_router(health_routes.router)
    app.include_router(pages.router)
    app.include_router(evidence_routes.router)
    app.include_router(asset_routes.router)
    app.include_router(api.router)
    app.include_router(asset_form_router)
    from ipwatch.web import notice_api, notice_pages  # takedown notices (issue 13)

    app.include_router(notice_pages.router)
    app.include_router(notice_api.router)
    app.include_router(enforcement_routes.pages)
    app.include_router(enforcement_routes.api)
    app.add_exception_handler(ServiceError, _service_error)  # type: ignore[arg-type]
    return app


async def _service_error(request: Request, exc: ServiceError) -> Response:
    wants_json = request.url.path.startswith("/api/") or request.url.path.endswith(
        (".json", ".csv")
    )
    if wants_json:
        return json_response({"error": str(exc), "status": exc.status}, exc.status)
    if isinstance(exc, UnauthorizedError):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return render(request, "error.html", {"message": str(exc), "status": exc.status}, exc.status)

"""``/healthz`` for load balancers and ``/metrics`` for Prometheus.

/healthz needs no login and says only up or degraded, whether the index answers, and the
version. /metrics counts the desk's requests and the findings in each review status: volumes a
competitor or an infringer would like to know, so only loopback clients and the networks in
``desk.metrics_clients`` may read it (a Prometheus server beside the desk, or via a tunnel).
"""

from __future__ import annotations

import ipaddress
import time
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from ipwatch.services.errors import ForbiddenError
from ipwatch.services.health import findings_by_status, health
from ipwatch.web.desk import client_address, desk_of
from ipwatch.web.responses import json_response

if TYPE_CHECKING:
    from collections.abc import Sequence

    from starlette.middleware.base import RequestResponseEndpoint

router = APIRouter(tags=["operations"])
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, float("inf"))


class DeskMetrics:
    """The desk's own registry: one per app, so several apps in a process never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "ipwatch_desk_requests",
            "Desk requests, by method, route template and status code",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "ipwatch_desk_request_seconds",
            "Desk request latency, by method and route template",
            ("method", "route"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.findings = Gauge(
            "ipwatch_findings",
            "Findings in the index, by review status (read at each scrape)",
            ("status",),
            registry=self.registry,
        )


def may_read_metrics(client: str, networks: Sequence[str]) -> bool:
    """Loopback always; otherwise only a client inside one of ``networks``."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:  # "unknown", a Unix socket: no address to trust
        return False
    if address.is_loopback:
        return True
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def metrics_of(request: Request) -> DeskMetrics:
    metrics: DeskMetrics = request.app.state.metrics
    return metrics


async def count_requests(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Count and time each request under its route template (never the raw path: ids in
    paths would make a series per finding)."""
    started = time.perf_counter()
    response = await call_next(request)
    route = getattr(request.scope.get("route"), "path", None) or "unmatched"
    metrics = metrics_of(request)
    metrics.requests.labels(request.method, route, str(response.status_code)).inc()
    metrics.latency.labels(request.method, route).observe(time.perf_counter() - started)
    return response


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> Response:
    desk = desk_of(request)
    with desk.use() as workspace:
        state = health(workspace)
    return json_response(state.to_dict(), 200 if state.status == "ok" else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    desk = desk_of(request)
    allowed = desk.workspace.config.desk.metrics_clients
    if not may_read_metrics(client_address(request), allowed):
        raise ForbiddenError(
            "metrics are served to loopback clients only; list your Prometheus server's "
            "network in desk.metrics_clients (ipwatch.yaml) to allow it"
        )
    desk_metrics = metrics_of(request)
    with desk.use() as workspace:
        counts = findings_by_status(workspace)
    desk_metrics.findings.clear()
    for status, count in counts.items():
        desk_metrics.findings.labels(status).set(count)
    return Response(generate_latest(desk_metrics.registry), media_type=CONTENT_TYPE_LATEST)

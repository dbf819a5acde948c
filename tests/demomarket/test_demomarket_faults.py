"""Faults on demand behave as documented, and the server records what clients did."""

from __future__ import annotations

import http.client
import json
import urllib.error

import pytest

from demomarket import DemoMarket, Fault, FaultPlan
from demomarket.testing import fetch


def test_429_with_retry_after_the_first_k_hits_then_ok() -> None:
    plan = FaultPlan({"/item/1001": Fault("429", times=2, retry_after=1)})
    with DemoMarket(faults=plan) as shop:
        first, second, third = (fetch(shop.url("/item/1001")) for _ in range(3))
        assert (first.status, second.status, third.status) == (429, 429, 200)
        assert first.headers["Retry-After"] == "1"
        assert fetch(shop.url("/item/1002")).status == 200  # the pattern matched one URL only
        assert [r.status for r in shop.requests_to("/item/1001")] == [429, 429, 200]
        assert shop.requests[0].faults == ("429",)


def test_hits_are_counted_per_url_for_a_wildcard_pattern() -> None:
    with DemoMarket(faults=FaultPlan({"/item/*": Fault("500", times=1)})) as shop:
        assert fetch(shop.url("/item/1001")).status == 500
        assert fetch(shop.url("/item/1002")).status == 500
        assert fetch(shop.url("/item/1001")).status == 200
        shop.reset()
        assert shop.requests == []
        assert fetch(shop.url("/item/1001")).status == 500  # counts start again after reset()


def test_permanent_failure_never_recovers() -> None:
    with DemoMarket(faults=FaultPlan({"/seller/bargainhub": Fault("503")})) as shop:
        statuses = {fetch(shop.url("/seller/bargainhub")).status for _ in range(4)}
        assert statuses == {503}


def test_truncated_body_raises_incomplete_read(shop: DemoMarket) -> None:
    with pytest.raises(http.client.IncompleteRead):
        fetch(shop.url("/item/1001?fault=truncate"))
    assert fetch(shop.url("/item/1001")).status == 200  # the shared server is unaffected


def test_dropped_connection_gives_no_response(shop: DemoMarket) -> None:
    with pytest.raises((http.client.RemoteDisconnected, urllib.error.URLError)):
        fetch(shop.url("/item/1002?fault=drop&times=1"))
    assert fetch(shop.url("/item/1002?fault=drop&times=1")).status == 200
    assert [r.status for r in shop.requests_to("/item/1002?fault=drop")] == [0, 200]


def test_slow_response_outlasts_a_short_client_timeout(shop: DemoMarket) -> None:
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(shop.url("/item/1003?fault=slow&delay=2"), timeout=0.3)


def test_malformed_page_breaks_json_ld_and_markup(shop: DemoMarket) -> None:
    body = fetch(shop.url("/item/1001?fault=malformed")).body
    assert b"\xff\xfe\x00\x81" in body
    assert b"</div>" not in body
    start = body.index(b'<script type="application/ld+json">') + 35
    with pytest.raises(ValueError):
        json.loads(body[start : body.index(b"</script>", start)])


def test_requests_record_path_headers_and_order(shop: DemoMarket) -> None:
    fetch(shop.url("/robots.txt"), headers={"X-Probe": "demo-test"})
    record = shop.requests_to("/robots.txt")[-1]
    assert (record.method, record.status) == ("GET", 200)
    assert record.headers["X-Probe"] == "demo-test"
    times = [r.time for r in shop.requests]
    assert times == sorted(times)


def test_fault_rejects_unknown_kinds_with_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="429"):
        Fault("teapot")  # type: ignore[arg-type]
    with DemoMarket() as shop:
        answer = fetch(shop.url("/item/1001?fault=teapot"))
        assert answer.status == 400
        assert "use one of slow, 429" in answer.text
        assert fetch(shop.url("/item/1001?fault=429&times=x")).status == 400


@pytest.mark.parametrize(("kind", "status"), [("404", 404), ("410", 410)])
def test_a_taken_down_listing_answers_its_status_and_comes_back_without_the_fault(
    kind: str, status: int
) -> None:
    with DemoMarket(faults=FaultPlan({"/item/1034": Fault(kind)})) as shop:
        assert fetch(shop.url("/item/1034")).status == status
        assert fetch(shop.url("/item/1035")).status == 200
    with DemoMarket() as shop:
        assert fetch(shop.url("/item/1034")).status == 200

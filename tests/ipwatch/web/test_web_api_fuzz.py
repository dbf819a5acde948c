"""Property-based calls (schemathesis) against the desk's own OpenAPI document, over HTTP to
uvicorn on 127.0.0.1: whatever the parameters and bodies, the API never answers 5xx."""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.ipwatch.web.desk_data import DeskData, DeskServer

EXAMPLES = 25  # per operation and token; the suite's budget, not a ceiling on what is found


def fuzz(operation, base_url: str, token: str, statuses: list[int]) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    """Hypothesis runs ``operation`` with generated parameters and bodies, calling the server."""
    headers = {"Authorization": f"Bearer {token}"}

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def call(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, headers=headers)
        statuses.append(response.status_code)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])

    return call


def test_no_input_makes_the_api_fail_with_a_server_error(
    desk: tuple[DeskData, DeskServer],
) -> None:
    data, server = desk
    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    statuses: list[int] = []
    for token in (data.tokens["alice"], "ipw_not-a-real-token"):
        for operation in operations:
            fuzz(operation, server.url, token, statuses)()
    assert 200 in statuses and 401 in statuses and 422 in statuses  # it reached real handlers

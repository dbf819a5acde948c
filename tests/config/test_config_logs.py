"""JSON mode: every stdlib record is one JSON object on one line, with the run's fields."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from config.logs import (
    JsonLogHandler,
    bind_run,
    configure_logging,
    json_logging,
    set_log_level,
    unbind_run,
)


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging("json", "INFO", stream=out)
    try:
        yield out
    finally:
        unbind_run()
        configure_logging("text")


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_records_carry_time_level_logger_and_the_bound_run(stream: io.StringIO) -> None:
    bind_run("R-20261205T000000Z-abc123", "demo")
    logging.getLogger("crawler.pipelines.index").info(
        "listing %s", "new", extra={"listing_id": "L-7", "password": "hunter2"}
    )
    unbind_run()
    logging.getLogger("scrapy.core.engine").warning("closing")
    first, second = lines(stream)
    assert list(first)[:4] == ["ts", "level", "logger", "event"]
    assert first["event"] == "listing new" and first["level"] == "info"
    assert first["logger"] == "crawler.pipelines.index"
    assert first["run_id"] == "R-20261205T000000Z-abc123" and first["marketplace"] == "demo"
    assert first["listing_id"] == "L-7"
    assert "password" not in first  # only the known context fields pass from extra=
    assert str(first["ts"]).endswith("Z")
    assert second["level"] == "warning" and "run_id" not in second


def test_a_traceback_is_one_field_of_the_same_line(stream: io.StringIO) -> None:
    try:
        raise RuntimeError("index went away")
    except RuntimeError:
        logging.getLogger("crawler").exception("could not record")
    (record,) = lines(stream)
    assert "RuntimeError: index went away" in str(record["exception"])


def test_the_level_filters_and_text_mode_removes_the_handler(stream: io.StringIO) -> None:
    set_log_level("WARNING")
    logging.getLogger("crawler").info("quiet")
    logging.getLogger("crawler").error("loud")
    assert [r["event"] for r in lines(stream)] == ["loud"]
    assert json_logging()
    configure_logging("text")
    assert not json_logging()
    assert not any(isinstance(h, JsonLogHandler) for h in logging.getLogger().handlers)


def test_an_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match="text, json"):
        configure_logging("xml")  # type: ignore[arg-type]

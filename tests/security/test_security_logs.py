"""Log injection: a listing's text cannot forge log lines or drive the operator's terminal.

In JSON mode each record is one JSON object on one line (``config/logs.py``); the crawl's own
listing lines quote the title with ``repr`` in text mode too. The whole crawl is checked in
tests/ipwatch/test_ipwatch_observability.py.
"""

from __future__ import annotations

import io
import json
import logging

from config.logs import configure_logging


def test_log_injection_by_newline_and_ansi_escape_in_a_title_stays_one_json_line() -> None:
    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream)
    title = 'Cheap mouse\n{"level": "error", "event": "forged"}\x1b[2J\x1b[31mred\r'
    logging.getLogger("crawler").warning("listing %s", title, extra={"listing_id": "L\n1"})
    configure_logging("text")
    raw = stream.getvalue()
    assert raw.count("\n") == 1 and "\x1b" not in raw and "\r" not in raw
    (record,) = [json.loads(line) for line in raw.splitlines()]
    assert record["event"] == f"listing {title}"  # the text itself, escaped, not altered
    assert record["listing_id"] == "L\n1"

"""Log records as text or as one JSON object per line, with the crawl run's fields bound once.

Every record goes through stdlib ``logging`` (ours, Scrapy's, Twisted's, uvicorn's), so one
root handler with structlog's ``ProcessorFormatter`` turns all of them into JSON: ``ts`` (ISO
UTC), ``level``, ``logger``, ``event`` and, when known, ``run_id``, ``marketplace`` and
``listing_id``. A crawl binds the first two as context variables; code that logs about one
listing passes ``extra={"listing_id": ...}``. JSON escaping keeps hostile text on one line.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Literal

import structlog

if TYPE_CHECKING:
    from typing import TextIO

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
# Fields a record may carry in ``extra=``; anything else passed there stays out of the line.
CONTEXT_FIELDS = ("run_id", "marketplace", "listing_id")


class JsonLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The root handler of JSON mode; its type tells a crawl not to install Scrapy's own."""


def json_formatter() -> logging.Formatter:
    """One JSON object per record: stdlib fields, bound context, then the allowed extras."""
    pre_chain: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(allow=CONTEXT_FIELDS),
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
    ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _leading_fields,
            structlog.processors.JSONRenderer(ensure_ascii=True),
        ],
    )


def _leading_fields(
    logger: object, method: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """ts, level, logger, event first, so a person reading the raw lines finds them."""
    first = {key: event.pop(key) for key in ("ts", "level", "logger", "event") if key in event}
    return {**first, **event}


def configure_logging(
    fmt: LogFormat = "text", level: str | int = "INFO", stream: TextIO | None = None
) -> None:
    """Install the root handler for ``fmt``; text mode leaves logging as the tools set it."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format {fmt!r}: use one of {', '.join(LOG_FORMATS)}")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, JsonLogHandler)]:
        root.removeHandler(handler)
        handler.close()
    if fmt == "text":
        return
    handler = JsonLogHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(json_formatter())
    root.addHandler(handler)
    set_log_level(level)


def json_logging() -> bool:
    """Is JSON mode on? Then a crawl must not add Scrapy's text handler beside ours."""
    return any(isinstance(h, JsonLogHandler) for h in logging.getLogger().handlers)


def set_log_level(level: str | int) -> None:
    """The level of JSON mode's handler (a crawl applies its configured ``log_level``)."""
    root = logging.getLogger()
    root.setLevel(logging.NOTSET)
    for handler in root.handlers:
        if isinstance(handler, JsonLogHandler):
            handler.setLevel(level.upper() if isinstance(level, str) else level)


def bind_run(run_id: str, marketplace: str) -> None:
    """Every later record of this context (and of tasks it starts) names the run."""
    structlog.contextvars.bind_contextvars(run_id=run_id, marketplace=marketplace)


def unbind_run() -> None:
    structlog.contextvars.unbind_contextvars("run_id", "marketplace")

"""Console helpers: listing text is hostile, so it is shown as plain Text, never as Rich markup."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

console = Console()
err_console = Console(stderr=True)


def plain(value: object, limit: int = 200) -> Text:
    """Untrusted text for a table cell: no markup, control characters dropped, length capped."""
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch.isprintable() or ch in " \n")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return Text(text)

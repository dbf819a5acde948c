from __future__ import annotations

from ipwatch.console import plain


def test_markup_is_not_interpreted_and_terminal_escapes_are_dropped() -> None:
    text = plain("[bold]x[/bold] \x1b[31mred\x1b[0m\x07 line\nnext")
    assert text.plain == "[bold]x[/bold] [31mred[0m line\nnext"
    assert not text.spans


def test_long_values_are_capped() -> None:
    assert plain("a" * 500, limit=10).plain == "a" * 9 + "…"
    assert plain(None).plain == ""

"""Profile regexes and selectors, checked when a profile loads and run in bounded time.

A profile's ``item_id`` regex runs on every listing URL, and URLs come from the marketplace's
pages. With ``google-re2`` installed it is compiled by RE2 (linear time, no backtracking).
Without it, Python's ``re`` runs it, and patterns that can backtrack catastrophically are
refused at load: backreferences, lookaround, conditionals, a repeat inside a repeat, or more
than ``MAX_UNBOUNDED`` unbounded repeats; the URL it sees is also cut at ``MAX_SUBJECT``.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from typing import Any, Protocol

MAX_SUBJECT = 2048  # characters of a URL an item_id regex sees
MAX_UNBOUNDED = 2

try:  # linear time: the only engine safe for any pattern
    import re2 as _re2  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    _re2 = None

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
_BACKTRACKING = {
    sre.GROUPREF: "backreferences",
    sre.GROUPREF_EXISTS: "conditional groups",
    sre.ASSERT: "lookahead/lookbehind",
    sre.ASSERT_NOT: "lookahead/lookbehind",
}


class Matcher(Protocol):
    """What both engines' compiled patterns offer (``re.Pattern`` and RE2's)."""

    @property
    def groups(self) -> int: ...

    def search(self, string: str) -> Any: ...


def compile_regex(pattern: str) -> Matcher:
    """Compile a profile regex, or raise ValueError saying what to change."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(
            f"not a valid regular expression ({exc}); escape ( ) [ ] . + * ?"
        ) from None
    if _re2 is not None:
        try:
            return _re2.compile(pattern)  # type: ignore[no-any-return]
        except Exception as exc:  # re2 raises its own error type
            raise ValueError(
                f"RE2 cannot run this regular expression ({exc}); drop backreferences and "
                "lookaround"
            ) from None
    _check_linear(sre_parse.parse(pattern).data, inside_repeat=False, count=[0])
    return compiled


def _check_linear(items: list[Any], *, inside_repeat: bool, count: list[int]) -> None:
    for op, av in items:
        if op in _BACKTRACKING:
            raise ValueError(f"{_BACKTRACKING[op]} can make matching take exponential time")
        if op in _REPEATS:
            low, high, body = av
            variable = high != low
            if variable and inside_repeat:
                raise ValueError(
                    "a repeat inside a repeat (like (a+)+) can make matching take exponential "
                    "time; write it without nesting, e.g. [^/]+ for a path segment"
                )
            if high == sre.MAXREPEAT:
                count[0] += 1
                if count[0] > MAX_UNBOUNDED:
                    raise ValueError(
                        f"more than {MAX_UNBOUNDED} unbounded repeats (+, *, {{n,}}); anchor the "
                        "pattern on fixed text instead"
                    )
            _check_linear(body, inside_repeat=inside_repeat or high > 1, count=count)
        elif op == sre.SUBPATTERN:
            _check_linear(av[-1], inside_repeat=inside_repeat, count=count)
        elif op == sre.BRANCH:
            for branch in av[1]:
                _check_linear(branch, inside_repeat=inside_repeat, count=count)
        elif op == getattr(sre, "ATOMIC_GROUP", None):
            _check_linear(av, inside_repeat=inside_repeat, count=count)


def check_selector(expression: str) -> None:
    """Raise ValueError unless ``expression`` is valid CSS (``::text``/``::attr()``) or xpath:..."""
    from cssselect import SelectorError
    from lxml import etree
    from parsel.csstranslator import HTMLTranslator

    if expression.startswith("xpath:"):
        try:
            etree.XPath(
                expression.removeprefix("xpath:"),
                namespaces={"re": "http://exslt.org/regular-expressions"},
            )
        except etree.XPathSyntaxError as exc:
            raise ValueError(
                f"invalid XPath ({exc}); check brackets and quotes after 'xpath:'"
            ) from None
        return
    try:
        HTMLTranslator().css_to_xpath(expression)
    except (SelectorError, ValueError) as exc:
        raise ValueError(
            f"invalid CSS selector ({exc}); use CSS with ::text or ::attr(name), "
            "or 'xpath:' followed by an XPath"
        ) from None

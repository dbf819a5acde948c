"""Render a notice format to files, escaping hostile listing text for the output it writes.

Every ``{{ value }}`` goes through the output's escaping, so no template can forget it:

- ``html``: Jinja2 autoescape (nothing from a listing is ever marked safe);
- ``csv``: each value becomes one quoted cell, on one line, and a cell a spreadsheet would run
  as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) is prefixed with ``'``
  (as ipwatch's other CSV exports do);
- ``text``: control, bidirectional-override and invisible characters become spaces and line
  breaks are folded, so a title cannot forge lines of the notice or hide text.

Templates run in Jinja2's immutable sandbox with undefined names as errors: a team's template
can read the notice but call nothing unsafe, and a typo fails instead of printing nothing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from enforcement.exceptions import NoticeFormatError
from enforcement.formats import MEDIA_TYPES

if TYPE_CHECKING:
    from collections.abc import Callable

    from enforcement.content import NoticeContent, Right
    from enforcement.formats import NoticeFormat

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_VALUE = 2000  # characters of one value in a notice; longer listing text is cut
# C0/C1 controls, bidi embeddings/overrides/isolates, zero-width and line/paragraph separators
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


@dataclass(frozen=True)
class RenderedFile:
    name: str
    data: bytes
    media_type: str


def one_line(value: Any) -> str:
    """Text that stays on its line and shows what it says; long values are cut with '…'."""
    if value is None:
        return ""
    text = " ".join(_HIDDEN.sub(" ", str(value)).split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def csv_cell(value: Any) -> str:
    """One quoted CSV cell; a would-be formula is prefixed with ``'``."""
    text = one_line(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


def _environment(fmt: NoticeFormat) -> ImmutableSandboxedEnvironment:
    finalize: Callable[[Any], Any] | None = {"csv": csv_cell, "text": one_line}.get(fmt.output)
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(fmt.folder)),
        autoescape=fmt.output == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize if finalize is not None else _html_value,
    )
    return env


def _html_value(value: Any) -> Any:
    """HTML output: values are escaped by autoescape; invisible characters still go."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return one_line(value)
    return value


def _chunks(content: NoticeContent, per_file: int) -> list[tuple[Any, ...]]:
    items = content.items
    if per_file <= 0 or len(items) <= per_file:
        return [items]
    return [items[i : i + per_file] for i in range(0, len(items), per_file)]


def _rights(items: tuple[Any, ...]) -> list[Right]:
    seen: dict[str, Right] = {}
    for item in items:
        seen.setdefault(item.right.asset_id, item.right)
    return list(seen.values())


def render(fmt: NoticeFormat, content: NoticeContent) -> list[RenderedFile]:
    """The format's files for ``content``: one, or one per ``per_file`` listings."""
    if not content.items:
        raise NoticeFormatError("a notice needs at least one listing")
    env = _environment(fmt)
    try:
        template = env.get_template(fmt.template)
    except TemplateError as exc:
        raise NoticeFormatError(f"{fmt.folder / fmt.template}: {exc}") from None
    chunks = _chunks(content, fmt.per_file)
    out = []
    for part, items in enumerate(chunks, start=1):
        try:
            text = template.render(
                notice=content,
                items=items,
                rights=_rights(items),
                photo_items=[i for i in items if i.photo_copy],
                part=part,
                parts=len(chunks),
                first=(part - 1) * max(fmt.per_file, 0),
                options=fmt.options,
            )
        except TemplateError as exc:
            raise NoticeFormatError(
                f"{fmt.folder / fmt.template}: {exc}; fix the template (templates read "
                f"notice, items, rights, photo_items, part, parts, options)"
            ) from None
        name = fmt.file_for(content.notice_id, part, len(chunks))
        out.append(RenderedFile(name, text.encode("utf-8"), MEDIA_TYPES[fmt.output]))
    return out


def as_plain(content: NoticeContent) -> dict[str, Any]:
    """The content as plain values (what a webhook or the JSON API shows)."""
    return dataclasses.asdict(content)

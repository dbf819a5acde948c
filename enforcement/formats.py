"""Notice formats are data: a folder per format holding ``format.yaml`` and a Jinja2 template.

The built-in formats live in ``enforcement/templates/``; a team adds or replaces one without
code by writing a folder of the same shape into the data folder's ``notice-templates/`` (a
folder there with a built-in's name replaces that format whole).

``format.yaml``::

    title: eBay VeRO bulk report           # shown by `ipwatch notices formats`
    marketplaces: [ebay]                   # the marketplaces it is the default for
    output: csv                            # text | csv | html: how listing text is escaped
    template: vero.csv.j2                  # the Jinja2 file beside it
    file_name: "{notice}-ebay-vero{part}.csv"
    per_file: 0                            # most listings per file (0: no limit); more are
                                           # split into parts: {part} is "" or "-2-of-3"
    options: {reason_codes: {...}}         # anything the template reads as ``options``
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from enforcement.exceptions import NoticeFormatError

BUILT_IN = Path(__file__).parent / "templates"
DESCRIPTOR = "format.yaml"
NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
MAX_DESCRIPTOR = 64 * 1024

Output = Literal["text", "csv", "html"]
MEDIA_TYPES: dict[str, str] = {
    "text": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


class NoticeFormat(BaseModel):
    """One format's descriptor, checked whole when it loads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    folder: Path = Path()
    title: str = Field(max_length=200)
    marketplaces: list[str] = Field(default_factory=list)
    output: Output
    template: str
    file_name: str
    per_file: int = Field(default=0, ge=0, le=100_000)
    language: str = "en"
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("template")
    @classmethod
    def _plain_template(cls, value: str) -> str:
        if "/" in value or "\\" in value or value.startswith("."):
            raise ValueError("must be a file name beside format.yaml, not a path")
        return value

    @field_validator("file_name")
    @classmethod
    def _file_name(cls, value: str) -> str:
        if "{notice}" not in value or "{part}" not in value:
            raise ValueError("must contain {notice} and {part}, e.g. '{notice}-vero{part}.csv'")
        if "/" in value or "\\" in value or value.startswith("."):
            raise ValueError("must be a plain file name")
        try:
            value.format(notice="N", part="")
        except (KeyError, IndexError, ValueError):
            raise ValueError("may use only {notice} and {part}") from None
        return value

    def file_for(self, notice_id: str, part: int, parts: int) -> str:
        suffix = "" if parts == 1 else f"-{part}-of-{parts}"
        return self.file_name.format(notice=notice_id, part=suffix)


def load_format(folder: Path) -> NoticeFormat:
    """The format in ``folder``; NoticeFormatError names the file, the field and the fix."""
    name = folder.name
    if not NAME_RE.fullmatch(name):
        raise NoticeFormatError(
            f"{folder}: a format folder's name must be lowercase letters, digits and '-'"
        )
    path = folder / DESCRIPTOR
    try:
        raw = path.read_bytes()[: MAX_DESCRIPTOR + 1]
    except OSError as exc:
        raise NoticeFormatError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_DESCRIPTOR:
        raise NoticeFormatError(f"{path}: larger than {MAX_DESCRIPTOR} bytes")
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        raise NoticeFormatError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise NoticeFormatError(f"{path}: expected a mapping of settings")
    try:
        fmt = NoticeFormat.model_validate({**data, "name": name, "folder": folder})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise NoticeFormatError(f"{path}: {where}: {first['msg']}") from None
    if not (folder / fmt.template).is_file():
        raise NoticeFormatError(f"{path}: template {fmt.template} is not in {folder}")
    return fmt


def load_formats(extra: Path | None = None) -> dict[str, NoticeFormat]:
    """Every format by name: the built-in ones, then those in ``extra`` (which win)."""
    found: dict[str, NoticeFormat] = {}
    for root in (BUILT_IN, extra):
        if root is None or not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if (p / DESCRIPTOR).is_file()):
            fmt = load_format(folder)
            found[fmt.name] = fmt
    return found


def format_for(formats: dict[str, NoticeFormat], marketplace: str) -> NoticeFormat | None:
    """The format made for ``marketplace`` (the first by name), if any."""
    for name in sorted(formats):
        if marketplace.lower() in (m.lower() for m in formats[name].marketplaces):
            return formats[name]
    return None

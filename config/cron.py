"""Crontab expressions parsed once into value sets, so the scheduler and the exports agree.

Five fields (minute hour day-of-month month day-of-week) as in crontab(5), day-of-week 0 or 7
is Sunday; an optional sixth field in front is seconds (for sub-minute schedules and tests).
Supported: ``*``, ``N``, ``A-B``, ``*/S``, ``A-B/S``, ``N/S``, comma lists, month and day
names. Day-of-month and day-of-week may not both be restricted: crontab runs when either
matches, systemd and APScheduler only when both do, so the expression would mean two things.
"""

from __future__ import annotations

from dataclasses import dataclass

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class CronField:
    """One field: its name and the values it allows (sorted)."""

    name: str
    values: tuple[int, ...]
    restricted: bool  # False when every value of the field's range is allowed


@dataclass(frozen=True)
class CronSpec:
    expression: str
    second: CronField
    minute: CronField
    hour: CronField
    day: CronField
    month: CronField
    weekday: CronField  # 0 = Sunday
    has_seconds: bool


# (name, low, high, names for values starting at ``low``)
_SECOND = ("second", 0, 59, ())
_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day-of-month", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("day-of-week", 0, 7, DAYS),
)


def parse_cron(expression: str) -> CronSpec:
    """Parse or raise ``ValueError`` naming the field and what it accepts."""
    parts = expression.split()
    if len(parts) not in (5, 6):
        raise ValueError(
            f"{expression!r} has {len(parts)} field(s); write 5 (minute hour day-of-month "
            "month day-of-week, e.g. '0 3 * * *') or 6 with seconds first"
        )
    has_seconds = len(parts) == 6
    second = (
        _parse_field(parts.pop(0), *_SECOND)
        if has_seconds
        else CronField("second", (0,), restricted=True)
    )
    minute, hour, day, month, weekday = (
        _parse_field(text, *spec) for text, spec in zip(parts, _FIELDS, strict=True)
    )
    if day.restricted and weekday.restricted:
        raise ValueError(
            f"{expression!r} restricts both day-of-month and day-of-week: crontab runs when "
            "either matches, systemd and ipwatch only when both do; restrict one of them "
            "(use '*' for the other)"
        )
    return CronSpec(expression, second, minute, hour, day, month, weekday, has_seconds)


def _parse_field(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> CronField:
    values: set[int] = set()
    for part in text.split(","):
        values.update(_parse_part(part, name, low, high, names))
    if name == "day-of-week" and 7 in values:  # 7 is Sunday too
        values = (values - {7}) | {0}
        high = 6
    full = set(range(low, high + 1))
    return CronField(name, tuple(sorted(values)), restricted=values != full)


def _parse_part(part: str, name: str, low: int, high: int, names: tuple[str, ...]) -> range:
    base, _, step_text = part.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) < 1:
            raise ValueError(f"{name}: step {step_text!r} in {part!r} must be a whole number >= 1")
        step = int(step_text)
    if base == "*":
        start, end = low, high
    elif "-" in base:
        first, _, last = base.partition("-")
        start, end = _value(first, name, low, high, names), _value(last, name, low, high, names)
        if start > end:
            raise ValueError(f"{name}: range {base!r} runs backwards; write the low value first")
    else:
        start = _value(base, name, low, high, names)
        end = high if step_text else start
    return range(start, end + 1, step)


def _value(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> int:
    word = text.lower()
    if names and word in names:
        return names.index(word) + low
    if not text.isdigit() or not low <= int(text) <= high:
        spelled = f" or a name ({', '.join(names)})" if names else ""
        raise ValueError(f"{name}: {text!r} is not a number from {low} to {high}{spelled}")
    return int(text)

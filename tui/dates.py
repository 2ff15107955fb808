"""Dates as sources state them (ISO 8601, RFC 2822) -> aware UTC datetimes, and dates as the
TUI and the command line show them (one format for both)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from tui.local_time import day_only, day_text, local, moment_text, stated_day
from tui.rfc822 import read_rfc822

AGES_MOVE_EVERY = 30.0
"""Seconds between looks at whether an age on the screen has moved on (ages count minutes)."""

_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 or RFC 2822 date (zone names and other languages' names as `read_rfc822`
    reads them) as an aware UTC datetime to the second (naive ones are taken as UTC; a day
    without a time is `stated_day`'s); None when it is empty or neither."""
    value = (value or "").strip()
    if not value:
        return None
    if (day := bare_day(value)) is not None:
        return day
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = read_rfc822(value) or parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC).replace(microsecond=0)
    except (OverflowError, ValueError):
        return None


def bare_day(value: str) -> datetime | None:
    """`stated_day` of a day without a time, ISO 8601 (`2026-12-03`) or RFC 822
    (`Thu, 03 Dec 2026`); None for anything else."""
    value = value.strip()
    if not _DAY.fullmatch(value):
        moment = read_rfc822(value) if ":" not in value else None  # a time has a colon
        return moment if moment is not None and day_only(moment) else None
    try:
        return stated_day(date.fromisoformat(value))
    except ValueError:  # 2026-13-45
        return None


_SPANS = ((3600, 60, "m"), (86400 * 2, 3600, "h"), (86400 * 60, 86400, "d"))
_YEAR = 86400 * 365.25


def relative_age(moment: datetime | None, now: datetime) -> str:
    """A short age such as `now`, `5m`, `3h`, `2d`, `7mo` or `3y`, and `+3h` for a moment
    still ahead of `now` (a date stated ahead of the clock); at most four cells."""
    if moment is None:
        return ""
    seconds = (now - moment).total_seconds()
    if abs(seconds) < 60:
        return "now"
    if seconds < 0:
        return _ahead(-seconds)
    return _span(seconds)


def _ahead(seconds: float) -> str:
    """`+3h`; `+1y` for ten and eleven months (`+10mo` has no room), `+99y` at most."""
    span = _span(min(seconds, 99 * _YEAR))
    return "+" + (span if len(span) < 4 else "1y")


def _span(seconds: float) -> str:
    """`5m`, `3h`, `2d`, `7mo` or `3y` for a span of at least a minute."""
    for limit, unit, suffix in _SPANS:
        if seconds < limit:
            return f"{int(seconds // unit)}{suffix}"
    months = int(seconds // (86400 * 30.44))
    return f"{months}mo" if months < 12 else f"{int(seconds // _YEAR)}y"


def failing_text(since: datetime, now: datetime) -> str:
    """`failing since 2026-11-29 (5 days)`, the local day; the hour when that day is today
    (`failing since 09:40 (3h)`). A start the clock has since been set back before reads as
    now: the failure is no older than that."""
    since = min(since, now)
    days = (local(now).date() - local(since).date()).days
    if days < 1:
        return f"failing since {local(since):%H:%M} ({relative_age(since, now)})"
    return f"failing since {day_text(since)} ({days} day{'' if days == 1 else 's'})"


def published_text(moment: datetime, now: datetime, *, dated: bool = True) -> str:
    """`2026-03-01 14:05 (3h)`: the local time (the day alone when the article states no
    time), and the age; `first seen ...` when the article states no date (`moment` is then
    when newsdesk first saw it)."""
    return f"{'' if dated else 'first seen '}{moment_text(moment)} ({relative_age(moment, now)})"

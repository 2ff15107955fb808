"""Dates as sources state them (ISO 8601, RFC 2822) -> aware UTC datetimes, and dates as the
TUI and the command line show them (one format for both)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

AGES_MOVE_EVERY = 30.0
"""Seconds between looks at whether an age on the screen has moved on (ages count minutes)."""


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 or RFC 2822 date as an aware UTC datetime (naive ones are taken as UTC);
    None when it is empty or neither."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def relative_age(moment: datetime | None, now: datetime) -> str:
    """A short age such as `now`, `5m`, `3h`, `2d`, `7mo` or `3y` (at most four cells)."""
    if moment is None:
        return ""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "now"
    steps = ((3600, 60, "m"), (86400 * 2, 3600, "h"), (86400 * 60, 86400, "d"))
    for limit, unit, suffix in steps:
        if seconds < limit:
            return f"{int(seconds // unit)}{suffix}"
    months = int(seconds // (86400 * 30.44))
    return f"{months}mo" if months < 12 else f"{int(seconds // (86400 * 365.25))}y"


def failing_text(since: datetime, now: datetime) -> str:
    """`failing since 2026-11-29 (5 days)`, the day in `now`'s zone; the hour when it began
    less than a day ago (`failing since 09:40 (3h)`)."""
    days = int((now - since).total_seconds() // 86400)
    local = since.astimezone(now.tzinfo)
    if days < 1:
        return f"failing since {local:%H:%M} ({relative_age(since, now)})"
    return f"failing since {local:%Y-%m-%d} ({days} day{'' if days == 1 else 's'})"


def published_text(moment: datetime, now: datetime, *, dated: bool = True) -> str:
    """`2026-03-01 14:05 (3h)`: local time of `now`'s zone, and the age; `first seen ...`
    when the article states no date (`moment` is then when newsdesk first saw it)."""
    stamp = moment.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
    return f"{'' if dated else 'first seen '}{stamp} ({relative_age(moment, now)})"

"""Dates as newsdesk shows them: each moment in the local zone's rules for that moment (a July
date in summer time, even in December), and a date stated without a time as that very day.

A date stated without a time (`2026-12-03`) is stored as that day's 12:00:00.5 UTC: the half
second marks it (a date with a time is kept to the second), so it is shown as the day alone,
the same day in every zone. Noon, not midnight: it sorts among the articles of its own local
day from UTC-11 to UTC+11 (at midnight UTC it fell among the day before's, west of UTC), and
a `since:`/`before:` day (UTC) holds it. Light: `list` and `search` load it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

_DAY_ONLY = time(12, 0, 0, 500_000)


def stated_day(day: date) -> datetime:
    """The moment stored for `day` stated without a time."""
    return datetime.combine(day, _DAY_ONLY, tzinfo=UTC)


def day_only(moment: datetime) -> bool:
    """Whether `moment` is a date stated without a time (see `stated_day`)."""
    return moment.astimezone(UTC).time() == _DAY_ONLY


def local(moment: datetime) -> datetime:
    """`moment` in local time, with the offset the local rules give that moment."""
    return moment.astimezone()


def day_text(moment: datetime) -> str:
    """`2026-12-03`: the local day, or the day stated without a time."""
    return f"{_day(moment):%Y-%m-%d}"


def moment_text(moment: datetime) -> str:
    """An article's date: `2026-12-03 14:05` in local time, or `2026-12-03` for a day stated
    without a time."""
    return day_text(moment) if day_only(moment) else clock_text(moment)


def clock_text(moment: datetime) -> str:
    """`2026-12-03 14:05` in local time: a moment of newsdesk's own (a retry), never a day."""
    return f"{local(moment):%Y-%m-%d %H:%M}"


def iso_text(moment: datetime) -> str:
    """ISO 8601 in UTC for `--json`, always a whole timestamp (scripts parse it as one): a
    day stated without a time is its noon, and `day_only` says so."""
    return moment.replace(microsecond=0).isoformat()


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date() if day_only(moment) else local(moment).date()

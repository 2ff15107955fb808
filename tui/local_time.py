"""Dates as newsdesk shows them: each moment in the local zone's rules for that moment (a July
date in summer time, even in December). Light: `list` and `search` load it."""

from __future__ import annotations

from datetime import datetime


def local(moment: datetime) -> datetime:
    """`moment` in local time, with the offset the local rules give that moment."""
    return moment.astimezone()


def day_text(moment: datetime) -> str:
    """`2026-12-03`: the local day."""
    return f"{local(moment):%Y-%m-%d}"


def moment_text(moment: datetime) -> str:
    """`2026-12-03 14:05` in local time."""
    return f"{local(moment):%Y-%m-%d %H:%M}"

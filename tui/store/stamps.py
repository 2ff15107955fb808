"""Timestamps as the store keeps them: UNIX seconds in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def to_datetime(stamp: object) -> datetime | None:
    """A stored UNIX timestamp as an aware UTC datetime (None stays None)."""
    return datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int | float) else None


def to_stamp(moment: datetime | None) -> float | None:
    """An aware datetime as a UNIX timestamp for storage."""
    return moment.timestamp() if moment else None

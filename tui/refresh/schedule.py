"""When a source is due: skip reasons, back-off after failures, and the Retry-After cap.

When a source is skipped:
- dead (410 Gone): until it is refreshed by name, which revives it;
- a 429/503 `next_retry` in the future: always (the server asked; Retry-After is capped at 24 h);
- the back-off `next_retry` after other failures: only by automatic refreshes (`force=False`).
  A manual refresh (`newsdesk refresh`, the `R` key) should pass `force=True`; naming a
  source also overrides the back-off.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tui.config import Config, Settings, SourceConfig
from tui.models import SourceState

MAX_DELAY = 24 * 3600.0
"""Longest back-off or Retry-After honoured, in seconds."""
DEFAULT_INTERVAL_MINUTES = 30


def skip_reason(
    source: SourceConfig, state: SourceState, explicit: bool, force: bool, now: float
) -> str | None:
    """Why `source` is not refreshed now, or None when it is due."""
    if not source.enabled:
        return "disabled in feeds.toml"
    if state.dead and not explicit:
        return "gone (HTTP 410); refresh it by name to try again"
    retry = state.next_retry.timestamp() if state.next_retry else None
    if retry is None or retry <= now or state.dead:
        return None
    when = _local_time(retry)
    if state.status in (429, 503):
        return f"the server asked to wait until {when} (HTTP {state.status})"
    if not (force or explicit):
        return f"failing; next try at {when}"
    return None


def backoff(state: SourceState, interval: float) -> float:
    """The refresh interval, doubled for each consecutive failure, at most a day."""
    previous = None
    if state.error is not None and state.next_retry and state.checked_at:
        previous = (state.next_retry - state.checked_at).total_seconds()
    delay = max(interval, 2 * previous) if previous and previous > 0 else interval
    return min(delay, MAX_DELAY)


def refresh_interval(source: SourceConfig, settings: Settings) -> float:
    """Seconds between refreshes of `source`: its own setting, the global one, or the default."""
    minutes = source.refresh_minutes or settings.refresh_minutes or DEFAULT_INTERVAL_MINUTES
    return minutes * 60.0


def due_sources(config: Config, states: Sequence[SourceState], now: float) -> list[str]:
    """The enabled sources an automatic refresh should fetch now: never refreshed, or whose
    interval has passed; dead sources and those waiting for a retry time are left out."""
    by_name = {state.name: state for state in states}
    due: list[str] = []
    for source in config.sources:
        minutes = source.refresh_minutes
        minutes = config.settings.refresh_minutes if minutes is None else minutes
        state = by_name.get(source.name)
        if not source.enabled or minutes <= 0:
            continue
        if state is None or state.checked_at is None:
            due.append(source.name)
            continue
        waiting = state.next_retry is not None and state.next_retry.timestamp() > now
        if not (state.dead or waiting) and state.checked_at.timestamp() + minutes * 60 <= now:
            due.append(source.name)
    return due


def _local_time(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")

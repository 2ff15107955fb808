"""When a source is due: skip reasons, back-off after failures, and the Retry-After cap.

When a source is skipped:
- dead (410 Gone): until it is refreshed by name, which revives it;
- a 429/503 `next_retry` in the future: always (the server asked; Retry-After is capped at 24 h);
- the back-off `next_retry` after other failures: only by automatic refreshes (`force=False`).
  A manual refresh (`newsdesk refresh`, the `R` key) should pass `force=True`; naming a
  source also overrides the back-off.

How long the back-off is (the README's "Refresh and retries" says the same):
- no answer at all (network down, DNS, TLS, timeout), or the network's own in the server's
  place (a captive portal's login, `tui.refresh.network`): the next automatic try is at most
  `NO_ANSWER_RETRY` away and never grows, since that is usually the user's network, not the
  server being dead;
- an answer that is an error (HTTP 404/500, a broken feed): the interval, doubled each time an
  automatic retry fails again, at most a day. Manual tries (`force`), before the retry time
  or after it, do not lengthen it.

`refresh_minutes = 0` means "never automatically" everywhere: in `[settings]` for every source,
on a source for that one; the back-off of such a source starts from `DEFAULT_INTERVAL_MINUTES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tui.config import Config, Settings, SourceConfig
from tui.local_time import clock_text
from tui.models import FetchOutcome, SourceState

MAX_DELAY = 24 * 3600.0
"""Longest back-off or Retry-After honoured, in seconds."""
DEFAULT_INTERVAL_MINUTES = 30
NO_ANSWER_RETRY = 5 * 60.0
"""Longest automatic wait after a failure where no server answered, in seconds."""
SERVER_ASKED = (429, 503)
"""Statuses whose Retry-After sets the next try: kept to the second, even by a manual try."""
DUE_EARLY = 30.0
"""A source this close to due counts as due: the TUI checks once a minute, and a source
refreshed at one check is a hair short of due at the next (one minute came out as two)."""


def skip_reason(
    source: SourceConfig, state: SourceState, explicit: bool, force: bool, now: float
) -> str | None:
    """Why `source` is not refreshed now, or None when it is due."""
    if not source.enabled:
        return "disabled in feeds.toml"
    if state.dead and not explicit:
        return "gone (HTTP 410); refresh it by name to try again"
    retry = next_try(state, now)
    if retry is None or retry <= now or state.dead:
        return None
    when = _local_time(retry)
    if state.status in SERVER_ASKED:
        return f"the server asked to wait until {when} (HTTP {state.status})"
    if not (force or explicit):
        return f"{WAITING} {when}"
    return None


WAITING = "failing; next try at"
"""How a skip for a failing source's back-off starts: the summary counts those apart."""


def waits(reason: str) -> bool:
    """Whether a source was skipped while it waits out its failure's back-off."""
    return reason.startswith(WAITING)


def backoff(
    state: SourceState, status: int | None, interval: float, now: float, manual: bool
) -> float:
    """Seconds until the next automatic try after a failure that answered `status` (None: no
    answer), given the source's state before it; a `manual` try keeps the wait it had."""
    if status is None:
        return min(interval, NO_ANSWER_RETRY)
    previous = None
    if state.error is not None and state.next_retry and state.checked_at:
        previous = (state.next_retry - state.checked_at).total_seconds()
    if not previous or previous <= 0:
        return min(interval, MAX_DELAY)
    retry_was_due = (retry := next_try(state, now)) is not None and retry <= now
    doubled = retry_was_due and not manual
    return min(max(interval, 2 * previous if doubled else previous), MAX_DELAY)


@dataclass(frozen=True)
class Failure:
    """A source's failed refresh, as its next try depends on it."""

    error: str
    status: int | None = None
    """The answer's HTTP status (None: no answer)."""
    retry_after: float | None = None
    """Seconds the server asked to wait (429, 503)."""
    dead: bool = False
    """410 Gone."""
    network: bool = False
    """The network answered in the server's place (a captive portal's login): the short
    back-off of no answer."""


def failed(
    failure: Failure,
    source: SourceConfig,
    state: SourceState,
    settings: Settings,
    now: float,
    manual: bool,
) -> FetchOutcome:
    """The failed outcome to record, with its next retry: none for a dead feed, the server's
    Retry-After (at most a day), else the back-off (kept as it was by a `manual` try)."""
    status, error = failure.status, failure.error
    if failure.dead:
        return FetchOutcome(status=status, error=error, dead=True)
    if failure.retry_after is not None:
        delay = min(failure.retry_after, MAX_DELAY)
    else:
        answered = None if failure.network else status
        delay = backoff(state, answered, backoff_interval(source, settings), now, manual)
    return FetchOutcome(
        status=status, error=error, next_retry=datetime.fromtimestamp(now + delay, UTC)
    )


def interval_minutes(source: SourceConfig, settings: Settings) -> int:
    """Minutes between automatic refreshes of `source`; 0 means never automatically."""
    return settings.refresh_minutes if source.refresh_minutes is None else source.refresh_minutes


def refreshes_itself(config: Config, name: str) -> bool:
    """Whether an automatic refresh ever fetches source `name` (so a next try is to come)."""
    source = config.source(name)
    return (
        config.settings.refresh_minutes > 0
        and source is not None
        and source.enabled
        and interval_minutes(source, config.settings) > 0
    )


def backoff_interval(source: SourceConfig, settings: Settings) -> float:
    """Seconds the back-off of `source` starts from: its interval, or the default when off."""
    return (interval_minutes(source, settings) or DEFAULT_INTERVAL_MINUTES) * 60.0


def due_sources(config: Config, states: Sequence[SourceState], now: float) -> list[str]:
    """The enabled sources an automatic refresh should fetch now: never refreshed, or whose
    interval (or, after a failure, retry time) has come; dead sources are left out."""
    if config.settings.refresh_minutes <= 0:  # automatic refresh is off altogether
        return []
    by_name = {state.name: state for state in states}
    due: list[str] = []
    for source in config.sources:
        minutes = interval_minutes(source, config.settings)
        state = by_name.get(source.name)
        if not source.enabled or minutes <= 0 or (state is not None and state.dead):
            continue
        if state is None or state.checked_at is None or _is_due(state, minutes, now):
            due.append(source.name)
    return due


def next_try(state: SourceState, now: float) -> float | None:
    """When the source's stored retry time comes, read by a clock that may have been set
    back since it was written (or run ahead then): now, once it is further from `now` than
    the wait it was given when checked (at most `MAX_DELAY`), so a jump of the clock holds
    no source for as long as the jump."""
    if state.next_retry is None:
        return None
    retry = state.next_retry.timestamp()
    given = retry - state.checked_at.timestamp() if state.checked_at else MAX_DELAY
    return now if retry - now > min(max(given, 0.0), MAX_DELAY) else retry


def next_try_text(state: SourceState, now: float) -> str:
    """`next try 2026-12-04 22:00`; once that time has passed, the next refresh tries it
    (`sources` and the sources pane say it the same); "" with none."""
    if (retry := next_try(state, now)) is None:
        return ""
    return f"next try {_local_time(retry)}" if retry > now else "next try at the next refresh"


def _is_due(state: SourceState, minutes: int, now: float) -> bool:
    """A failing source is due at its retry time (within `DUE_EARLY` too, unless the server
    set it: a back-off told as 1 minute was 2); the others when their interval has passed
    (within `DUE_EARLY`; at once after a check the clock has since been set back before)
    and no Retry-After asks them to wait."""
    assert state.checked_at is not None
    retry = next_try(state, now)
    if retry is not None and (state.error is not None or retry > now):
        backing_off = state.error is not None and state.status not in SERVER_ASKED
        return retry <= now + (DUE_EARLY if backing_off else 0.0)
    checked = state.checked_at.timestamp()
    return checked > now or checked + minutes * 60 <= now + DUE_EARLY


def _local_time(stamp: float) -> str:
    return clock_text(datetime.fromtimestamp(stamp, UTC))

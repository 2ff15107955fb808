"""When automatic refreshes happen: intervals as checked once a minute, `0` means off, and
a failing source's retry time. Times are injected; nothing sleeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tui.config import Config, Settings, SourceConfig, SyncConfig
from tui.models import SourceKind, SourceState
from tui.refresh.schedule import Failure, backoff_interval, due_sources, failed, next_try
from tui.store import Store
from tui.sync.due import sync_due

T0 = 1_800_000_000.0
CHECK = 60.0
"""The TUI looks for due sources once a minute."""


def stamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def checked(name: str, at: float, **fields: object) -> SourceState:
    return SourceState(
        1, name, SourceKind.WEB, "http://x.test/", (), 0, 0, checked_at=stamp(at), **fields
    )  # type: ignore[arg-type]


def make_config(*sources: SourceConfig, minutes: int = 30) -> Config:
    return Config(Path("feeds.toml"), sources, settings=Settings(refresh_minutes=minutes))


def fetches_in(config: Config, duration: float, took: float) -> int:
    """How often the one source is fetched when checks run every minute and each refresh
    is recorded `took` seconds after the check that started it."""
    state: SourceState | None = None
    fetches = 0
    now = T0
    while now < T0 + duration:
        if due_sources(config, [state] if state else [], now):
            fetches += 1
            state = checked("A", now + took)
        now += CHECK
    return fetches


def test_one_minute_means_every_minute() -> None:
    config = make_config(SourceConfig("A", url="http://x.test/"), minutes=1)
    assert fetches_in(config, 10 * 60, took=0.4) == 10
    assert fetches_in(config, 10 * 60, took=15) == 10


def test_thirty_minutes_means_thirty_not_thirty_one() -> None:
    config = make_config(SourceConfig("A", url="http://x.test/"), minutes=30)
    assert fetches_in(config, 3 * 3600, took=2) == 6


def test_zero_means_off_everywhere() -> None:
    off = make_config(SourceConfig("A", url="http://x.test/"), minutes=0)
    assert due_sources(off, [], T0) == []
    assert due_sources(off, [checked("A", T0 - 86400)], T0) == []
    own_ten = make_config(SourceConfig("A", url="http://x.test/", refresh_minutes=10), minutes=0)
    assert due_sources(own_ten, [checked("A", T0 - 86400)], T0) == []  # off is off for all
    own_zero = make_config(SourceConfig("A", url="http://x.test/", refresh_minutes=0))
    assert due_sources(own_zero, [checked("A", T0 - 86400)], T0) == []
    # A failure of a source that is never refreshed automatically still waits a sane time
    # before the next launch tries it (the default interval), not zero.
    assert backoff_interval(off.sources[0], off.settings) == 30 * 60
    assert backoff_interval(own_zero.sources[0], own_zero.settings) == 30 * 60


def test_a_failing_source_is_due_at_its_retry_time() -> None:
    config = make_config(SourceConfig("A", url="http://x.test/"), minutes=30)
    failing = checked("A", T0, error="offline", next_retry=stamp(T0 + 300))
    assert due_sources(config, [failing], T0 + 240) == []
    assert due_sources(config, [failing], T0 + 300) == ["A"]
    asked = checked("A", T0, status=200, next_retry=stamp(T0 + 3600))  # Retry-After on success
    assert due_sources(config, [asked], T0 + 1800) == []
    assert due_sources(config, [asked], T0 + 3600) == ["A"]


def test_a_clock_set_back_holds_no_source_for_as_long_as_the_jump() -> None:
    config = make_config(SourceConfig("A", url="http://x.test/"), minutes=30)
    hours_ahead = T0 + 3 * 3600  # each written while the clock ran 3 hours ahead
    no_answer = checked("A", hours_ahead, error="offline", next_retry=stamp(hours_ahead + 300))
    assert due_sources(config, [no_answer], T0) == ["A"]  # not at 03:05 by the clock now
    day = checked("A", hours_ahead, error="HTTP 500", next_retry=stamp(hours_ahead + 86400))
    assert due_sources(config, [day], T0) == ["A"]  # 27 hours: longer than any wait
    ok = checked("A", hours_ahead, status=200)
    assert due_sources(config, [ok], T0) == ["A"]  # not in 3 hours and 30 minutes
    assert due_sources(config, [checked("A", T0)], T0) == []  # a check just made waits
    far = checked("A", T0, error="HTTP 500", next_retry=stamp(T0 + 3 * 86400))  # past every cap
    assert next_try(far, T0) == T0


def test_the_waits_told_after_failures_are_the_waits_done() -> None:
    # "next try 03:15" was tried at 03:16: the check a minute on came a hair before it.
    config = make_config(SourceConfig("A", url="http://x.test/"), minutes=1)
    state = checked("A", T0 - 60)
    tries = []
    for now in (T0 + minute * CHECK for minute in range(10)):
        if due_sources(config, [state], now):
            tries.append((now - T0) / 60)
            at = now + 2  # the failure recorded as the fetch ends
            outcome = failed(
                Failure("HTTP 500", 500),
                config.sources[0],
                state,
                config.settings,
                at,
                manual=False,
            )
            state = checked("A", at, status=500, error="HTTP 500", next_retry=outcome.next_retry)
    assert tries == [0, 1, 3, 7]  # waits of 1, 2 and 4 minutes
    asked = checked("A", T0, status=503, error="HTTP 503", next_retry=stamp(T0 + 60.5))
    assert due_sources(config, [asked], T0 + 60) == []  # a server's Retry-After: to the second


def test_a_clock_set_back_holds_no_sync(tmp_path: Path) -> None:
    sync = SyncConfig("ttrss", "https://rss.example/", "me", password="pw")
    config = replace(make_config(minutes=30), sync=sync)
    store = Store.open(tmp_path / "newsdesk.db")
    store.sync_set("last_attempt", str(T0 + 86400))  # by a clock a day ahead
    assert sync_due(config, store, T0)
    store.sync_set("last_attempt", str(T0 - 60))
    assert not sync_due(config, store, T0)
    store.close()

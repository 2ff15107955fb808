"""The app left open for hours: a refresh each minute, and a wall clock set back meanwhile."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Label

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import NOW, make_config
from tests.ui.test_reading import parts
from tests.ui.test_refresh import recent_rss
from tui.config import Config, Settings, SourceConfig
from tui.local_time import clock_text, local
from tui.models import FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.refresher import Refresher
from tui.ui.screens.dialogs import NoteDialog


def wall_clock() -> datetime:
    return datetime.now(UTC)


def failed_at(store: Store, name: str, url: str, at: float, wait: float) -> None:
    """`name` failed without an answer at `at` (by the clock then), its next try `wait` later."""
    source = store.ensure_source(name, SourceKind.WEB, url, ())
    retry = datetime.fromtimestamp(at + wait, UTC)
    failure = FetchOutcome(error="timed out after 10 s", next_retry=retry)
    store.record_refresh(source, None, failure, now=at)


async def test_a_clock_set_back_holds_no_source_for_the_jump(
    new_app: AppFactory, store: Store, feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.feed("/fresh.xml", recent_rss("Fresh", 2))
    config = Config(
        path=tmp_path / "feeds.toml",
        sources=(SourceConfig("Fresh", url=url),),
        settings=Settings(refresh_minutes=1),
    )
    failed_at(store, "Fresh", url, time.time() + 86400, 300)  # the clock a day ahead, then back
    app = new_app(config=config, now=wall_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        problem = screen.sources.entries["source:Fresh"].problem or ""
        assert problem.endswith("(now), next try at the next refresh")  # not (+23h), tomorrow
        screen.refresher.post_message(Refresher.Due())  # the next minute's automatic refresh
        await settle(pilot)
        assert feed_server.hits("/fresh.xml") == 1  # not held until tomorrow
        assert screen.sources.entries["source:Fresh"].problem is None


async def test_a_failing_sources_next_try_is_told_as_newsdesk_sources_tells_it(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    # The status line and `i` said since when it failed, never when it is tried again.
    broken = store.ensure_source("Broken Feed", SourceKind.WEB, "https://broken.example/rss")
    retry = NOW + timedelta(minutes=4)
    failure = FetchOutcome(status=500, error="HTTP 500 Internal Server Error", next_retry=retry)
    store.record_refresh(broken, None, failure, now=NOW.timestamp())
    app = new_app(config=make_config(tmp_path, refresh_minutes=1))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        said = f"HTTP 500 Internal Server Error; failing since {local(NOW):%H:%M} (now), "
        said += f"next try {clock_text(retry)}"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert f"Broken Feed: {said}" in screen.status.detail
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert str(app.screen.query_one("#note-text", Label).content) == said


async def test_the_automatic_refresh_toasts_only_what_changed(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # Every minute toasted "Mover: feed moved permanently …" and "1 source failed" again:
    # at 80x24 they covered the reader. `R` says everything, as now.
    new = feed_server.feed("/new.xml", recent_rss("Mover", 1))
    sources = (
        SourceConfig("Down", url=feed_server.status("/down.xml", 500)),
        SourceConfig("Mover", url=feed_server.redirect("/old.xml", new)),
        SourceConfig("Flaky", url=feed_server.feed("/flaky.xml", recent_rss("Flaky", 1))),
    )
    config = Config(tmp_path / "feeds.toml", sources, settings=Settings(refresh_minutes=1))
    clock = [time.time()]
    app = new_app(config=config, now=lambda: datetime.fromtimestamp(clock[0], UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        notes = record_notifications(app)

        async def refreshed(*, minutes: float = 0, keys: tuple[str, ...] = ()) -> list[str]:
            notes.clear()
            clock[0] += minutes * 60
            if minutes:  # the minute's tick
                screen.refresher.post_message(Refresher.Due())
            await pilot.press(*keys)
            await settle(pilot)
            return [text for _, text in notes]

        moved = f"Mover: feed moved permanently to {new}"
        said = await refreshed(keys=("R",))
        assert "1 source failed: marked ! in Sources (! goes to each)" in said
        assert any(text.startswith(moved) for text in said)
        assert await refreshed(minutes=3) == []  # each source again, nothing new to say
        assert feed_server.hits("/down.xml") == 2 and feed_server.hits("/new.xml") == 2
        feed_server.status("/flaky.xml", 500)
        assert await refreshed(minutes=3) == [
            "1 source failed: marked ! in Sources (! goes to each)"
        ]
        said = await refreshed(keys=("R",))
        assert "2 sources failed: marked ! in Sources (! goes to each)" in said
        assert any(text.startswith(moved) for text in said)


async def test_a_fetch_timed_out_while_the_app_was_stopped_is_tried_again(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # ctrl+z during a refresh, `fg` 90 s later: a feed that answered in 4 s was marked
    # "timed out after 10 s". Here the first answer outlasts the timeout, the second is quick.
    body = recent_rss("Slow", 1)

    def first_slow(h: Any) -> None:
        if feed_server.hits("/slow.xml") == 1:
            h.pause(None)  # until the server stops: long after the timeout
        else:
            h.reply(200, body, [("Content-Type", "application/rss+xml")])

    url = feed_server.route("/slow.xml", first_slow)
    settings = Settings(refresh_minutes=0, timeout_seconds=1)
    app = new_app(
        config=Config(tmp_path / "feeds.toml", (SourceConfig("Slow", url=url),), settings=settings)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("R")
        while not feed_server.hits("/slow.xml"):
            await pilot.pause()
        app.app_resume_signal.publish(app)  # `fg`: as Textual tells it, the fetch under way
        await settle(pilot)
        assert feed_server.hits("/slow.xml") == 2
        assert screen.sources.entries["source:Slow"].problem is None

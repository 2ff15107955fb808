"""The app left open for hours: a refresh each minute, and a wall clock set back meanwhile."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Label

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, settle
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

"""The app left open for hours: a refresh each minute, and a wall clock set back meanwhile."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import parts
from tests.ui.test_refresh import recent_rss
from tui.config import Config, Settings, SourceConfig
from tui.models import FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.refresher import Refresher


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
        assert "failing since" in problem and problem.endswith("(now)")  # not "(+23h)"
        screen.refresher.post_message(Refresher.Due())  # the next minute's automatic refresh
        await settle(pilot)
        assert feed_server.hits("/fresh.xml") == 1  # not held until tomorrow
        assert screen.sources.entries["source:Fresh"].problem is None

"""The app left open for days: what a refresh shows goes away with it, whatever fails."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from textual._styles_cache import StylesCache
from textual.widgets._toast import ToastRack

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, settle
from tests.ui.test_refresh import recent_rss
from tui.config import Config, Settings, SourceConfig


def held(app: Any) -> tuple[int, int]:
    """The widgets in the toast rack, and every widget's drawing cache still alive."""
    gc.collect()
    rack = app.screen.query_one(ToastRack)
    caches = sum(isinstance(kept, StylesCache) for kept in gc.get_objects())
    return len(list(rack.walk_children())), caches


async def test_refreshing_again_and_again_with_a_failing_and_a_moved_feed_holds_no_more(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path
) -> None:
    # `R` every 2 s with a feed answering 500 and one moved for good: the two toasts were
    # counted on screen, and each count left the widget around the toast it replaced (and
    # that toast's lines, in Textual's style cache): +150 KB a refresh, for as long as it ran.
    moved_to = feed_server.feed("/new.xml", recent_rss("Moved", 2))
    sources = (
        SourceConfig("Moved", url=feed_server.redirect("/old.xml", moved_to)),
        SourceConfig("Down", url=feed_server.status("/down.xml", 500)),
    )
    config = Config(tmp_path / "feeds.toml", sources, settings=Settings(refresh_minutes=0))
    app = new_app(config=config)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        for refreshes in (5, 25):
            while app.screen.refresher.runs < refreshes:
                await pilot.press("R")
                await settle(pilot)
            if refreshes == 5:
                before = held(app)
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert "1 source failed: marked ! in Sources (! goes to each) (×25)" in toasts
        assert any(toast.startswith("Moved: feed moved permanently") for toast in toasts)
        widgets, caches = held(app)
        assert widgets == before[0]  # the toasts in their holders, and the rack
        assert caches < before[1] + 20  # +40 without the fix: one a toast replaced

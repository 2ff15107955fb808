"""The cache in trouble under a running TUI: deleted, full, read-only. What the screen shows
is what the cache holds, and leaving never fails."""

from __future__ import annotations

import shutil

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import ARTICLES
from tests.ui.test_reading import parts
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View


async def test_a_cache_folder_deleted_under_the_tui_is_followed_to_the_new_file(
    new_app: AppFactory, store: Store
) -> None:
    # `rm -rf` of the cache folder, then a cron refresh makes a new cache at the same path:
    # the TUI shows that one, says so, and what it writes lands there (a restart keeps it).
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        assert articles.rows.total == len(ARTICLES)
        shutil.rmtree(store.path.parent)
        cron = Store.open(store.path)
        source = cron.ensure_source("Cron", SourceKind.WEB, "https://cron.example/rss")
        cron.record_refresh(source, [Article("Fresh from cron", "Body.", guid="c")], FetchOutcome())
        cron.close()
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert ("", "The cache was replaced on disk: reopened") in notes
        assert articles.rows.total == 1 and articles.current
        assert articles.current.title == "Fresh from cron"
        assert screen.sources.entries["all"].count == 1
        await pilot.press("s")
        await settle(pilot)
    after = Store.open(store.path)
    try:
        assert [row.title for row in after.page(View(saved=True))] == ["Fresh from cron"]
    finally:
        after.close()

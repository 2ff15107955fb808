"""The cache in trouble under a running TUI: deleted, full, read-only. What the screen shows
is what the cache holds, and leaving never fails."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.read_only import read_only_copy
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import ARTICLES, SOURCES, make_config
from tests.ui.test_reading import marks, parts
from tests.ui.test_refresh import served_config
from tests.ui.test_refresh_rules import status_line
from tui.config import Settings
from tui.models import Article, FetchOutcome, SourceKind
from tui.refresh.known import sync_sources
from tui.store import CacheLocked, DiskFull, ReadOnlyCache, Store, StoreError, View
from tui.ui.app import NewsdeskApp
from tui.ui.data import REPLACED
from tui.ui.format import SAVED_MARK, UNREAD_MARK
from tui.ui.refresher import Refresher


def refuse(monkeypatch: pytest.MonkeyPatch, error: type[StoreError], *names: str) -> None:
    """These store writes fail as on a full disk or a read-only cache (nothing written)."""

    def refused(store: Store, *args: object, **kwargs: object) -> None:
        raise error(f"{store.path}: nothing was written")

    for name in names:
        monkeypatch.setattr(Store, name, refused)


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
        assert ("", "The cache was deleted or replaced on disk: reopened") in notes
        assert articles.rows.total == 1 and articles.current
        assert articles.current.title == "Fresh from cron"
        assert screen.sources.entries["all"].count == 1
        configured = [f"source:{name}" for name, _, _ in SOURCES]
        assert all(key in screen.sources.entries for key in configured)  # known again
        assert "deleted or replaced on disk" in status_line(app)  # not the last refresh's line
        await pilot.press("s")
        await settle(pilot)
    after = Store.open(store.path)
    try:
        assert [row.title for row in after.page(View(saved=True))] == ["Fresh from cron"]
    finally:
        after.close()


async def test_refresh_on_a_read_only_cache_says_so_once_and_fetches_nothing(
    new_app: AppFactory, store: Store, feed_server: FeedServer, tmp_path: Path
) -> None:
    # Each source failed, a notice each that even its failure could not be noted: one line
    # on the status line says why nothing can be refreshed, and no feed is asked in vain.
    config = served_config(tmp_path, feed_server)
    sync_sources(config, store)  # known: a refresh would write only what it fetched
    store.close()
    with read_only_copy(store.path, at=tmp_path / "disk") as disk:
        read_only = Store.open(disk / store.path.name)
        app = new_app(config=config, store=read_only)
        notes = record_notifications(app)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                await pilot.press("R")
                await settle(pilot)
                said = f"refresh failed: {read_only.path}: the cache is read-only here"
                assert parts(app)[0].status.activity.startswith(said)
        finally:
            read_only.close()
    assert len(notes) == 1 and feed_server.hits("/fresh.xml") == 0


async def test_the_minutes_refresh_on_a_read_only_cache_does_not_toast_it_again(
    new_app: AppFactory, store: Store, feed_server: FeedServer, tmp_path: Path
) -> None:
    # Left open on a cache that cannot be written, the app toasted the same error each minute.
    config = replace(served_config(tmp_path, feed_server), settings=Settings(refresh_minutes=1))
    sync_sources(config, store)
    store.close()
    clock = [time.time()]
    with read_only_copy(store.path, at=tmp_path / "disk") as disk:
        read_only = Store.open(disk / store.path.name)
        app = new_app(
            config=config, store=read_only, now=lambda: datetime.fromtimestamp(clock[0], UTC)
        )
        notes = record_notifications(app)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                screen = parts(app)[0]
                await settle(pilot)
                await pilot.press("R")
                await settle(pilot)
                assert len(notes) == 1
                for _ in range(2):
                    clock[0] += 120
                    screen.refresher.post_message(Refresher.Due())
                    await settle(pilot)
                assert len(notes) == 1
                assert screen.status.activity.startswith("refresh failed: ")  # still there
                await pilot.press("R")
                await settle(pilot)
                assert len(notes) == 2  # asked for: told again
        finally:
            read_only.close()


@pytest.mark.parametrize("error", [ReadOnlyCache, DiskFull])
async def test_quitting_on_a_cache_that_cannot_be_written_leaves_cleanly(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch, error: type[StoreError]
) -> None:
    # The README says the TUI works on a read-only cache: its view state is not kept then,
    # and neither the periodic save nor quitting says anything of it.
    refuse(monkeypatch, error, "set_state")
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        parts(app)[0].persist()  # what the screen does every few seconds once moved
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and notes == []


async def test_flags_that_could_not_be_written_go_back_to_what_is_stored(
    new_app: AppFactory, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk: `s` on the first row, `j m` on the second, Enter on the third (read on
    # open). Each write fails and says so; no row, reader or count keeps the change.
    refuse(monkeypatch, DiskFull, "set_saved", "mark_saved", "set_read", "set_story_read")
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        unread = screen.sources.entries["all"].count
        await pilot.press("s", "j", "m", "j", "enter")
        await settle(pilot)
        assert SAVED_MARK not in marks(app, 0)
        assert all(UNREAD_MARK in marks(app, i) for i in range(3))
        assert reader.article is not None and not reader.article.row.read
        assert screen.sources.entries["all"].count == unread
        await pilot.press("s")
        await settle(pilot)
        assert not reader.article.row.saved and SAVED_MARK not in marks(app, 2)
    assert store.count(View(saved=True)) == 0


async def test_save_in_the_moment_after_the_cache_folder_is_deleted_says_so(
    new_app: AppFactory, store: Store
) -> None:
    """`rm -rf` of the cache folder, and `s` before the TUI noticed: the store opens a new,
    empty cache, where the article is not. "Saved for offline reading" said otherwise."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        shutil.rmtree(store.path.parent)
        await pilot.press("s")
        await settle(pilot)
        assert not any(text.startswith("Saved") for _, text in notes)
        assert [text for _, text in notes if text.endswith(REPLACED)]
        assert SAVED_MARK not in marks(app, 0)
    after = Store.open(store.path)
    try:
        assert after.count(View()) == 0
    finally:
        after.close()


async def test_a_mark_in_the_moment_after_the_cache_is_replaced_touches_no_other_article(
    new_app: AppFactory, store: Store
) -> None:
    """`rm -rf` of the cache folder and a new cache made there (a cron refresh), then `m`
    before the TUI noticed: the row's id is another article of the new file, which `m`
    marked read without a word. Now the mark says why it is not written; once the TUI has
    the new file's rows, `m` writes there."""
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        target = articles.current
        assert target is not None and not target.read
        shutil.rmtree(store.path.parent)
        cron = Store.open(store.path)
        source = cron.ensure_source("Cron", SourceKind.WEB, "https://cron.example/rss")
        cron.record_refresh(source, [Article(f"Cron {n}", "Body.", guid=str(n)) for n in range(12)],
                            FetchOutcome())  # fmt: skip
        other = cron.row(target.id)
        cron.close()
        assert other is not None and other.title.startswith("Cron") and not other.read
        await pilot.press("m")
        await settle(pilot)
        assert [text for _, text in notes if text.endswith(REPLACED)]
        after = Store.open(store.path)
        try:
            assert [r for r in after.page(View(unread=True), limit=20) if r.id == target.id]
        finally:
            after.close()
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert articles.current and articles.current.title.startswith("Cron")
        assert screen.reader.article is None
        await pilot.press("m")
        await settle(pilot)
    after = Store.open(store.path)
    try:
        assert after.count(View(unread=True)) == 11
    finally:
        after.close()


async def test_enter_in_the_moment_after_the_cache_is_replaced_opens_no_other_article(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    """The list's row is the old file's; the same id in the new file is another article,
    which Enter showed under that row (and `o` would have opened its link). Nothing is
    marked on opening, which would have noticed the new file by its refused write."""
    app = new_app(config=make_config(tmp_path, mark_read_on_open=False))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        assert articles.current is not None
        shutil.rmtree(store.path.parent)
        cron = Store.open(store.path)
        source = cron.ensure_source("Cron", SourceKind.WEB, "https://cron.example/rss")
        cron.record_refresh(source, [Article(f"Cron {n}", "Body.", guid=str(n)) for n in range(12)],
                            FetchOutcome())  # fmt: skip
        cron.close()
        await pilot.press("j", "enter")  # a row not built ahead: its text read on Enter
        await settle(pilot)
        assert reader.article is None or reader.article.text != "Body."  # the new file's
        assert [text for _, text in notes if text.endswith(REPLACED)]


async def test_failures_the_full_cache_could_not_record_are_not_sent_to_bang(
    new_app: AppFactory, feed_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk filled up mid-refresh: the failures could not be written either, so `!`
    # would find none of them ("No source failed"). The notice says so instead, with why.
    told = await notices_after(
        new_app(config=served_config(tmp_path, feed_server)),
        "R",
        lambda: refuse(monkeypatch, DiskFull, "record_refresh"),
    )
    database = tmp_path / "cache" / "newsdesk.db"
    failed = [message for message in told if "failed" in message]
    assert failed == [
        f"2 sources failed, and the cache could not record which: {database}: nothing was written"
    ]


async def test_a_mark_on_a_busy_cache_says_what_was_not_done_and_to_try_again(
    new_app: AppFactory, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = await notices_after(
        new_app(), "m", lambda: refuse(monkeypatch, CacheLocked, "set_read", "set_story_read")
    )
    assert "Could not mark: the cache is busy (another newsdesk is writing); try again" in told
    assert store.count(View(unread=True)) == len(ARTICLES)  # nothing written


async def notices_after(app: NewsdeskApp, key: str, trouble: Callable[[], None]) -> list[str]:
    """What the app said after `key`, pressed once `trouble` began (and the app is closed)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        trouble()
        await pilot.press(key)
        await settle(pilot)
        return [message for _, message in notes]

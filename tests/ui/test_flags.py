"""Save, read toggles, mark all read with its undo, and the sources pane counts."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace
from functools import partial
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import ARTICLES
from tests.ui.test_reading import marks, parts
from tui.config import Config
from tui.models import Article, ArticleDetail, ArticleRow, FetchOutcome, SourceKind
from tui.store import Store, View
from tui.ui.format import SAVED_MARK, UNREAD_MARK, saved_note
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.widgets.search_bar import RESULT_LIMIT


async def asked(pilot: Pilot[Any]) -> ConfirmDialog:
    """The confirmation dialog a worker waits on (so no waiting for workers here)."""
    for _ in range(50):
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmDialog):
            return pilot.app.screen
    raise AssertionError("no confirmation dialog")


async def test_s_saves_and_unsaves(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("enter", "s")
        await settle(pilot)
        assert store.count(View(saved=True)) == 1
        assert SAVED_MARK in marks(app, 0)
        assert reader.article and reader.article.row.saved
        assert "★ saved" in str(reader.query_one("#reader-meta", Static).content)
        assert screen.sources.entries["saved"].count == 1  # read or not: the rows it lists
        busy = threading.Event()  # the database thread held, as by a big refresh's writes
        held = asyncio.ensure_future(screen.db.call(lambda _: busy.wait()))
        try:
            await pilot.press("s")
            assert SAVED_MARK not in marks(app, 0)  # at once: a configured source's is not asked
        finally:
            busy.set()
        await held
        await settle(pilot)
        assert store.count(View(saved=True)) == 0


async def test_m_toggles_read(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        await pilot.press("m")
        await settle(pilot)
        assert UNREAD_MARK not in marks(app, 0)
        assert store.count(View(unread=True)) == len(ARTICLES) - 1
        await pilot.press("m")
        await settle(pilot)
        assert store.count(View(unread=True)) == len(ARTICLES)


async def test_mark_all_read_then_undo(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("M")
        await settle(pilot)
        assert store.count(View(unread=True)) == 0
        assert all(UNREAD_MARK not in marks(app, i) for i in range(articles.rows.total))
        assert screen.sources.entries["all"].count == 0
        assert screen.status.activity == f"marked {len(ARTICLES)} articles read"
        await pilot.press("u")
        await settle(pilot)
        assert store.count(View(unread=True)) == len(ARTICLES)
        assert screen.status.activity == f"marked {len(ARTICLES)} unread again"
        assert screen.sources.entries["all"].count == len(ARTICLES)


async def test_undo_with_nothing_to_undo_says_so(new_app: AppFactory, store: Store) -> None:
    # `u` before any `M` (or once each was undone) did nothing, without a word.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await pilot.press("u")
        await settle(pilot)
        assert notes == [("", "Nothing to undo")]
        assert store.count(View(unread=True)) == len(ARTICLES)


async def test_mark_all_read_in_a_source_only_touches_it(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        screen.sources.highlight("source:Tech Daily")
        screen.sources.focus()
        await pilot.press("enter", "M")
        await settle(pilot)
        assert store.count(View(source="Tech Daily", unread=True)) == 0
        assert store.count(View(unread=True)) == len(ARTICLES) - 4


async def test_q_in_the_question_answers_no_and_the_app_goes_on(
    new_app: AppFactory, big_store: Store
) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await asked(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, ConfirmDialog)
        assert big_store.count(View(unread=True)) == 100_000


async def test_mark_many_read_asks_first(new_app: AppFactory, big_store: Store) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        assert "100,000" in (await asked(pilot)).question
        await pilot.press("n")
        await settle(pilot)
        assert big_store.count(View(unread=True)) == 100_000


async def test_mark_all_read_leaves_what_arrived_while_it_asked(
    new_app: AppFactory, big_store: Store
) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await pilot.press("M")
        assert "100,000" in (await asked(pilot)).question
        cron = Store.open(big_store.path)  # a refresh in another process, meanwhile
        source = cron.ensure_source("Wire", SourceKind.WEB, "https://wire.example/rss", ())
        arrived = Article(title="Arrived while asking", body="New.", guid="new")
        cron.record_refresh(source, [arrived], FetchOutcome(status=200), now=time.time())
        cron.close()
        await pilot.press("y")
        await settle(pilot)
        assert ("", "Marked 100,000 articles read · u to undo") in notes
        [left] = big_store.page(View(unread=True))
        assert left.title == "Arrived while asking"


def test_reader_marks_saved_and_full_text_articles() -> None:
    row = ArticleRow(1, "S", "T", None, None, None, True, True)
    note = partial(ArticleDetail, row, "text", ())
    assert saved_note(note(full_text=True)) == "★ saved full text (offline copy)"
    assert saved_note(note(save_state="ok")) == "★ saved"
    assert saved_note(note(save_state="pending")).endswith("full text pending")
    assert saved_note(note(save_state="HTTP 404")).endswith("unavailable: HTTP 404")
    unsaved = partial(ArticleDetail, row._replace(saved=False), "text", ())
    assert saved_note(unsaved()) == ""
    assert saved_note(unsaved(full_text=True)) == "full text (offline copy)"  # unsaved since


async def test_mark_all_read_in_search_results_takes_every_page(
    new_app: AppFactory, big_store: Store
) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        await pilot.press("slash", *"99", "enter")  # 99, 990-999, 9900-9999, 99000-99999
        await settle(pilot)
        assert f"{RESULT_LIMIT}+ results" in screen.sub_title
        await pilot.press("M")
        assert "1,111" in (await asked(pilot)).question
        await pilot.press("y")
        await settle(pilot)
        assert big_store.count(View(unread=True)) == 100_000 - 1_111


async def test_unsaving_the_last_article_of_a_removed_source_forgets_it(
    new_app: AppFactory, store: Store, config: Config
) -> None:
    [newest] = store.page(View(), limit=1)
    store.set_saved([newest.id])
    store.forget_source(newest.source)  # `feeds remove`: the saved article holds the source
    kept = store.count(View())
    others = tuple(s for s in config.sources if s.name != newest.source)
    app = new_app(config=replace(config, sources=others))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        assert articles.current is not None and articles.current.id == newest.id
        assert f"source:{newest.source}" in screen.sources.entries
        await pilot.press("enter", "s")  # the only copy would go: asked first, kept on "no"
        question = (await asked(pilot)).question
        assert question.startswith(f"Unsave and delete? {newest.source} was removed")
        assert SAVED_MARK in articles.render_line(0).text[:3]  # not unsaved before the answer
        assert reader.article is not None and reader.article.row.saved
        await pilot.press("n")
        await settle(pilot)
        assert store.count(View()) == kept and store.page(View(saved=True))[0].id == newest.id
        assert articles.current is not None and articles.current.saved
        assert SAVED_MARK in articles.render_line(0).text[:3]
        await pilot.press("s")
        await asked(pilot)
        assert SAVED_MARK in articles.render_line(0).text[:3]
        await pilot.press("y")
        await settle(pilot)
        assert store.count(View()) == kept - 1 and store.source_state(newest.source) is None
        assert articles.current is not None and articles.current.id != newest.id
        assert f"source:{newest.source}" not in screen.sources.entries
        [toast] = app._notifications
        assert f"forgotten: {newest.source} was removed from the config" in toast.message

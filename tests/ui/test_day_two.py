"""A returning user's screens: reopened search, emptied search, restart, outside writes."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import ARTICLES, make_config
from tests.ui.test_reading import focused_pane, parts
from tui.config import SearchConfig
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View


def list_lines(app: object, count: int) -> list[str]:
    _, articles, _ = parts(app)
    return [articles.render_line(y).text for y in range(count)]


async def show_scope(pilot: Pilot[None], key: str) -> None:
    """Pick a sources pane entry as the user does: highlight it, Enter."""
    screen, _, _ = parts(pilot.app)
    screen.sources.highlight(key)
    screen.sources.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_reopened_search_shows_its_results(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"compiler")
        await settle(pilot)
        assert articles.rows.total == 1
        await pilot.press("escape")
        await settle(pilot)
        assert articles.rows.total == len(ARTICLES)
        await pilot.press("slash")
        await settle(pilot)
        assert "Search: compiler · 1 result" in screen.sub_title
        assert articles.rows.total == 1 and "compiler" in list_lines(app, 1)[0].lower()


async def test_an_emptied_search_box_shows_the_articles(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("slash", *"zzzz")
        await settle(pilot)
        assert "No matches." in "".join(list_lines(app, 3))
        await pilot.press(*["backspace"] * 4)
        await settle(pilot)
        assert articles.rows.total == len(ARTICLES)
        assert "No matches." not in "".join(list_lines(app, 3))
        assert "0 results" not in screen.sub_title


async def test_restart_at_80x24_puts_the_reader_in_front_and_the_list_on_the_last_article(
    new_app: AppFactory,
) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert focused_pane(screen) == "reader"
        chosen = articles.current
        await pilot.press("q")
    again = new_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(again)
        assert focused_pane(screen) == "reader" and screen.focused is reader  # as it was
        assert reader.article is not None and not screen.query_one("#list-pane").display
        await pilot.press("escape")  # the list behind it, its cursor where it was
        await settle(pilot)
        assert focused_pane(screen) == "list" and screen.focused is articles
        assert chosen is not None and articles.current is not None
        assert articles.current.id == chosen.id
        assert chosen.title in list_lines(again, 6)[2]


async def test_sources_cursor_returns_to_the_restored_source(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await show_scope(pilot, "source:Tech Daily")
        await pilot.press("q")
    again = new_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(again)
        assert screen.sources.highlighted_entry is not None
        assert screen.sources.highlighted_entry.scope.key == "source:Tech Daily"


async def test_a_one_source_view_does_not_repeat_the_source(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert any("Tech Daily" in line for line in list_lines(app, 10))
        await show_scope(pilot, "source:Tech Daily")
        lines = list_lines(app, 2)
        assert "compiler" in lines[0].lower() and "Tech Daily" not in lines[0]


async def test_a_failed_source_says_why_its_view_is_empty(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await show_scope(pilot, "source:Broken Feed")
        assert "HTTP 500 Internal Server Error" in "".join(list_lines(app, 3))


async def test_saved_counts_what_it_lists_read_or_not(new_app: AppFactory, store: Store) -> None:
    ids = [row.id for row in store.page(View(), limit=2)]
    store.set_saved(ids, True)
    store.set_read(ids[:1], True)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        entries = screen.sources.entries
        assert entries["all"].count == entries["unread"].count == len(ARTICLES) - 1
        assert entries["saved"].count == 2  # one saved and read was "Saved 0" over a list of one


async def test_saved_search_header_is_spelled_like_the_search_bar(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        key = next(k for k in screen.sources.entries if k.startswith("search:"))
        await show_scope(pilot, key)
        assert screen.sub_title.startswith("Search: ")


async def test_a_config_error_notice_is_short(new_app: AppFactory) -> None:
    long_error = "feeds.toml:40: keys: unknown binding id 'x' (known: " + "a.b, " * 200 + ")"
    app = new_app(config_error=long_error)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert notes and all(len(m) <= 100 and "\n" not in m for _, m in notes)
        screen, _, _ = parts(app)
        status = screen.status.render_line(0).text.rstrip()
        assert status.endswith("…")


async def test_outside_writes_show_without_a_key_press(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        assert screen.sources.entries["all"].count == len(ARTICLES)
        other = Store.open(store.path)  # another process, e.g. a cron `newsdesk refresh`
        other.set_read([row.id for row in other.page(View(), limit=3)], True)
        other.close()
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert screen.sources.entries["all"].count == len(ARTICLES) - 3


async def test_articles_another_process_stores_come_in_at_the_top(
    new_app: AppFactory, store: Store
) -> None:
    # A list longer than the screen shows its first row, the cursor on the second: a cron
    # refresh stores a newer article. It must be seen at the top, the cursor on its article.
    def articles_of(name: str, count: int, hours_ago: int) -> None:
        source = store.ensure_source(name, SourceKind.WEB, f"https://example.org/{name}.xml")
        when = datetime.now(UTC) - timedelta(hours=hours_ago)
        made = [Article(f"{name} {i}", "Body.", guid=f"{name}-{i}", published=when)
                for i in range(count)]  # fmt: skip
        store.record_refresh(source, made, FetchOutcome())

    articles_of("Older", 60, hours_ago=200)
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        await pilot.press("j")
        chosen = articles.current
        articles_of("Cron", 1, hours_ago=0)  # the store's writes are another connection's
        screen.refreshing.check_outside_writes()
        await settle(pilot)
        assert "Cron 0" in list_lines(app, 1)[0]
        assert articles.current == chosen and articles.cursor == 2


async def test_leaving_a_search_keeps_the_opened_article_current(new_app: AppFactory) -> None:
    """One current article: the one opened from the search stays under the list's cursor, so
    `m` marks the article the reader shows."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        first = articles.current
        await pilot.press("slash", *"compiler", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        opened = reader.article
        assert opened is not None and first is not None and opened.row.id != first.id
        screen.focus_pane("list")
        await pilot.press("escape")
        await settle(pilot)
        assert articles.rows.total == len(ARTICLES)
        assert articles.current is not None and articles.current.id == opened.row.id
        await pilot.press("m")
        await settle(pilot)
        assert articles.current.id == opened.row.id and articles.current.read != opened.row.read


@pytest.mark.parametrize("scope", [None, "search:Everything unread"])
async def test_keys_pressed_while_the_list_reloads_keep_their_place(
    new_app: AppFactory, tmp_path: Path, scope: str | None
) -> None:
    """Another process's write reloads the list (a view, or a saved search's results); the
    rows the user moved to meanwhile stay under the cursor instead of jumping back to where
    the reload began."""
    searches = (SearchConfig("Everything unread", "is:unread"),)
    app = new_app(config=replace(make_config(tmp_path), searches=searches))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if scope is not None:
            await show_scope(pilot, scope)
        screen, articles, _ = parts(app)
        screen.focus_pane("list")
        gate = threading.Event()
        held = asyncio.ensure_future(screen.db.call(lambda _: gate.wait(5)))
        screen.views.reload_list()  # reads after the held call: the keys come first
        await pilot.press("j", "j", "j")
        moved_to = articles.current
        gate.set()
        await held
        await settle(pilot)
        assert moved_to is not None and articles.cursor == 3
        assert articles.current is not None and articles.current.id == moved_to.id

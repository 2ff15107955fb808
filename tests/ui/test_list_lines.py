"""The article list's drawn rows: kept while nothing in them changes, drawn again when
something does (a flag, the cursor, the age as time passes)."""

from __future__ import annotations

import gc
from datetime import datetime, timedelta

import pytest

from tests.ui.conftest import AppFactory, record_calls, settle
from tests.ui.data import NOW
from tests.ui.test_reading import parts, row_line
from tests.ui.test_small_screens import opened_header
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.widgets.reader_text import ReaderHeader


async def test_a_rows_age_follows_the_clock(new_app: AppFactory) -> None:
    clock = [NOW]

    def now() -> datetime:
        return clock[0]

    app = new_app(now=now)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert row_line(app, 0).rstrip().endswith(" 2h")
        clock[0] = NOW + timedelta(hours=1)
        app.screen.refresh()  # a repaint with nothing else changed (as a scroll does)
        await settle(pilot)
        assert row_line(app, 0).rstrip().endswith(" 3h")


async def test_the_cursor_row_is_drawn_again_where_the_cursor_goes(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        articles = parts(app)[1]
        cursor = articles.get_component_rich_style("article-list--cursor-focused").bgcolor
        assert list(articles.render_line(0))[0].style.bgcolor == cursor
        await pilot.press("j")
        await settle(pilot)
        assert list(articles.render_line(0))[0].style.bgcolor != cursor
        assert list(articles.render_line(1))[0].style.bgcolor == cursor


async def test_what_start_up_set_aside_from_the_collector_is_given_back(
    new_app: AppFactory,
) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


async def test_a_new_focus_draws_only_the_cursor_row_again(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The focus leaving the list changes the cursor's colours only: every row drawn again
    # was ~5 ms of each Tab and of opening the search bar.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        articles = parts(app)[1]
        drawn = record_calls(monkeypatch, articles, "_row_strip")
        await pilot.press("tab")  # to the reader
        await settle(pilot)
        assert [row for row, *_ in drawn] == [articles.current]
        blurred = articles.get_component_rich_style("article-list--cursor").bgcolor
        assert list(articles.render_line(0))[0].style.bgcolor == blurred


async def test_the_focus_leaving_a_list_restyles_it_not(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each draws its cursor in the look its focus asks for; a restyle (and both lists'
    # scrollbars drawn again) was ~2 ms of every Tab and of opening the search bar.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        sources = screen.sources
        restyled = record_calls(monkeypatch, app.stylesheet, "update_nodes")
        await pilot.press("slash")  # the focus to the search bar
        await settle(pilot)
        assert articles not in {node for nodes, *_ in restyled for node in nodes}
        await pilot.press("escape", "shift+tab")  # to the sources pane
        await settle(pilot)
        cursor = sources.cursor or 0
        focused = sources.get_component_rich_style("sources--cursor-focused").bgcolor
        blurred = articles.get_component_rich_style("article-list--cursor").bgcolor
        assert list(sources.render_line(cursor))[0].style.bgcolor == focused
        assert list(articles.render_line(0))[0].style.bgcolor == blurred
        await pilot.press("tab")  # back to the list
        await settle(pilot)
        focused = articles.get_component_rich_style("article-list--cursor-focused").bgcolor
        assert list(articles.render_line(0))[0].style.bgcolor == focused
        assert list(sources.render_line(cursor))[0].style.bgcolor != focused


async def test_the_open_articles_header_ages_with_the_clock(new_app: AppFactory) -> None:
    clock = [NOW]
    app = new_app(now=lambda: clock[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        header = app.screen.query_one(ReaderHeader)
        assert "(2h)" in str(header.content)
        clock[0] = NOW + timedelta(minutes=59)
        header.show_ages()
        assert "(2h)" in str(header.content)  # within the hour still
        clock[0] = NOW + timedelta(hours=1)
        header.show_ages()
        await settle(pilot)
        assert "(3h)" in str(header.content) and "(2h)" not in str(header.content)


async def test_an_undated_article_shows_when_it_was_first_seen_not_a_date(
    new_app: AppFactory, store: Store
) -> None:
    # Its feed gives no date: the time the refresh first saw it looked like a published date.
    source = store.ensure_source("Undated", SourceKind.WEB, "https://undated.example/rss")
    article = Article("A note with no date", "Body.", guid="undated")
    store.record_refresh(
        source, [article], FetchOutcome(), now=(NOW - timedelta(hours=1)).timestamp()
    )
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "A note with no date" in row_line(app, 0)
        assert row_line(app, 0).rstrip().endswith(" ~1h")  # sorted by it still: first
        assert row_line(app, 1).rstrip().endswith(" 2h")  # a dated row is unmarked
        await pilot.press("enter")
        await settle(pilot)
        meta = str(app.screen.query_one(ReaderHeader).content).splitlines()[1]
        assert meta == "Undated · first seen 2026-03-01 11:00 (1h) · 1 min read"


async def test_an_article_dated_ahead_shows_how_far_ahead_not_now(
    new_app: AppFactory, store: Store
) -> None:
    # Its feed states a time 3 hours ahead of the clock: the list and the reader said "now".
    source = store.ensure_source("Ahead", SourceKind.WEB, "https://ahead.example/rss")
    article = Article("Announced ahead", "Body.", guid="ahead", published=NOW + timedelta(hours=3))
    store.record_refresh(source, [article], FetchOutcome(), now=NOW.timestamp())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Announced ahead" in row_line(app, 0)
        assert row_line(app, 0).rstrip().endswith(" +3h")
        await pilot.press("enter")
        await settle(pilot)
        meta = str(app.screen.query_one(ReaderHeader).content).splitlines()[1]
        assert meta == "Ahead · 2026-03-01 15:00 (+3h) · 1 min read"


async def test_a_very_long_title_takes_three_rows_of_the_reader_ending_in_an_ellipsis(
    new_app: AppFactory, store: Store
) -> None:
    # A 100 KB title filled ~1,250 rows of the reader before a word of the article.
    source = store.ensure_source("Long", SourceKind.WEB, "https://long.example/rss")
    title = " ".join(["Harbour council budget"] * 4000)
    article = Article(title, "The body.", guid="long", published=NOW)
    store.record_refresh(source, [article], FetchOutcome(), now=NOW.timestamp())
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        header, rows = await opened_header(pilot)
        assert rows[0].startswith("Harbour council budget")
        assert rows[2].endswith("…") and not rows[1].endswith("…")
        assert rows[3].startswith("Long · ")
        assert str(header.content).startswith(title)  # whole, as `show` prints it

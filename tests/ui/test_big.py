"""100,000 articles: the list pages from SQLite, `G` reaches the last one, memory stays flat;
and a 260-minute article, whose end `G` shows at once."""

from __future__ import annotations

import pytest
from textual.events import Key

from tests.ui.conftest import BIG, AppFactory, settle
from tests.ui.data import NOW
from tests.ui.test_reading import parts
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store, View
from tui.ui.paging import WINDOW, PagedRows
from tui.ui.state import UiState, save_state


async def test_big_list_opens_and_G_jumps_to_the_last_article(  # noqa: N802
    new_app: AppFactory, big_store: Store
) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, _ = parts(app)
        rows = articles.rows
        assert isinstance(rows, PagedRows)
        assert rows.total == BIG and len(rows.rows) <= WINDOW
        assert articles.current and articles.current.title == f"Bulk article number {BIG - 1}"
        assert "100,000 stories" in screen.sub_title
        await pilot.press("G")
        assert articles.cursor == BIG - 1
        assert articles.current and articles.current.title == "Bulk article number 0"
        await pilot.press("k", "pageup")
        assert articles.current and articles.current.title.startswith("Bulk article number ")
        await pilot.press("g")
        assert f"Bulk article number {BIG - 1}" in articles.render_line(0).text
        assert isinstance(articles.rows, PagedRows) and len(articles.rows.rows) <= WINDOW


async def test_scrolling_to_the_middle_loads_rows_there(
    new_app: AppFactory, big_store: Store
) -> None:
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        articles.scroll_to(y=50_000, animate=False, immediate=True)
        await pilot.pause()
        await settle(pilot)
        reader = parts(app)[2]
        rows = articles.rows
        assert isinstance(rows, PagedRows) and rows.get(50_000) is not None
        top = round(articles.scroll_y)
        assert f"Bulk article number {BIG - 1 - top}" in articles.render_line(0).text
        assert len(rows.rows) <= WINDOW
        assert "…" not in articles.render_line(0).text
        # The cursor came along (as with the wheel): Enter opens a row the user sees.
        assert 50_000 <= articles.cursor < 50_000 + articles.size.height
        seen = articles.current
        assert seen is not None
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None and reader.article.row.id == seen.id


async def test_leaving_an_empty_search_returns_to_the_end_of_a_big_list(
    new_app: AppFactory, big_store: Store
) -> None:
    """The list goes from no rows (no scrollbar) back to 100,000: the scroll must follow."""
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        await pilot.press("G", "slash", *"zzz", "escape")
        await settle(pilot)
        assert articles.cursor == BIG - 1 and articles.scroll_y > BIG - 40
        assert articles.current and articles.current.title == "Bulk article number 0"


def remember(store: Store, number: int) -> None:
    """Quit with the cursor on "Bulk article number N" (article ids count from 1)."""
    row = store.row(number + 1)
    assert row is not None and row.title == f"Bulk article number {number}"
    save_state(store, UiState(article=row.id, sort_key=row.sort_key, list_offset=5))


@pytest.mark.parametrize("number", [50_000, 12])
async def test_a_remembered_row_far_into_the_list_comes_back_under_the_cursor(
    new_app: AppFactory, big_store: Store, number: int
) -> None:
    remember(big_store, number)  # the middle: too far from either end to count the rows
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        title = f"Bulk article number {number}"
        assert articles.current and articles.current.title == title
        assert title in articles.render_line(5).text
        await pilot.press("j")
        assert articles.current and articles.current.title == f"Bulk article number {number - 1}"
        await pilot.press("G")
        await settle(pilot)
        assert articles.cursor == BIG - 1
        assert articles.current and articles.current.title == "Bulk article number 0"
        await pilot.press("g")
        await settle(pilot)
        assert f"Bulk article number {BIG - 1}" in articles.render_line(0).text


async def test_the_next_unread_article_far_down_the_list_opens(
    new_app: AppFactory, big_store: Store
) -> None:
    big_store.mark_view_read(View())
    big_store.set_read([40_000 + 1], read=False)  # "Bulk article number 40000"
    app = new_app(store=big_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        await pilot.press("N")
        await settle(pilot)
        title = "Bulk article number 40000"
        assert reader.article is not None and reader.article.row.title == title
        assert articles.current is not None and articles.current.title == title


def add_long_read(store: Store) -> None:
    """A 60,000-word article (a 260-minute read), the newest: the list's first row."""
    paragraph = " ".join("the council met on tuesday to discuss the new climate plan".split() * 9)
    text = "\n\n".join([paragraph] * 600)
    source = store.ensure_source("Long reads", SourceKind.WEB, "https://long.example/feed.xml")
    long_read = Article("A very long read", text, guid="long-read", published=NOW)
    store.record_refresh(source, [long_read], FetchOutcome())


async def test_G_shows_the_end_of_a_260_minute_article_in_the_next_frame(  # noqa: N802
    new_app: AppFactory, store: Store
) -> None:
    # G scrolled for a second (Textual's animation): across ~6,000 rows the view was seen
    # jumping a few hundred rows a frame before it came to the end; g the same way back.
    add_long_read(store)
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None and reader.max_scroll_y > 5_000
        for key, end in (("G", reader.max_scroll_y), ("g", 0)):
            app.post_message(Key(key, key))  # as a terminal sends it: nothing waits
            await pilot.pause()
            assert reader.scroll_y == end
            await pilot.wait_for_scheduled_animations()
            assert reader.scroll_y == end

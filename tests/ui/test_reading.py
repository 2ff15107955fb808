"""Reading flows: open, next/previous, next unread, space at the end, literal markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.events import Key
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Static

import tui.ui.widgets.reader_build as reader_build
from tests.ui.conftest import AppFactory, record_calls, record_notifications, settle
from tests.ui.data import ARTICLES, LINKS, MARKUP_BODY
from tui.store import Store, View
from tui.ui.format import UNREAD_MARK
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article_body import ArticleBody
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.reader import Reader

TITLES = [a[1] for a in ARTICLES]  # newest first, as listed


def parts(app: App[None]) -> tuple[MainScreen, ArticleList, Reader]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen, screen.articles, screen.reader


def focused_pane(screen: Screen[None]) -> str:
    """The pane whose border shows the focus: sources, list or reader."""
    focused = screen.focused
    for pane, selector in (("sources", "#sources"), ("list", "#list-pane"), ("reader", "#reader")):
        owner = screen.query_one(selector)
        if focused is not None and (focused is owner or owner in focused.ancestors):
            return pane
    return ""


def row_line(app: App[None], index: int) -> str:
    """Row `index` of the list as drawn (one line per row: not for search results)."""
    _, articles, _ = parts(app)
    return articles.render_line(index - round(articles.scroll_y)).text


def marks(app: App[None], index: int) -> str:
    """The read and saved marks drawn before row `index`'s title."""
    return row_line(app, index)[:3]


async def test_list_shows_cached_articles_newest_first(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, _ = parts(app)
        assert articles.rows.total == len(ARTICLES)
        assert all(TITLES[i][:20] in row_line(app, i) for i in range(3))
        assert "All · 10 stories" in app.screen.sub_title


async def test_enter_opens_article_and_marks_it_read(new_app: AppFactory, store: Store) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article is not None
        assert reader.article.row.title == TITLES[0]
        assert focused_pane(screen) == "reader"
        assert UNREAD_MARK not in marks(app, 0)
        assert store.count(View(unread=True)) == len(ARTICLES) - 1


async def test_opening_does_not_mark_read_when_configured_off(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    from tests.ui.data import make_config

    app = new_app(config=make_config(tmp_path, mark_read_on_open=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert store.count(View(unread=True)) == len(ARTICLES)


async def test_next_and_previous_article(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        await pilot.press("enter", "n")
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[1]
        await pilot.press("n", "n")
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[3]
        await pilot.press("p")
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[2]
        assert articles.cursor == 2


async def test_next_unread_skips_read_articles(new_app: AppFactory, store: Store) -> None:
    ids = [r.id for r in store.page(View(), limit=10)]
    store.set_read(ids[1:4])
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("enter")  # opens the first
        await pilot.press("N")
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[4]


async def test_next_unread_past_the_last_goes_back_to_the_top(
    new_app: AppFactory, store: Store
) -> None:
    ids = [r.id for r in store.page(View(), limit=100)]
    store.set_read(ids[2:])  # unread: the first two; the last row is opened
    app = new_app()
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        await pilot.press("G", "enter", "N")
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[0]
        assert any("back to the first unread from the top" in m for _, m in notes)


async def test_space_pages_then_opens_next_unread(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("j", "enter")  # the long compiler article
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[1]
        assert reader.max_scroll_y > 0
        for _ in range(20):
            if reader.scroll_y >= reader.max_scroll_y:
                break
            await pilot.press("space")
            await pilot.pause()
        assert reader.article.row.title == TITLES[1]
        await pilot.press("space")
        await settle(pilot)
        assert reader.article.row.title == TITLES[2]


async def test_a_page_is_turned_at_once_and_a_quick_second_space_at_the_end_goes_on(
    new_app: AppFactory,
) -> None:
    # Paging glided for ~340 ms: the next frame showed part of a page, and a second space
    # pressed during the glide near the end paged again instead of opening the next unread.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("j", "enter")  # the long compiler article
        await settle(pilot)
        app.post_message(Key("space", " "))  # as a terminal sends it: nothing waits
        await pilot.pause()
        assert reader.scroll_y == reader.scrollable_content_region.height  # a whole page
        await pilot.wait_for_scheduled_animations()
        assert reader.scroll_y == reader.scrollable_content_region.height
        reader.scroll_to(y=reader.max_scroll_y - 1, animate=False, immediate=True)
        for _ in range(2):
            app.post_message(Key("space", " "))
            await pilot.pause()
        await settle(pilot)
        assert reader.article is not None and reader.article.row.title == TITLES[2]


async def test_markup_in_articles_is_shown_literally(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        articles.move_to(4)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article and reader.article.row.title.startswith("[bold]Not bold")
        meta = reader.query_one("#reader-meta", Static)
        assert "[bold]Not bold[/bold] and [red]not red[/red]" in meta.render_line(0).text
        text = reader.query_one("#reader-body", ArticleBody)
        [(_, body)] = text.runs
        assert isinstance(body, Text) and body.plain == MARKUP_BODY
        assert not body.spans  # nothing was taken as a style
        rendered = "".join(seg.text for seg in text.render_lines(text.region.reset_offset)[0])
        assert "\\[i]y[/i]" in rendered
        line = articles.render_line(4 - round(articles.scroll_y))
        assert "[bold]Not bold[/bold]" in line.text


async def test_keys_sent_in_one_burst_after_enter_reach_the_reader(
    new_app: AppFactory, store: Store
) -> None:
    """Nothing waits between the keys: j scrolls the article just opened, m marks it."""
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("j")  # the long article
        await settle(pilot)
        for key, char in (("enter", "\r"), ("j", "j"), ("j", "j"), ("m", "m")):
            app.post_message(Key(key, char))
        await settle(pilot)
        assert articles.cursor == 1 and focused_pane(screen) == "reader"
        assert reader.article and reader.article.row.title == TITLES[1]
        assert reader.scroll_y == 2
        assert not reader.article.row.read  # read on open, then m: unread again
        assert store.count(View(unread=True)) == len(ARTICLES)


async def test_a_burst_of_j_scrolls_the_open_article_once_per_key(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, articles, reader = parts(app)
        await pilot.press("j", "enter")  # the long article
        await settle(pilot)
        for _ in range(4):
            app.post_message(Key("j", "j"))
        await settle(pilot)
        assert focused_pane(screen) == "reader" and reader.scroll_y == 4


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (99, 30)])
async def test_the_row_the_cursor_rests_on_opens_with_its_text_at_once(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    # Its body is built ahead, as its text is read ahead: Enter shows it in the first frame
    # instead of after a build in a worker and another layout. Below 100 columns the reader
    # is off screen until then: built for the width it will have in the list's place.
    calls = record_calls(monkeypatch, reader_build, "_parts")

    def built() -> list[int]:
        return [article.row.id for article, *_ in calls]

    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        _, articles, reader = parts(app)
        calls.clear()  # the first row's, built as the cursor rested there
        await pilot.press("j")
        await settle(pilot)  # resting: its text read and its body built
        assert articles.current is not None and built() == [articles.current.id]
        await pilot.press("enter")
        await settle(pilot)
        assert built() == [articles.current.id]  # shown as built, not built again
        assert reader.article is not None and reader.article.row.id == articles.current.id
        assert reader.built_width == reader.scrollable_content_region.width > 40
        text = "".join(run.plain for _, run in reader.body.runs)
        assert reader.article.text.split()[0] in text
        await pilot.press("escape", "j", "k")  # away and back to the row the reader has
        await settle(pilot)
        assert built() == [articles.current.id]  # not built again (its images may be newer)


async def test_opening_an_article_restyles_nothing_in_the_reader(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The focus moving into the reader restyled its dozen widgets (~3.8 ms of every Enter).
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: Enter moves to the reader
        await settle(pilot)
        _, _, reader = parts(app)
        restyled = record_calls(monkeypatch, app.stylesheet, "update_nodes")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is reader and reader.article is not None
        inside = set(reader.walk_children())
        assert not inside & {node for nodes, *_ in restyled for node in nodes}


async def test_zoom_wraps_the_article_at_the_width_it_gets(new_app: AppFactory) -> None:
    # No Resize comes when the reader is maximized: the body kept the pane's narrow wrap,
    # three times in four (it depended on what came before).
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("j", "enter")  # the long compiler article
        await settle(pilot)
        narrow = reader.built_width
        for keys, zoomed in ((("g", "space", "z"), True), (("z",), False), (("g", "z"), True)):
            await pilot.press(*keys)
            await settle(pilot)
            assert reader.is_maximized == zoomed
            assert reader.built_width == reader.scrollable_content_region.width
            assert (reader.built_width > narrow) == zoomed


def reader_rows(reader: Reader) -> list[str]:
    """The reader's text as drawn, row by row, down to its last part (in view or not)."""
    shown = [part for part in reader.children if part.display]
    rows = [""] * max(part.virtual_region_with_margin.bottom for part in shown)
    for part in shown:
        top = part.virtual_region.y
        for offset, strip in enumerate(part.render_lines(Region(0, 0, *part.size))):
            rows[top + offset] = strip.text.strip()
    return rows


async def test_an_article_ends_with_its_last_line_not_blank_rows(new_app: AppFactory) -> None:
    # At 80x24, G showed three empty rows (of 19) under the last line, as if more were to
    # come; and two above "Links", one under the last link.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, _, reader = parts(app)
        await pilot.press("j", "enter", "G")  # the long compiler article: no links
        await settle(pilot)
        seen = reader_rows(reader)[round(reader.scroll_y) :]
        assert len(seen) == reader.scrollable_content_region.height  # at the end: all of it
        assert seen[-2].endswith("Compilers are fast.") and seen[-1] == ""
        await pilot.press("escape", "k", "enter")  # the climate plan: two links
        await settle(pilot)
        rows = reader_rows(reader)
        assert rows[-3:] == ["Links", f"[1] {LINKS[0]}", f"[2] {LINKS[1]}"]
        assert rows[-4] == "" and rows[-5].endswith("stay as they are.")

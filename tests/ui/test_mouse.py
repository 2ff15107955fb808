"""The mouse: which clicks open an article, double clicks across a change of pane, the
scrollbars bringing the cursor along, clicks on the panes' borders, dialogs and the header."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget

from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.data import make_config
from tests.ui.test_reader_attachments import played
from tests.ui.test_reader_media import add_sample, fake_player, open_sample
from tests.ui.test_reading import TITLES, focused_pane, parts
from tests.ui.test_sources_pane import highlighted, scrolled_to_cursor
from tui.models import Enclosure
from tui.store import Store
from tui.ui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.article_body import ArticleBody
from tui.ui.widgets.article_list import ArticleList
from tui.ui.widgets.footer import KeysFooter
from tui.ui.widgets.heading import Heading
from tui.ui.widgets.reader_attachments import Attachments


@asynccontextmanager
async def running(
    new_app: AppFactory, size: tuple[int, int] = (120, 40), **options: Any
) -> AsyncIterator[tuple[Pilot[None], MainScreen]]:
    """The app at `size`, started and settled, and its main screen."""
    app = new_app(**options)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot, parts(app)[0]


async def click(pilot: Pilot[None], *where: Any, **how: Any) -> None:
    """A click (`Pilot.click`'s arguments), and what it set off done."""
    await pilot.click(*where, **how)
    await settle(pilot)


def cursor_on_screen(articles: ArticleList) -> bool:
    return 0 <= articles.cursor_offset < articles.scrollable_content_region.height


async def test_a_double_click_on_a_source_opens_no_article_in_the_list_shown(
    new_app: AppFactory,
) -> None:
    # Below 100 columns the first click shows the list in the sources' place: the second
    # one fell on the row under the pointer and opened it (marked read).
    async with running(new_app, (80, 24)) as (pilot, screen):
        articles, reader = screen.articles, screen.reader
        await pilot.press("h")
        await settle(pilot)
        unread = screen.sources.index_of("unread")
        assert unread is not None
        await pilot.double_click(screen.sources, offset=(2, unread + 1))
        await settle(pilot)
        assert screen.views.state.scope.key == "unread" and focused_pane(screen) == "list"
        assert reader.article is None
        assert articles.rows.total == len(TITLES) and articles.cursor == 0


async def test_a_double_click_on_a_row_still_opens_it(new_app: AppFactory) -> None:
    async with running(new_app) as (pilot, screen):
        articles, reader = screen.articles, screen.reader
        await pilot.double_click(articles, offset=(10, 3))
        await settle(pilot)
        assert reader.article and reader.article.row.title == TITLES[3]


async def test_a_click_on_the_list_from_the_reader_focuses_it_and_reopens_nothing(
    new_app: AppFactory,
) -> None:
    # A click on the highlighted row while the reader had the focus opened the article
    # again from the top, and marked it read again (undoing an `m`).
    async with running(new_app) as (pilot, screen):
        articles, reader = screen.articles, screen.reader
        await pilot.press("j", "enter")  # a long one
        await settle(pilot)
        await pilot.press("m", "space")
        await settle(pilot)
        assert focused_pane(screen) == "reader" and reader.scroll_line > 0
        scrolled = reader.scroll_line
        await click(pilot, articles, offset=(10, 1))
        assert focused_pane(screen) == "list" and articles.cursor == 1
        assert articles.current and not articles.current.read
        assert reader.scroll_line == scrolled
        await click(pilot, articles, offset=(10, 1))  # the list has the focus: this one opens
        assert articles.current.read and focused_pane(screen) == "reader"


@pytest.mark.parametrize("button", [2, 3], ids=["middle", "right"])
async def test_only_the_left_button_moves_or_opens(new_app: AppFactory, button: int) -> None:
    async with running(new_app) as (pilot, screen):
        articles, reader = screen.articles, screen.reader
        for _ in range(2):
            await click(pilot, articles, offset=(10, 2), button=button)
        assert articles.cursor == 0 and reader.article is None
        tech = screen.sources.index_of("source:Tech Daily")
        assert tech is not None
        await click(pilot, screen.sources, offset=(2, tech + 1), button=button)
        assert screen.views.state.scope.key == "all"
        line = screen.query_one(KeysFooter).render().plain
        await click(pilot, KeysFooter, offset=(line.index("Search"), 0), button=button)
        assert not screen.search_bar.display


def scrollbar_ends(widget: Widget) -> tuple[Offset, Offset]:
    """The first and last cells of the widget's vertical scrollbar, on the screen."""
    bar = widget.vertical_scrollbar.region
    return Offset(bar.x, bar.y), Offset(bar.x, bar.bottom - 1)


async def test_a_click_on_the_lists_scrollbar_brings_the_cursor_along(
    new_app: AppFactory,
) -> None:
    async with running(new_app, (120, 16)) as (pilot, screen):
        articles, reader = screen.articles, screen.reader
        assert articles.max_scroll_y > 0
        await click(pilot, offset=scrollbar_ends(articles)[1])
        assert articles.scroll_y > 0 and cursor_on_screen(articles)
        shown = articles.current
        assert shown is not None and shown.title != TITLES[0]
        await pilot.press("enter")
        await settle(pilot)
        assert reader.article and reader.article.row.title == shown.title


async def test_dragging_the_sources_scrollbar_brings_the_cursor_along(
    new_app: AppFactory,
) -> None:
    async with running(new_app, (120, 14)) as (pilot, screen):
        pane = screen.sources
        await pilot.press("h")
        top, bottom = scrollbar_ends(pane)
        await pilot.mouse_down(offset=top)  # the thumb, at the top
        await pilot.hover(offset=bottom)
        await pilot.mouse_up(offset=bottom)
        await settle(pilot)
        assert scrolled_to_cursor(pane)
        picked = highlighted(pane)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.views.state.scope.key == picked != "all"


KEYS_OPENING = {
    "help": ("question_mark",),
    "error": ("exclamation_mark", "i"),  # the failing source's whole error
    "links": ("enter", "L"),
}


@pytest.mark.parametrize("dialog", KEYS_OPENING)
async def test_a_click_outside_a_dialog_closes_it_as_esc_does(
    new_app: AppFactory, dialog: str
) -> None:
    async with running(new_app) as (pilot, screen):
        await pilot.press(*KEYS_OPENING[dialog])
        await settle(pilot)
        assert isinstance(screen.app.screen, ModalScreen)
        await click(pilot, offset=(1, 1))
        assert screen.is_current


async def test_a_click_outside_a_prompt_cancels_it(new_app: AppFactory) -> None:
    async with running(new_app) as (pilot, screen):
        answers: list[str | None] = []
        screen.app.push_screen(
            PromptDialog("Feed URL?", value="https://x.example/"), answers.append
        )
        await settle(pilot)
        await click(pilot, offset=(1, 1))
        assert answers == [None]


@pytest.mark.parametrize(("destructive", "answered"), [(False, [False]), (True, [])])
async def test_a_click_outside_says_no_unless_yes_cannot_be_undone(
    new_app: AppFactory, destructive: bool, answered: list[bool]
) -> None:
    async with running(new_app) as (pilot, screen):
        answers: list[bool | None] = []
        question = ConfirmDialog("Replace notes.opml?", destructive=destructive)
        screen.app.push_screen(question, answers.append)
        await settle(pilot)
        await click(pilot, offset=(1, 1))
        assert answers == answered and (screen.app.screen is question) == destructive


async def test_one_click_plays_the_attachment_under_the_pointer(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    # The first click focused the list, which grew a border and moved its rows under the
    # pointer: it took a second click, as the `L` picker does not.
    first, second = "https://pod.example.org/a.mp3", "https://pod.example.org/b.mp4"
    add_sample(store, (Enclosure(first), Enclosure(second, "video/mp4")))
    config = make_config(tmp_path, player=fake_player(tmp_path))
    async with running(new_app, config=config) as (pilot, screen):
        reader = screen.reader
        await open_sample(pilot, reader)
        attachments = reader.query_one(Attachments)
        reader.scroll_to_widget(attachments, animate=False)
        await settle(pilot)
        notes = record_notifications(screen.app)
        await click(pilot, attachments, offset=(10, 0), button=3)  # the right button: nothing
        assert notes == []
        await pilot.click(attachments, offset=(10, 1))
        assert await played(pilot, tmp_path) == [second]


async def test_a_click_on_the_articles_title_focuses_the_list(new_app: AppFactory) -> None:
    # As a click on the Sources' or the Reader's border does.
    async with running(new_app) as (pilot, screen):
        reader = screen.reader
        reader.focus()
        await settle(pilot)
        box = screen.query_one("#list-pane")
        await click(pilot, box, offset=(4, 0))  # the title, on the top border
        assert focused_pane(screen) == "list"


async def test_a_click_on_the_header_leaves_it_one_line_tall(new_app: AppFactory) -> None:
    # Textual's header grew to three lines at a click, taking two rows from the panes.
    async with running(new_app, (100, 24)) as (pilot, screen):
        articles = screen.articles
        height = articles.region.height
        await click(pilot, Heading, offset=(50, 0))
        assert screen.query_one(Heading).region.height == 1
        assert articles.region.height == height


async def test_text_dragged_over_in_the_reader_is_selected_and_ctrl_c_copies_it(
    new_app: AppFactory,
) -> None:
    # The selection gave the widget's name ('ArticleBody#reader-body'), and ctrl+c only
    # said how to quit.
    async with running(new_app) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        body = screen.query_one(ArticleBody)
        await pilot.mouse_down(body, offset=(4, 0))
        await pilot.hover(body, offset=(12, 1))
        await pilot.mouse_up(body, offset=(12, 1))
        await settle(pilot)
        first, second = [body.render_line(y).text for y in (0, 1)]
        selected = first[4:].rstrip() + "\n" + second[:13]  # to the character under it
        assert first.startswith("The council met") and screen.get_selected_text() == selected
        drawn = [segment.style for segment in body.render_line(0)]
        assert drawn[0] != drawn[-1]  # the selection shows: from the 5th character on
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert screen.app.clipboard == selected and screen.app.is_running

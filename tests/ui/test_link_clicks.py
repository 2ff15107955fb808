"""The mouse on links: a click on a link's text in the reader opens it as the `L` picker
does, a drag over it selects text; in the picker only the left button picks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual import events
from textual.geometry import Offset
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Static

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import LINKS
from tests.ui.test_links import opened as opened  # the fixture: what the browser was given
from tests.ui.test_mouse import click, running
from tui.ui.screens.dialogs import LinkPicker
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.reader_text import ReaderHeader


def where(widget: Widget, text: str) -> Offset:
    """Where `text` is drawn in `widget` (its first row holding it)."""
    rows = [widget.render_line(y).text for y in range(widget.size.height)]
    y = next(y for y, row in enumerate(rows) if text in row)
    return Offset(rows[y].index(text), y)


async def drag(pilot: Pilot[None], widget: Widget, start: Offset, end: Offset) -> None:
    """The left button pressed, moved and released as a terminal reports it: to the app,
    which makes a click of a release on the widget pressed (Pilot's events skip that)."""
    steps = ((events.MouseDown, start), (events.MouseMove, end), (events.MouseUp, end))
    for kind, offset in steps:
        x, y = widget.region.offset + offset
        pilot.app.post_message(
            kind(widget=None, x=x, y=y, delta_x=0, delta_y=0, button=1, shift=False,
                 meta=False, ctrl=False, screen_x=x, screen_y=y)
        )  # fmt: skip
        await pilot.pause()
    await settle(pilot)


@asynccontextmanager
async def reading(new_app: AppFactory) -> AsyncIterator[tuple[Pilot[None], MainScreen]]:
    """The newest article open (its body has links [1] and [2]), the reader focused as a
    click on it focuses it (the list keeps the focus of Enter)."""
    async with running(new_app) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        screen.reader.focus()
        await settle(pilot)
        yield pilot, screen


async def test_a_click_on_a_links_number_in_the_text_opens_it(
    new_app: AppFactory, opened: list[str]
) -> None:
    # The numbers were drawn as links but only keys and `L` opened them.
    async with reading(new_app) as (pilot, screen):
        body = screen.reader.body
        await click(pilot, body, offset=where(body, "[2]") + (1, 0))
        assert opened == [LINKS[1]]
        await click(pilot, body, offset=where(body, "[99]") + (1, 0))  # no such link
        await click(pilot, body, offset=where(body, "council"))  # plain text
        assert opened == [LINKS[1]]


async def test_a_click_on_a_listed_link_or_the_address_opens_it(
    new_app: AppFactory, opened: list[str]
) -> None:
    async with reading(new_app) as (pilot, screen):
        listed = screen.reader.query_one("#reader-links", Static)
        screen.reader.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        await click(pilot, listed, offset=where(listed, "report.pdf"))
        assert opened == [LINKS[1]]
        screen.reader.scroll_home(animate=False, immediate=True)
        await settle(pilot)
        header = screen.reader.query_one(ReaderHeader)
        await click(pilot, header, offset=where(header, "https://world.example/"))
        row = screen.reader.article.row if screen.reader.article else None
        assert row is not None and opened == [LINKS[1], row.url]


async def test_a_drag_from_a_link_selects_and_other_buttons_open_nothing(
    new_app: AppFactory, opened: list[str]
) -> None:
    async with reading(new_app) as (pilot, screen):
        body = screen.reader.body
        link = where(body, "[2]") + (1, 0)
        await drag(pilot, body, link - (10, 0), link)  # ended on the link: the app clicks
        assert screen.get_selected_text() == "vailable [2" and opened == []
        start = link
        for button in (2, 3):
            await click(pilot, body, offset=start, button=button)
        await pilot.double_click(body, offset=start)  # selects a word; opens once
        await settle(pilot)
        assert opened == [LINKS[1]]


async def test_only_the_left_button_picks_in_the_link_picker(
    new_app: AppFactory, opened: list[str]
) -> None:
    # A right or a middle click on a row opened its link.
    async with running(new_app) as (pilot, screen):
        await pilot.press("enter", "L")
        await settle(pilot)
        assert isinstance(screen.app.screen, LinkPicker)
        options = screen.app.screen.query_one(OptionList)
        for button in (2, 3):
            await click(pilot, options, offset=(4, 1), button=button)
        assert opened == [] and isinstance(screen.app.screen, LinkPicker)
        await click(pilot, options, offset=(4, 1))
        assert opened == [LINKS[1]]

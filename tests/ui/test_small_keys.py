"""A tester's keyboard habits and small terminals: the palette's arrows, a `q` typed in a
burst, pane keys over the zoomed reader, a narrow header."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList
from textual.events import Key

from tests.ui.conftest import AppFactory, pressed, settle
from tests.ui.test_keys import remapped
from tests.ui.test_reading import focused_pane
from tui.ui.app import NewsdeskApp
from tui.ui.widgets.heading import Heading, Title
from tui.ui.widgets.search_bar import SearchInput
from tui.ui.widgets.sources import SourcesPane


async def test_the_palette_moves_with_the_arrows(new_app: AppFactory) -> None:
    # Down, Up and the page keys left the first entry highlighted: the input's own scroll
    # keys took them, with nothing to scroll.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pressed(pilot, "ctrl+p", *"pane")
        commands = app.screen.query_one(CommandList)
        assert str(commands.get_option_at_index(2).prompt) == "Pane right  l"
        await pressed(pilot, "pagedown", "pageup", "down", "down", "down", "up")
        assert commands.highlighted == 2
        assert focused_pane(app.main) == "list"
        await pressed(pilot, "enter")
        assert focused_pane(app.main) == "reader"


def burst(app: NewsdeskApp, *keys: str) -> None:
    """Keys arriving together, as a terminal (or `tmux send-keys`) sends them: no pause."""
    for key in keys:
        character = "/" if key == "slash" else "'" if key == "apostrophe" else key
        app.post_message(Key(key, character))


NEWSBOAT_QUIT = {"pane.back": "q,escape", "app.quit": "Q"}
"""The README's newsboat habits: `q` goes back, `Q` quits."""


@pytest.mark.parametrize(
    ("opener", "quit_key", "keys"),
    [("slash", "q", {}), ("apostrophe", "q", {}), ("slash", "Q", NEWSBOAT_QUIT)],
)
async def test_a_quit_key_typed_in_a_burst_after_a_text_key_is_typed(
    new_app: AppFactory, tmp_path: Path, opener: str, quit_key: str, keys: dict[str, str]
) -> None:
    # `q` right after `/` or `'` quit the app: its binding, a priority one, ran before the
    # `/` had given the focus to the search bar.
    app = new_app(config=remapped(tmp_path, keys))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if opener == "apostrophe":
            await pilot.press("h", "h")  # the sources pane, whose `'` finds a source
            await settle(pilot)
        burst(app, opener, quit_key, "u")
        await settle(pilot)
        assert app.return_code is None
        if opener == "slash":
            assert app.main.query_one(SearchInput).value == f"{quit_key}u"
        else:
            assert "find: qu" in str(app.main.query_one(SourcesPane).border_subtitle)
        await pressed(pilot, "escape")
        await pilot.press(quit_key)  # out of the text, the key quits
        await settle(pilot)
        assert app.return_code == 0


@pytest.mark.parametrize(
    ("key", "pane"), [("tab", "sources"), ("shift+tab", "list"), ("h", "list")]
)
async def test_pane_keys_unzoom_the_reader(new_app: AppFactory, key: str, pane: str) -> None:
    # The focus went to a hidden pane: its keys in the footer, `j j Enter` acting unseen.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pressed(pilot, "enter", "z")
        assert app.main.reader.is_maximized
        await pressed(pilot, key)
        assert not app.main.reader.is_maximized and app.main.maximized is None
        assert focused_pane(app.main) == pane
        assert app.main.query_one("#sources" if pane == "sources" else "#list-pane").region


async def test_a_narrow_header_names_the_view_alone(new_app: AppFactory) -> None:
    # At 30 columns it read "newsdesk — Search: bu…": the view had no room.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pressed(pilot, "slash", *"bu")
        title = app.main.query_one(Heading).query_one(Title)
        assert str(title.render()).startswith("newsdesk — Search")
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        assert str(title.render()).startswith("Search: bu")

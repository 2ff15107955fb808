"""The footer: the focused pane's keys, drawn as one line; a click runs its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory, pressed, record_calls, settle
from tests.ui.test_keys import remapped
from tests.ui.test_reading import focused_pane, parts
from tests.ui.test_small_keys import NEWSBOAT_QUIT
from tui.ui.screens.dialogs import ConfirmDialog
from tui.ui.widgets.footer import KeysFooter


async def test_a_click_on_a_key_runs_it(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        footer = screen.query_one(KeysFooter)
        line = footer.render().plain
        assert "Search" in footer.labels
        await pilot.click(KeysFooter, offset=(line.index("Search"), 0))
        await settle(pilot)
        assert screen.search_bar.display and screen.focused is screen.search_bar.input


async def test_other_keys_are_shown_without_laying_the_screen_out_again(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A widget per key (Textual's footer) took new widths: two more layouts for each Tab.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        footer = screen.query_one(KeysFooter)
        listed = footer.labels
        layouts = record_calls(monkeypatch, screen, "_refresh_layout")
        await pilot.press("tab")
        await settle(pilot)
        assert focused_pane(screen) == "reader" and footer.labels != listed
        assert len(layouts) <= 1
        assert "Back" in footer.render().plain


async def test_a_narrow_footer_drops_whole_keys_never_their_descriptions(
    new_app: AppFactory,
) -> None:
    # At 60 columns the reader's footer ended in `N Unre`, and elsewhere in a bare `n`.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        for keys in ((), ("enter",)):  # the list's keys, then the reader's
            await pilot.press(*keys)
            for width in range(40, 101, 3):
                await pilot.resize_terminal(width, 20)
                await pilot.pause()
                left, bar, palette = footer.render().plain.partition("▏")
                shown = left.rstrip()
                assert bar and palette == "^p Commands "
                assert not shown or shown.endswith(tuple(footer.labels)), (width, shown)
                assert shown.startswith(" ⏎ Open" if not keys else " space More")


async def test_the_search_bars_footer_shows_no_key_it_types(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # With the README's newsboat keys (`q` and Esc go back) it showed `q Back`: q types a q.
    app = new_app(config=remapped(tmp_path, NEWSBOAT_QUIT))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pressed(pilot, "slash")
        line = app.main.query_one(KeysFooter).render().plain
        assert "esc Close search" in line and "Back" not in line


async def test_a_confirm_dialogs_footer_at_30x10_shows_both_answers(new_app: AppFactory) -> None:
    # It showed "y Yes (confirm)" alone: "n No (cancel)" had no room left.
    app = new_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmDialog("Mark 1,234 unread articles here as read?"))  # as `M`
        await settle(pilot)
        line = app.screen.query_one(KeysFooter).render().plain
        assert "y Yes" in line and "n No" in line

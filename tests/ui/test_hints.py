"""The hints stay where terminals are small: `?` is the footer's last key to go, the add-feed
prompt keeps its field and its hint at 40x12 and 30x10, and the help tells Enter of the
search bar."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_feeds import prompted
from tui.ui.app import help_sections
from tui.ui.keys import help_rows
from tui.ui.widgets.footer import KeysFooter


async def test_the_footer_keeps_help_when_keys_must_go(new_app: AppFactory) -> None:
    # At 80x24 the reader's footer dropped `? Help` first, its keys being the app's, last.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeysFooter)
        await pilot.press("enter")  # the reader's keys: the most of any pane
        for width in range(30, 121, 5):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            left = footer.render().plain.partition("▏")[0]
            assert "? Help" in left, (width, left)
        assert len(left.split("  ")) > 5  # wide: the others are shown too


@pytest.mark.parametrize("size", [(40, 12), (30, 10)])
async def test_the_add_feed_prompt_keeps_its_field_and_hint_on_a_small_screen(
    new_app: AppFactory, size: tuple[int, int]
) -> None:
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        field = await prompted(pilot, "Add feed")
        await pilot.pause()  # (no settle: the command's worker waits for the answer)
        hint = app.screen.query_one(".dialog-hint", Label)
        dialog = app.screen.query_one(".dialog")
        for shown in (field, hint):
            assert shown.region.height >= 1, shown
            assert dialog.content_region.contains_region(shown.region), shown
        assert isinstance(field, Input) and field.content_region.width > 10
        whole = " ".join(hint.render_line(y).text.strip() for y in range(hint.size.height))
        assert whole == "Enter to go on, Esc to cancel"


def test_the_help_tells_enter_of_the_search_bar() -> None:
    [search_bar] = [part for part in help_sections() if part.title == "Search bar"]
    listed = help_rows(search_bar, {}, lambda binding: binding.key)
    rows = {row.keys: row.description for row in listed}
    assert rows[("enter",)] == "Go to the results"
    assert ("escape",) in rows

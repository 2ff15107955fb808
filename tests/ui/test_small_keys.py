"""Keys as a tester's habits sent them: the palette's arrows, a `q` typed in a burst."""

from __future__ import annotations

from textual.command import CommandList

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import focused_pane


async def test_the_palette_moves_with_the_arrows(new_app: AppFactory) -> None:
    # Down, Up and the page keys left the first entry highlighted: the input's own scroll
    # keys took them, with nothing to scroll.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"pane")
        await settle(pilot)
        commands = app.screen.query_one(CommandList)
        assert str(commands.get_option_at_index(2).prompt) == "Pane right  l"
        await pilot.press("pagedown", "pageup", "down", "down", "down", "up")
        await settle(pilot)
        assert commands.highlighted == 2
        assert focused_pane(app.main) == "list"
        await pilot.press("enter")
        await settle(pilot)
        assert focused_pane(app.main) == "reader"

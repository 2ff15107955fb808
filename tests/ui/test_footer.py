"""The footer: the focused pane's keys, drawn as one line; a click runs its key."""

from __future__ import annotations

from textual.screen import Screen

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import focused_pane, parts
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
    new_app: AppFactory,
) -> None:
    # A widget per key (Textual's footer) took new widths: two more layouts for each Tab.
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, _, _ = parts(app)
        footer = screen.query_one(KeysFooter)
        listed = footer.labels
        layouts: list[object] = []
        refresh_layout = Screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            layouts.append(args)
            refresh_layout(screen, *args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = counted  # type: ignore[method-assign]
        await pilot.press("tab")
        await settle(pilot)
        assert focused_pane(screen) == "reader" and footer.labels != listed
        assert len(layouts) <= 1
        assert "Back" in footer.render().plain

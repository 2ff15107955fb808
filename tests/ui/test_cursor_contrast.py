"""The cursor's row reads in every theme: each part of it (a read title, the source, the age,
a search match, the snippet) at WCAG's 4.5:1 or more on the cursor's colour, in both lists,
focused or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.strip import Strip

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tests.ui.test_reading import parts
from tui.ui.format import READABLE, contrast

THEMES = ("textual-dark", "textual-light", "catppuccin-latte", "solarized-light")


def lowest_contrast(strip: Strip) -> float:
    """The least contrast of the strip's text with its background."""
    ratios = [
        contrast(segment.style.color.get_truecolor(), segment.style.bgcolor.get_truecolor())
        for segment in strip
        if segment.text.strip() and segment.style and segment.style.color and segment.style.bgcolor
    ]
    assert ratios, "the row's text has its own colours"
    return min(ratios)


@pytest.mark.parametrize("theme", THEMES)
async def test_every_part_of_the_cursor_row_reads(
    new_app: AppFactory, tmp_path: Path, theme: str
) -> None:
    async with new_app(config=make_config(tmp_path, theme=theme)).run_test() as pilot:
        await settle(pilot)
        screen, articles, _ = parts(pilot.app)
        await pilot.press("m")  # a read row (muted title) under the cursor
        await settle(pilot)
        assert articles.current and articles.current.read
        assert lowest_contrast(articles.render_line(0)) >= READABLE
        await pilot.press("j")  # an unread one (bold title, the unread mark)
        await settle(pilot)
        assert lowest_contrast(articles.render_line(1)) >= READABLE
        await pilot.press("slash", *"climate", "enter")  # a match in the title and snippet
        await settle(pilot)
        assert articles.rows.total and articles.cursor == 0
        assert lowest_contrast(articles.render_line(0)) >= READABLE
        assert lowest_contrast(articles.render_line(1)) >= READABLE
        await pilot.press("h")  # the sources pane focused, the list's cursor blurred
        await settle(pilot)
        sources = screen.sources
        assert sources.cursor is not None
        assert lowest_contrast(sources.render_line(sources.cursor)) >= READABLE
        assert lowest_contrast(articles.render_line(0)) >= READABLE

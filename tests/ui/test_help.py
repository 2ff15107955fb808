"""What `?` tells beside the keys: the search language, a line each, and when the sources
refresh by themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tui.ui.screens.help import QUERY_LANGUAGE, HelpScreen


def static_lines(screen: HelpScreen) -> list[str]:
    """The help's lines as drawn, each Static's rows at its width."""
    return [
        strip.text.rstrip()
        for static in screen.query(Static)
        for strip in static.render_lines(static.region.reset_offset)
    ]


async def test_the_search_queries_list_every_filter_a_line_each_at_80_columns(
    new_app: AppFactory,
) -> None:
    # `?` listed only is:unread, is:read and is:saved: no is:hidden, NOT or tag:.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        lines = static_lines(screen)
        start = lines.index("Search queries")
        queries = lines[start + 1 : start + 1 + len(QUERY_LANGUAGE)]
        assert [line.split()[0] for line in queries] == [
            example.split()[0] for example, _ in QUERY_LANGUAGE
        ]  # each example on its own line: none wrapped onto a second
        text = "\n".join(queries)
        for word in ("is:hidden", "NOT", "tag:", "title:", "before:", "since:7d"):
            assert word in text


@pytest.mark.parametrize(
    ("minutes", "said"), [(30, "Automatic refresh: every 30 min"), (0, "Automatic refresh: off")]
)
async def test_the_help_says_when_the_sources_refresh_by_themselves(
    new_app: AppFactory, tmp_path: Path, minutes: int, said: str
) -> None:
    config = make_config(tmp_path, refresh_minutes=minutes)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(static_lines(app.screen))
        assert f"{said} (refresh_minutes in {config.path}" in " ".join(text.split())

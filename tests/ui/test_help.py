"""What `?` tells beside the keys (the search language, a line each, and when the sources
refresh by themselves), and its own keys in its footer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tui.config import Config
from tui.ui.screens.help import QUERY_LANGUAGE, HelpScreen
from tui.ui.widgets.footer import KeysFooter


async def opened_help(pilot: Pilot[Any]) -> HelpScreen:
    """Press `?` once the app has loaded; the help screen it opens."""
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpScreen)
    return pilot.app.screen


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
    async with new_app().run_test(size=(80, 24)) as pilot:
        lines = static_lines(await opened_help(pilot))
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
    async with new_app(config=config).run_test(size=(120, 40)) as pilot:
        text = " ".join(static_lines(await opened_help(pilot)))
        assert f"{said} (refresh_minutes in {config.path}" in " ".join(text.split())


async def test_a_config_that_could_not_be_read_is_said_to_apply_in_no_part(
    new_app: AppFactory, tmp_path: Path
) -> None:
    # An unknown key fails the whole file: the help said "the rest of it applies" and named
    # the file's refresh_minutes, though the defaults ran.
    config = Config(tmp_path / "feeds.toml")  # what the app runs on then: the defaults
    error = f"{config.path}:2: settings.refresh_minute: unknown key"
    async with new_app(config=config, config_error=error).run_test(size=(120, 40)) as pilot:
        text = " ".join(" ".join(static_lines(await opened_help(pilot))).split())
    assert "Problems in the config (none of it applies)" in text
    assert f"Automatic refresh: every 30 min (the default: {config.path} could not be read)" in text


async def test_the_help_shows_its_own_keys(new_app: AppFactory) -> None:
    # Its footer was the main view's (Read, Save, Search...), whose keys do nothing there.
    async with new_app().run_test(size=(80, 24)) as pilot:
        help_screen = await opened_help(pilot)
        labels = help_screen.query_one(KeysFooter).labels
        assert labels[:3] == ["Close help", "Page down", "Page up"] and "Read" not in labels
        await pilot.press("pagedown")
        await pilot.pause()
        assert help_screen.query_one("#help-body").scroll_y > 0

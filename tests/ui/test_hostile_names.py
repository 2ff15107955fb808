"""Names that look like Rich markup (`[/]`, `[bold]`) in a source, a tag and a saved search:
every screen that shows a name shows it as written, and none of them crashes on it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.app import App

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tui.config import Config, SearchConfig, SourceConfig
from tui.models import Article, FetchOutcome, SourceKind
from tui.store import Store
from tui.ui.screens.main import MainScreen

CLOSER, LOUD = "a [/] b", "[bold]Loud"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    sources = (
        SourceConfig(CLOSER, url="http://127.0.0.1:9/closer", tags=(LOUD,)),
        SourceConfig(LOUD, url="http://127.0.0.1:9/loud", tags=(CLOSER,)),
    )
    searches = (SearchConfig(CLOSER, "budget"), SearchConfig(LOUD, "budget"))
    base = make_config(tmp_path)
    return replace(base, sources=base.sources + sources, searches=searches)


def screen_text(app: App[None]) -> str:
    """Every row of the screen as drawn, top to bottom."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_markup_like_names_are_shown_as_written(
    new_app: AppFactory, config: Config, store: Store
) -> None:
    stamp = 1_700_000_000.0
    closer = store.ensure_source(CLOSER, SourceKind.WEB, "http://127.0.0.1:9/closer", (LOUD,))
    store.record_refresh(
        closer, [Article("The budget", "Body.", guid="1")], FetchOutcome(), now=stamp
    )
    loud = store.ensure_source(LOUD, SourceKind.WEB, "http://127.0.0.1:9/loud", (CLOSER,))
    store.record_refresh(loud, None, FetchOutcome(status=500, error="HTTP 500 [/]"), now=stamp)
    app = new_app(config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        shown = screen_text(app)
        assert f"failing: {LOUD}" in shown  # the status line
        for key, label in (
            (f"source:{CLOSER}", CLOSER),
            (f"source:{LOUD}", LOUD),
            (f"tag:{CLOSER}", f"#{CLOSER}"),
            (f"tag:{LOUD}", f"#{LOUD}"),
            (f"search:{CLOSER}", f"Search: {CLOSER}"),
            (f"search:{LOUD}", f"Search: {LOUD}"),
        ):
            screen.sources.highlight(key)
            screen.sources.focus()
            await pilot.press("enter")
            await settle(pilot)
            assert label in screen.sub_title  # the header
            assert label in screen_text(app)  # the sources pane, the header
            await pilot.press("f")
            await settle(pilot)
            assert f"Filter {label}:" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("ctrl+p", *CLOSER)
        await settle(pilot)
        assert CLOSER in screen_text(app)  # what was typed in the palette
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running

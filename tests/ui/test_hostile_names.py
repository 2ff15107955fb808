"""Names that look like Rich markup (`[/]`, `[bold]`) in a source, a tag and a saved search:
every screen that shows a name shows it as written, and none of them crashes on it. A local
link's file name holding escape sequences is shown with them written out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import OptionList, Static

from tests.ui.conftest import AppFactory, settle
from tests.ui.data import make_config
from tui.config import Config, SearchConfig, SourceConfig
from tui.models import Article, FetchOutcome, SourceKind
from tui.sources.files import load_file
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


async def test_a_local_links_file_name_is_shown_escaped(
    new_app: AppFactory, store: Store, tmp_path: Path
) -> None:
    # The link is stored percent-encoded; its file's name, decoded, held a clear screen, a
    # window title and a right-to-left override for the terminal.
    folder = tmp_path / "notes"
    folder.mkdir()
    note = folder / "note.md"
    note.write_text(
        "# A note\n\nSee [doc](file:///tmp/%1B%5B2J%1B%5D2%3Bpwned%1B%5C) and "
        "[other](file:///tmp/a%E2%80%AEb).\n"
    )
    [article], _ = load_file(note)
    source = store.ensure_source("Notes", SourceKind.LOCAL, str(folder))
    store.record_refresh(source, [article], FetchOutcome(), now=2 * 10**9)
    app = new_app(config=make_config(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        listed = str(app.screen.query_one("#reader-links", Static).content)
        await pilot.press("L")
        await settle(pilot)
        picked = "\n".join(str(o.prompt) for o in app.screen.query_one(OptionList).options)
        for shown in (listed, picked):
            assert "\\x1b[2J\\x1b]2;pwned\\x1b\\ (local file)" in shown
            assert "a\\u202eb (local file)" in shown
            assert "\x1b" not in shown and "\u202e" not in shown

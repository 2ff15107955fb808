"""The TUI follows the config edited while it runs (`R` reads it again): a source renamed
there keeps its view open under the new name, and one deleted from it by hand stays, greyed,
with its articles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.feedserver import FeedServer
from tests.ui.conftest import AppFactory, record_notifications, settle
from tests.ui.test_day_two import show_scope
from tests.ui.test_reading import parts
from tests.ui.test_refresh import recent_rss
from tui.cli import main
from tui.config import load_config
from tui.store import Store
from tui.ui.source_lines import Entry, load_entries

ENTRY = '[[sources]]\nname = "{}"\nurl = "{}"\n'


@pytest.fixture
def config(tmp_path: Path, feed_server: FeedServer) -> Path:
    """A config of two feeds, One (two articles) and Two (one)."""
    one = feed_server.feed("/one.xml", recent_rss("One", 2))
    two = feed_server.feed("/two.xml", recent_rss("Two", 1))
    path = tmp_path / "feeds.toml"
    path.write_text(
        "[settings]\nrefresh_minutes = 0\n" + ENTRY.format("One", one) + ENTRY.format("Two", two)
    )
    return path


@asynccontextmanager
async def refreshed(
    new_app: AppFactory, config: Path
) -> AsyncIterator[tuple[Pilot[None], list[tuple[str, str]]]]:
    """The app on `config`'s feeds alone (a cache of its own), refreshed once with `R`, and
    the notifications it shows from then on."""
    own = Store.open(config.parent / "own" / "newsdesk.db")
    app = new_app(config=load_config(config), store=own)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        yield pilot, notes
    own.close()


async def test_a_source_renamed_in_the_config_keeps_its_open_view_and_is_told(
    new_app: AppFactory, config: Path
) -> None:
    async with refreshed(new_app, config) as (pilot, notes):
        await show_scope(pilot, "source:One")
        screen, articles, _ = parts(pilot.app)
        assert screen.sub_title == "One · 2 stories"
        config.write_text(config.read_text().replace('"One"', '"One (renamed)"'))
        await pilot.press("R")
        await settle(pilot)
        told = "'One' is 'One (renamed)' now (renamed in feeds.toml): its articles follow"
        assert ("", told) in notes
        assert screen.sub_title == "One (renamed) · 2 stories" and articles.rows.total == 2
        highlighted = screen.sources.highlighted_entry
        assert highlighted and highlighted.scope.name == "One (renamed)"  # the pane's cursor too
        assert "source:One" not in screen.sources.entries


async def test_a_source_deleted_from_the_config_stays_greyed_with_its_articles(
    new_app: AppFactory, config: Path
) -> None:
    async with refreshed(new_app, config) as (pilot, notes):
        config.write_text(config.read_text().split('[[sources]]\nname = "Two"')[0])
        await pilot.press("R")
        await settle(pilot)
        told = "'Two' is no longer in feeds.toml: its 1 article is kept; "
        assert any(note.startswith(told) for _, note in notes)
        screen, _, _ = parts(pilot.app)
        entry = screen.sources.entries["source:Two"]
        assert entry.count == 1 and entry.unlisted
        assert entry.warning and entry.warning.startswith("not in the config")
        assert not screen.sources.entries["source:One"].unlisted


async def test_a_source_disabled_in_the_config_is_greyed_and_says_why(
    new_app: AppFactory, config: Path
) -> None:
    async with refreshed(new_app, config) as (pilot, _):
        config.write_text(config.read_text() + "enabled = false\n")  # Two's table is last
        await pilot.press("R")
        await settle(pilot)
        screen, _, _ = parts(pilot.app)
        entry = screen.sources.entries["source:Two"]
        assert entry.count == 1 and entry.disabled and not entry.unlisted
        assert entry.warning and entry.warning.startswith("disabled in the config")
        assert not screen.sources.entries["source:One"].disabled


async def test_a_source_deleted_from_the_config_is_not_told_at_every_start(
    new_app: AppFactory, config: Path
) -> None:
    # The refresh the TUI starts with said "'Two' is no longer in feeds.toml" at every start:
    # a whole refresh asked for (`R`) says it; the TUI's automatic ones leave it out.
    async with refreshed(new_app, config):
        config.write_text(config.read_text().split('[[sources]]\nname = "Two"')[0])
    for _ in range(2):
        own = Store.open(config.parent / "own" / "newsdesk.db")
        app = new_app(config=load_config(config), store=own, refresh_on_start=True)
        notes = record_notifications(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.main.refresher.runs == 1  # the start's refresh ran
            assert not any("no longer in" in note for _, note in notes)
            await pilot.press("R")
            await settle(pilot)
            assert any(note.startswith("'Two' is no longer in feeds.toml") for _, note in notes)
        own.close()


def test_a_source_renamed_in_the_config_is_not_greyed_before_a_refresh_follows_it(
    config: Path,
) -> None:
    cache = config.parent / "own"
    assert main(["--config", str(config), "--cache", str(cache), "refresh"]) == 0
    config.write_text(config.read_text().replace('"Two"', '"Two (renamed)"'))
    store = Store.open(cache / "newsdesk.db")
    lines = load_entries(store, load_config(config), datetime.now().astimezone())
    store.close()
    entry = next(e for e in lines if isinstance(e, Entry) and e.scope.name == "Two")
    assert not entry.unlisted and entry.warning is None

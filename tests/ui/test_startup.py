"""Start-up: the TUI loads what its first screen needs, and starts the rest after drawing it."""

from __future__ import annotations

import gc
import subprocess
import sys
from dataclasses import replace

from tests.ui.conftest import AppFactory, settle
from tests.ui.test_reading import TITLES, parts
from tui.config import Config
from tui.refresh.known import sync_sources
from tui.store import Store

LATER = ("httpx", "tui.sources.fetch", "tui.refresh.run", "tui.offline.saving")
"""Modules (and their imports: the network stack) that wait for the first refresh, download
or save."""


def test_the_tui_loads_no_network_code_before_its_first_screen() -> None:
    code = (
        "import sys, tui.cli, tui.ui\n"
        f"print(' '.join(name for name in {LATER!r} if name in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""


async def test_the_sources_pane_fills_in_after_the_list(new_app: AppFactory) -> None:
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = parts(app)[0]
        await settle(pilot)
        assert screen.articles.current and screen.articles.current.title == TITLES[0]
        assert screen.sources.entries["source:World News"].count == 5
        assert screen.sources.entries["all"].count == len(TITLES)


async def test_the_collector_held_while_the_ui_loads_runs_again_once_it_is_filled_in(
    new_app: AppFactory,
) -> None:
    app = new_app()
    gc.disable()  # as `newsdesk` does before it loads the UI
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = parts(app)[0]
            await settle(pilot)
            assert screen.sources.entries["all"].count == len(TITLES)
            assert gc.isenabled()
    finally:
        gc.enable()


def test_start_up_writes_nothing_for_sources_stored_as_configured(
    config: Config, store: Store
) -> None:
    other = Store.open(store.path)  # another process watching the cache
    try:
        seen = other.data_version()
        sync_sources(config, store)  # the TUI's start with the same config
        assert other.data_version() == seen
        moved = replace(config.sources[0], url="https://world.example/new.xml", tags=("world",))
        sync_sources(replace(config, sources=(moved, *config.sources[1:])), store)
        assert other.data_version() != seen
        world = store.source_state("World News")
        assert world is not None and world.tags == ("world",)
        assert world.location == "https://world.example/new.xml"
    finally:
        other.close()


async def test_with_every_source_disabled_the_start_lists_new_sources_and_refreshes_none(
    new_app: AppFactory, config: Config
) -> None:
    added = replace(config.sources[0], name="Added Later", url="https://added.example/rss")
    sources = tuple(replace(s, enabled=False) for s in (*config.sources, added))
    app = new_app(config=replace(config, sources=sources), refresh_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = parts(app)[0]
        await settle(pilot)
        assert screen.sources.entries["source:Added Later"].count == 0
        assert screen.sources.entries["source:World News"].count == 5
        assert "up to date" not in screen.status.activity  # no refresh ran

"""The TUI with a `[sync]` server: it shows the cache at once and syncs in the background,
even when the server never answers."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.ui.conftest import (  # noqa: F401 (fixtures)
    AppFactory,
    config,
    new_app,
    record_notifications,
    settle,
    store,
    wait_for_rows,
)
from tests.ui.test_dialogs import shown
from tests.ui.test_reading import TITLES, parts
from tests.ui.test_sources_pane import shown_words
from tui.config import Config, Settings, SyncConfig
from tui.models import Article
from tui.refresh.summary import SYNC
from tui.store import Store, View
from tui.store.sync import SyncedFeed, SyncedItem
from tui.ui.refresher import Refresher
from tui.ui.screens.dialogs import NoteDialog


@pytest.fixture
def silent() -> Iterator[socket.socket]:
    """A server port that takes connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener


def closed_port() -> int:
    """A port nothing listens on: a connection to it is refused."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return int(closed.getsockname()[1])


def sync_to(tmp_path: Path, port: int) -> Config:
    sync = SyncConfig(service="ttrss", url=f"http://127.0.0.1:{port}/", user="me", password="pw")
    return Config(tmp_path / "feeds.toml", settings=Settings(refresh_minutes=0), sync=sync)


def hanging_sync(tmp_path: Path, silent: socket.socket) -> Config:
    """No sources of its own; a Tiny Tiny RSS server that never answers."""
    return sync_to(tmp_path, silent.getsockname()[1])


async def test_a_sync_failing_each_minute_is_toasted_once(
    new_app: AppFactory,  # noqa: F811
    tmp_path: Path,
) -> None:
    # A server down for an hour toasted "Sync failed" every minute over the reader.
    each_minute = replace(sync_to(tmp_path, closed_port()), settings=Settings(refresh_minutes=1))
    clock = [time.time()]
    app = new_app(config=each_minute, now=lambda: datetime.fromtimestamp(clock[0], UTC))
    notes = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = parts(app)[0]
        await settle(pilot)

        async def failures(*keys: str) -> int:
            notes.clear()
            if not keys:  # the next minutes' automatic refresh
                clock[0] += 120
                screen.refresher.post_message(Refresher.Due())
            await pilot.press(*keys)
            await settle(pilot)
            return len([m for _, m in notes if m.startswith("Sync failed")])

        assert await failures("R") == 1
        assert await failures() == 0
        assert await failures() == 0
        assert await failures("R") == 1  # asked for: said again


async def test_the_cache_shows_while_the_server_hangs(
    new_app: AppFactory,  # noqa: F811
    silent: socket.socket,
    tmp_path: Path,
) -> None:
    app = new_app(config=hanging_sync(tmp_path, silent), refresh_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_rows(pilot)
        screen, articles, _ = parts(app)
        assert articles.rows.total == 10
        assert articles.current is not None and articles.current.title == TITLES[0]
        assert screen.refresher.running  # the sync is under way, and waits alone


async def test_r_syncs_when_only_a_server_is_configured(
    new_app: AppFactory,  # noqa: F811
    silent: socket.socket,
    tmp_path: Path,
) -> None:
    app = new_app(config=hanging_sync(tmp_path, silent))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen, _, _ = parts(app)
        assert not screen.refresher.running
        await pilot.press("R")
        await pilot.pause()
        assert screen.refresher.running  # syncing: no "No sources configured"


def one_change_queued(cache: Store) -> None:
    """A synced article marked read here: a change for the server, queued."""
    cache.sync_begin("ttrss 127.0.0.1 me")
    cache.sync_feeds([SyncedFeed("7", "Server feed")])
    item = SyncedItem("1", "7", Article(title="Synced", body="b", guid="s1"), False, False)
    cache.sync_items([item], "1")
    [row] = cache.page(View(source="Server feed"))
    cache.set_read([row.id])


async def test_a_failed_sync_is_marked_like_a_failed_source_until_one_works(
    new_app: AppFactory,  # noqa: F811
    store: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A toast says why at once. Before, only the toast did: `!` said "No source failed", `i` showed
    nothing and the changes kept queued were never told. Now the sync has a `!` line in the
    sources pane: `!` goes to it, the status line and `i` say why and what is kept."""
    one_change_queued(store)
    port = closed_port()
    app = new_app(config=sync_to(tmp_path, port))
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = parts(app)[0]
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        said = [message for _, message in notes]
        assert any(m.startswith(f"Sync failed: http://127.0.0.1:{port}/api/") for m in said)
        assert any("marked ! in Sources" in m for m in said)
        for _ in range(3):  # the test cache's failing source, then the sync (or the other way)
            await pilot.press("exclamation_mark")
            await settle(pilot)
            if screen.sources.highlighted_entry.scope.name == SYNC:
                break
        detail = screen.status.detail
        assert detail.startswith(f"{SYNC}: http://127.0.0.1:{port}/api/")
        assert detail.endswith("(1 local change kept)")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        kept = shown_words("(1 local change kept)")
        assert shown(app.screen.query_one("#note-text")).endswith(kept)
        await pilot.press("escape")
        synced = len([m for _, m in notes if m.startswith("Sync failed")])
        await pilot.press("r")  # on its line: the sync again, as `r` on a source
        await settle(pilot)
        assert len([m for _, m in notes if m.startswith("Sync failed")]) == synced + 1
    store.sync_set("last_error", "")  # as a sync that works leaves it
    again = new_app(config=sync_to(tmp_path, port))
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert parts(again)[0].sources.index_of(f"source:{SYNC}") is None

"""The TUI with a `[sync]` server: it shows the cache at once and syncs in the background,
even when the server never answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
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
from tests.ui.test_reading import TITLES, parts
from tui.config import Config, Settings, SyncConfig


@pytest.fixture
def silent() -> Iterator[socket.socket]:
    """A server port that takes connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener


def hanging_sync(tmp_path: Path, silent: socket.socket) -> Config:
    """No sources of its own; a Tiny Tiny RSS server that never answers."""
    port = silent.getsockname()[1]
    sync = SyncConfig(service="ttrss", url=f"http://127.0.0.1:{port}/", user="me", password="pw")
    return Config(path=tmp_path / "feeds.toml", settings=Settings(refresh_minutes=0), sync=sync)


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


async def test_a_failed_sync_says_why_in_the_app(
    new_app: AppFactory,  # noqa: F811
    tmp_path: Path,
) -> None:
    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    sync = SyncConfig(service="ttrss", url=f"http://127.0.0.1:{port}/", user="me", password="pw")
    closed_sync = Config(tmp_path / "feeds.toml", settings=Settings(refresh_minutes=0), sync=sync)
    app = new_app(config=closed_sync)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        said = [message for _, message in notes]
        assert any(m.startswith(f"Sync failed: http://127.0.0.1:{port}/api/") for m in said)
        assert not any("marked ! in Sources" in m for m in said)  # the sync has no row there
